// Scoring one challenge–solution pair, and saying why. Pure: the features of the two records and
// the corpus model in, a score in [0, 1] and its readable reasons out. The score is a weighted
// sum of features that each lie in [0, 1], so every reason can carry its share of the score.
import { isConcept } from "./analyze";
import { cosine, idf, type MatchModel } from "./model";
import type { MatchLanguage, MatchReason } from "./types";

export interface RecordTags {
  districts: string[];
  wholeCity: boolean;
  sdgGoals: number[];
  sdgTargets: string[];
  targetGroups: string[];
}

/** What the matcher keeps of a record: its analysed text, vector and tags. */
export interface RecordFeatures {
  language: MatchLanguage;
  terms: Map<string, number>;
  length: number;
  surface: Map<string, string>;
  /** Unit length; all zeros when the text had no known term. */
  embedding: Float32Array;
  tags: RecordTags;
}

export interface Weights {
  lexical: number;
  semantic: number;
  sdgs: number;
  targetGroups: number;
  districts: number;
}

/**
 * The default weights. Text carries most of the score: tags are often missing or chosen loosely,
 * so they confirm a match rather than make one. The first guess (0.55 words, 0.25 vectors) was
 * measured on the judged demo set (search/eval/demo-judgments.tsv, committed before) and on
 * SciFact: the demo set hardly moves between 0.08 and 0.25 for the vectors (nDCG@10 0.946 to
 * 0.947), SciFact's short English claims gain from less (0.683 at 0.25, 0.691 at 0.12), so the
 * vectors keep 0.12: they still carry texts that share a topic but few words.
 */
export const DEFAULT_WEIGHTS: Weights = { lexical: 0.68, semantic: 0.12, sdgs: 0.05, targetGroups: 0.1, districts: 0.05 };

/** Suggestions below this score are not shown to people (the command line still lists them). */
export const DISPLAY_THRESHOLD = 0.2;

/** A tag kind one side left empty says nothing either way: it scores as a half-match. */
const UNKNOWN_TAGS = 0.5;

export const BM25 = { k1: 1.2, b: 0.75, k3: 2 } as const;

export interface PairFeatures {
  lexical: number;
  semantic: number;
  sdgs: number;
  targetGroups: number;
  districts: number;
}

export interface PairScore {
  /** Rounded to four decimals, as stored and shown. */
  score: number;
  /** Unrounded, for ranking: rounding would make ties that only the ids then break. */
  exact: number;
  features: PairFeatures;
  reasons: MatchReason[];
}

type CorpusStats = Pick<MatchModel, "documents" | "df" | "avgLength">;

interface Shared {
  term: string;
  contribution: number;
}

/**
 * BM25 of the solution for the challenge read as a (long) query, with the query's own term
 * frequencies saturated (k3), divided by the most any document could score for that query so
 * it lies in [0, 1].
 */
export function lexicalScore(query: RecordFeatures, doc: RecordFeatures, stats: CorpusStats): { value: number; shared: Shared[] } {
  const { k1, b } = BM25;
  const norm = k1 * (1 - b + (b * doc.length) / Math.max(1e-9, stats.avgLength));
  const { weights, best } = queryWeights(query, stats);
  let raw = 0;
  const shared: Shared[] = [];
  const add = (term: string, w: number, tf: number) => {
    const contribution = (w * (tf * (k1 + 1))) / (tf + norm);
    raw += contribution;
    shared.push({ term, contribution });
  };
  // Whichever side has fewer terms is walked, the other looked up.
  if (doc.terms.size < weights.size) {
    for (const [term, tf] of doc.terms) {
      const w = weights.get(term);
      if (w !== undefined && tf) add(term, w, tf);
    }
  } else {
    for (const [term, w] of weights) {
      const tf = doc.terms.get(term);
      if (tf) add(term, w, tf);
    }
  }
  return { value: best > 0 ? Math.min(1, Math.sqrt(raw / best)) : 0, shared };
}

// A query is scored against hundreds of candidates: its term weights are worked out once.
const prepared = new WeakMap<RecordFeatures, { stats: CorpusStats; weights: Map<string, number>; best: number }>();

function queryWeights(query: RecordFeatures, stats: CorpusStats): { weights: Map<string, number>; best: number } {
  const hit = prepared.get(query);
  if (hit && hit.stats === stats) return hit;
  const { k1, k3 } = BM25;
  const weights = new Map<string, number>();
  let best = 0;
  for (const [term, qtf] of query.terms) {
    const w = (idf(stats, term) * ((k3 + 1) * qtf)) / (k3 + qtf);
    weights.set(term, w);
    best += w * (k1 + 1);
  }
  const entry = { stats, weights, best };
  prepared.set(query, entry);
  return entry;
}

function overlap<T>(a: T[], b: T[]): { value: number; shared: T[] } | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const set = new Set(b);
  const shared = [...new Set(a)].filter((x) => set.has(x));
  return { value: shared.length / Math.min(new Set(a).size, set.size), shared };
}

function sdgFeature(c: RecordTags, s: RecordTags): { value: number; goals: number[]; targets: string[] } {
  const goals = overlap(c.sdgGoals, s.sdgGoals);
  if (!goals) return { value: UNKNOWN_TAGS, goals: [], targets: [] };
  const targets = overlap(c.sdgTargets, s.sdgTargets);
  const value = targets ? 0.5 * goals.value + 0.5 * targets.value : goals.value;
  return { value, goals: goals.shared, targets: targets?.shared ?? [] };
}

function districtFeature(c: RecordTags, s: RecordTags): { value: number; codes: string[]; wholeCity: boolean } {
  if (c.wholeCity || s.wholeCity) {
    const known = c.wholeCity ? s.districts.length > 0 || s.wholeCity : c.districts.length > 0;
    return { value: known ? 1 : UNKNOWN_TAGS, codes: [], wholeCity: known };
  }
  const o = overlap(c.districts, s.districts);
  return o ? { value: o.value, codes: o.shared, wholeCity: false } : { value: UNKNOWN_TAGS, codes: [], wholeCity: false };
}

const MAX_TERMS_SHOWN = 8;
/** A shared term explains a match only if it carries a real part of the text score. */
const MIN_TERM_SHARE = 0.03;

/**
 * Scores a pair; the challenge's text is the query, the solution's the document. Without
 * `explain` the reasons stay empty: ranking hundreds of candidates needs only the score, and
 * only the kept ones are explained.
 */
export function scorePair(challenge: RecordFeatures, solution: RecordFeatures, stats: CorpusStats, weights: Weights = DEFAULT_WEIGHTS, explain = true): PairScore {
  const lexical = lexicalScore(challenge, solution, stats);
  const semantic = Math.max(0, cosine(challenge.embedding, solution.embedding));
  const sdgs = sdgFeature(challenge.tags, solution.tags);
  const groups = overlap(challenge.tags.targetGroups, solution.tags.targetGroups);
  const districts = districtFeature(challenge.tags, solution.tags);
  const features: PairFeatures = {
    lexical: lexical.value,
    semantic,
    sdgs: sdgs.value,
    targetGroups: groups ? groups.value : UNKNOWN_TAGS,
    districts: districts.value,
  };
  const share = (k: keyof Weights) => weights[k] * features[k];
  const score = Math.min(1, Math.max(0, share("lexical") + share("semantic") + share("sdgs") + share("targetGroups") + share("districts")));

  const reasons: MatchReason[] = [];
  if (!explain) return { score: round(score), exact: score, features, reasons };
  const total = lexical.shared.reduce((sum, s) => sum + s.contribution, 0);
  const top = lexical.shared.filter((s) => total > 0 && s.contribution / total >= MIN_TERM_SHARE).sort((a, b) => b.contribution - a.contribution);
  const words = top.filter((s) => !isConcept(s.term)).slice(0, MAX_TERMS_SHOWN);
  const concepts = top.filter((s) => isConcept(s.term)).slice(0, MAX_TERMS_SHOWN);
  const textShare = share("lexical");
  const part = (list: Shared[]) => (total > 0 ? (textShare * list.reduce((sum, s) => sum + s.contribution, 0)) / total : 0);
  if (words.length > 0) {
    reasons.push({ kind: "topics", terms: words.map((s) => solution.surface.get(s.term) ?? challenge.surface.get(s.term) ?? s.term), score: round(part(words)) });
  }
  if (concepts.length > 0) {
    reasons.push({ kind: "concepts", terms: concepts.map((s) => challenge.surface.get(s.term) ?? s.term), score: round(part(concepts)) });
  }
  if (semantic >= 0.3) reasons.push({ kind: "semantic", similarity: round(semantic), score: round(share("semantic")) });
  if (sdgs.goals.length > 0) reasons.push({ kind: "sdgs", goals: sdgs.goals.sort((a, b) => a - b), targets: sdgs.targets.sort(), score: round(share("sdgs")) });
  if (groups && groups.shared.length > 0) reasons.push({ kind: "targetGroups", codes: groups.shared, score: round(share("targetGroups")) });
  if (districts.codes.length > 0 || districts.wholeCity) {
    reasons.push({ kind: "districts", codes: districts.codes, wholeCity: districts.wholeCity, score: round(share("districts")) });
  }
  return { score: round(score), exact: score, features, reasons };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
