// `npm run eval`: how well the matcher ranks, next to our BM25 baseline, on the same data in the
// same run (published BM25 numbers differ between implementations, so the baseline that counts
// is ours, on these files).
//
//   npm run eval -- --beir ../shared/benchmarks/scifact   any folder in the BEIR layout
//   npm run eval -- --demo                               the demo data, judged by search/eval/demo-judgments.tsv
//   npm run eval -- --set search/eval/hard               a judged folder: challenges.jsonl, solutions.jsonl, judgments.tsv
//   options: --top K (default 10: suggestions per challenge and the metrics' cutoff), --bm25-only
//
// The table goes to stdout, progress to stderr, so `> result.txt` keeps only the numbers.
// Exit codes: 0 done, 1 the data or the matcher failed, 2 the arguments are wrong.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { z } from "zod";
import { beirSet, demoSet, folderSet, type EvalSet } from "../search/eval/sets";
import { BM25_B, BM25_K1, Bm25Index } from "../search/eval/bm25";
import { evaluateRun, type Run, type RunScores } from "../search/eval/metrics";
import type { MatchOutputRow } from "../search/matcher/input";
import { runMatch } from "./lib/match-run";

const USAGE = `usage: npm run eval -- (--beir DIR | --demo | --set DIR) [--top K] [--bm25-only]
  --beir DIR    a BEIR folder: corpus.jsonl, queries.jsonl, qrels/test.tsv
  --demo        the demo challenges and solutions, judged by search/eval/demo-judgments.tsv
  --set DIR     a judged folder: challenges.jsonl and solutions.jsonl as \`npm run match\` reads
                them, judgments.tsv as the demo's (e.g. search/eval/hard)
  --top K       suggestions per challenge, and the cutoff of every metric (default 10)
  --bm25-only   the baseline alone, without the matcher`;


class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Arguments

const argsSchema = z
  .object({
    beir: z.string().min(1, "--beir needs a folder").optional(),
    demo: z.boolean().optional(),
    set: z.string().min(1, "--set needs a folder").optional(),
    "bm25-only": z.boolean().optional(),
    top: z
      .string()
      .optional()
      .default("10")
      .transform(Number)
      .pipe(z.number({ error: "--top must be a number" }).int("--top must be a whole number").min(1, "--top must be at least 1").max(1000, "--top must be at most 1000")),
    help: z.boolean().optional(),
  })
  .refine((a) => a.help || [a.beir !== undefined, Boolean(a.demo), a.set !== undefined].filter(Boolean).length === 1, { message: "give exactly one of --beir DIR, --demo and --set DIR" });

interface Options {
  source: { kind: "beir"; dir: string } | { kind: "demo" } | { kind: "set"; dir: string };
  top: number;
  bm25Only: boolean;
}

function parseOptions(argv: string[]): Options | "help" {
  let values: unknown;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        beir: { type: "string" },
        demo: { type: "boolean" },
        set: { type: "string" },
        "bm25-only": { type: "boolean" },
        top: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  const a = parsed.data;
  if (a.help) return "help";
  if (a.beir !== undefined && !fs.existsSync(a.beir)) throw new UsageError(`--beir: no such folder: ${a.beir}`);
  if (a.set !== undefined && !fs.statSync(a.set, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--set: no such folder: ${a.set}`);
  return {
    source: a.beir !== undefined ? { kind: "beir", dir: a.beir } : a.set !== undefined ? { kind: "set", dir: a.set } : { kind: "demo" },
    top: a.top,
    bm25Only: a["bm25-only"] ?? false,
  };
}

// ---------------------------------------------------------------------------------------------
// What both systems get: the matcher's input shape, and the judgments to score them by

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// The two systems

interface SystemResult {
  name: string;
  scores: RunScores;
  timings: string;
}

function runBm25(set: EvalSet, top: number): SystemResult {
  const t0 = performance.now();
  const index = new Bm25Index(set.solutions.map((s) => ({ id: s.id, text: `${s.title} ${s.description}` })));
  const t1 = performance.now();
  progress(`BM25: indexed ${index.documentCount} documents (${index.termCount} terms) in ${seconds(t1 - t0)}`);
  const run: Run = new Map(set.challenges.map((c) => [c.id, index.search(`${c.title} ${c.description}`, top)]));
  const t2 = performance.now();
  progress(`BM25: ranked ${set.challenges.length} queries in ${seconds(t2 - t1)}`);
  return { name: "BM25", scores: evaluateRun(set.qrels, run, top), timings: `index ${seconds(t1 - t0)}, search ${seconds(t2 - t1)}` };
}

type RunMatch = typeof runMatch;

async function runMatcher(runMatch: RunMatch, set: EvalSet, top: number): Promise<SystemResult> {
  const t0 = performance.now();
  const rows = await runMatch({ challenges: set.challenges, solutions: set.solutions, top, onProgress: (m) => progress(`matcher: ${m}`) });
  const t1 = performance.now();
  progress(`matcher: ${rows.length} suggestions in ${seconds(t1 - t0)}`);
  const byChallenge = new Map<string, MatchOutputRow[]>();
  for (const row of rows) {
    const list = byChallenge.get(row.challengeId) ?? [];
    list.push(row);
    byChallenge.set(row.challengeId, list);
  }
  const run: Run = new Map([...byChallenge].map(([id, list]) => [id, list.sort((a, b) => a.rank - b.rank).map((r) => r.solutionId)]));
  return { name: "matcher", scores: evaluateRun(set.qrels, run, top), timings: `total ${seconds(t1 - t0)}` };
}

// ---------------------------------------------------------------------------------------------
// The table

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join("   ").trimEnd()).join("\n");
}

function report(set: EvalSet, top: number, results: SystemResult[]): string {
  const k = `@${top}`;
  const rows: string[][] = [["system", `nDCG${k}`, `recall${k}`, `MRR${k}`, "queries", "time"]];
  for (const r of results) rows.push([r.name, r.scores.ndcg.toFixed(4), r.scores.recall.toFixed(4), r.scores.mrr.toFixed(4), String(r.scores.queries), r.timings]);
  const [bm25, matcher] = results;
  if (bm25 && matcher) {
    const ratio = (m: number, b: number) => (b === 0 ? "–" : (m / b).toFixed(3));
    rows.push(["matcher/BM25", ratio(matcher.scores.ndcg, bm25.scores.ndcg), ratio(matcher.scores.recall, bm25.scores.recall), ratio(matcher.scores.mrr, bm25.scores.mrr), "", ""]);
  }
  const facts: Array<[string, string]> = [
    ...set.facts,
    ["cutoff", `top ${top} per query`],
    ["BM25", `k1 = ${BM25_K1}, b = ${BM25_B}; title + text; lower-case, Lucene English stop words, Snowball English stemmer`],
  ];
  const skipped = results[0]?.scores.skipped ?? 0;
  if (skipped > 0) facts.push(["skipped", `${skipped} judged queries without a relevant document (not in the means)`]);
  const width = Math.max(...facts.map(([label]) => label.length));
  return [set.title, ...facts.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`), "", table(rows), ""].join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let options: Options | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`npm run eval: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    // Before any work: a missing matcher should not cost a whole BM25 run to find out.
    const t0 = performance.now();
    const source = options.source;
    const set = source.kind === "beir" ? beirSet(source.dir) : source.kind === "set" ? folderSet(source.dir) : demoSet();
    progress(`loaded ${set.challenges.length} queries and ${set.solutions.length} documents in ${seconds(performance.now() - t0)}`);
    for (const w of set.warnings) progress(`warning: ${w}`);
    const results = [runBm25(set, options.top)];
    if (!options.bm25Only) results.push(await runMatcher(runMatch, set, options.top));
    process.stdout.write(report(set, options.top, results));
    return 0;
  } catch (error) {
    process.stderr.write(`npm run eval: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
