// Ranking metrics for `npm run eval`, pure and small enough to check by hand.
// They follow trec_eval as pytrec_eval and BEIR use it, so our numbers can sit next to
// published ones: nDCG with linear gain (the grade itself) and a log2(rank + 1) discount, the
// ideal ranking built from every judged grade of the query (not only the retrieved ones);
// recall and MRR count a document as relevant when its grade is above 0.

/** Relevance judgments: query id → document id → grade (0 = judged not relevant). */
export type Qrels = Map<string, Map<string, number>>;
/** A system's output: query id → document ids, best first. */
export type Run = Map<string, string[]>;

export interface QueryScores {
  ndcg: number;
  recall: number;
  mrr: number;
}

export interface RunScores extends QueryScores {
  /** Queries the means are taken over: those with at least one relevant judgment. */
  queries: number;
  /** Queries left out because none of their judgments is relevant. */
  skipped: number;
  perQuery: Map<string, QueryScores>;
}

// A system that returns the same id twice must not be paid twice for it; trec_eval reads a run
// keyed by document, so a repeat cannot count there either.
function topK(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ranked) {
    if (out.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

// Negative grades (some collections use -1 for "junk") give no gain, as in trec_eval.
function gain(judgments: ReadonlyMap<string, number>, id: string): number {
  return Math.max(0, judgments.get(id) ?? 0);
}

export function ndcgAtK(ranked: readonly string[], judgments: ReadonlyMap<string, number>, k: number): number {
  const ideal = [...judgments.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => (idcg += g / Math.log2(i + 2)));
  if (idcg === 0) return 0;
  let dcg = 0;
  topK(ranked, k).forEach((id, i) => (dcg += gain(judgments, id) / Math.log2(i + 2)));
  return dcg / idcg;
}

export function recallAtK(ranked: readonly string[], judgments: ReadonlyMap<string, number>, k: number): number {
  let relevant = 0;
  for (const g of judgments.values()) if (g > 0) relevant++;
  if (relevant === 0) return 0;
  const found = topK(ranked, k).filter((id) => gain(judgments, id) > 0).length;
  return found / relevant;
}

export function mrrAtK(ranked: readonly string[], judgments: ReadonlyMap<string, number>, k: number): number {
  const top = topK(ranked, k);
  const first = top.findIndex((id) => gain(judgments, id) > 0);
  return first === -1 ? 0 : 1 / (first + 1);
}

/**
 * Mean nDCG@k, recall@k and MRR@k over the judged queries that have at least one relevant
 * document (as BEIR does: a query nobody found an answer for says nothing about the ranking).
 * A judged query the run has no line for scores 0, like trec_eval -c: a system that drops a
 * query must not look better for it.
 */
export function evaluateRun(qrels: Qrels, run: Run, k: number): RunScores {
  const perQuery = new Map<string, QueryScores>();
  let skipped = 0;
  for (const [queryId, judgments] of qrels) {
    if (![...judgments.values()].some((g) => g > 0)) {
      skipped++;
      continue;
    }
    const ranked = run.get(queryId) ?? [];
    perQuery.set(queryId, {
      ndcg: ndcgAtK(ranked, judgments, k),
      recall: recallAtK(ranked, judgments, k),
      mrr: mrrAtK(ranked, judgments, k),
    });
  }
  const n = perQuery.size;
  const mean = (pick: (s: QueryScores) => number) => (n === 0 ? 0 : [...perQuery.values()].reduce((sum, s) => sum + pick(s), 0) / n);
  return { ndcg: mean((s) => s.ndcg), recall: mean((s) => s.recall), mrr: mean((s) => s.mrr), queries: n, skipped, perQuery };
}
