// The judged sets `npm run eval` measures on, in the input shape of `npm run match`: a BEIR
// folder (queries become challenges, documents solutions) or the demo data with its committed
// judgments.
import fs from "node:fs";
import { z } from "zod";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readDemoData, type DemoChallenge, type DemoSolution } from "../../db/demo";
import { WHOLE_CITY } from "../../db/queries/browse";
import type { MatchInput } from "../matcher/input";
import { markdownToText } from "../danish";
import { loadBeir } from "./beir";
import type { Qrels } from "./metrics";

const JUDGMENTS_FILE = fileURLToPath(new URL("./demo-judgments.tsv", import.meta.url));

export interface EvalSet {
  title: string;
  facts: Array<[string, string]>;
  challenges: MatchInput[];
  solutions: MatchInput[];
  qrels: Qrels;
  warnings: string[];
}

export function beirSet(dir: string): EvalSet {
  const c = loadBeir(dir);
  const relevantQueries = [...c.qrels.values()].filter((j) => [...j.values()].some((g) => g > 0)).length;
  return {
    title: `BEIR ${c.name} (${c.dir}), test split`,
    facts: [
      ["queries", `${c.queries.length} judged in qrels/test.tsv (of ${c.queriesInFile} in queries.jsonl), ${relevantQueries} with a relevant document`],
      ["documents", String(c.corpus.length)],
      ["judgments", String([...c.qrels.values()].reduce((n, j) => n + j.size, 0))],
    ],
    // Claims become challenges and abstracts solutions, in the shape `npm run match` reads.
    challenges: c.queries.map((q) => ({ id: q.id, title: "", description: q.text, language: "en", districts: [], sdgs: [], targetGroups: [] })),
    solutions: c.corpus.map((d) => ({ id: d.id, title: d.title, description: d.text, language: "en", districts: [], sdgs: [], targetGroups: [] })),
    qrels: c.qrels,
    warnings: c.warnings,
  };
}

function joinText(parts: Array<string | null | undefined>): string {
  return parts.filter((p): p is string => Boolean(p && p.trim())).join("\n");
}

// The portal's browse facet writes "the whole city" as a district of its own; the matcher's
// input has no separate flag, so the same code carries it here.
function districtsOf(record: { wholeCity: boolean; districts: string[] }): string[] {
  return record.wholeCity ? [WHOLE_CITY, ...record.districts] : record.districts;
}

function challengeInput(c: DemoChallenge): MatchInput {
  return {
    id: c.key,
    title: c.title,
    // Markdown is the portal's storage format, not text: its markup would only add noise terms.
    description: joinText([c.summary, markdownToText(c.description), c.outcomeHoped, c.outcomeMeasure]),
    language: c.language,
    districts: districtsOf(c),
    sdgs: [...c.sdgGoals, ...c.sdgTargets],
    targetGroups: c.targetGroups,
    department: c.administration,
    // A challenge is owned by its administration, which is an organisation of its own kind.
    organization: c.administration,
  };
}

function solutionInput(s: DemoSolution): MatchInput {
  return {
    id: s.key,
    title: s.title,
    description: joinText([s.summary, markdownToText(s.description), s.evidence, s.priceModel]),
    language: s.language,
    districts: districtsOf(s),
    sdgs: [...s.sdgGoals, ...s.sdgTargets],
    targetGroups: s.targetGroups,
    organization: s.organisation,
  };
}

const judgmentLine = z.tuple([
  z.string().regex(/^c\d+$/, 'challenge must be a demo key like "c01"'),
  z.string().regex(/^s\d+$/, 'solution must be a demo key like "s001"'),
  z.coerce.number({ error: "grade must be a number" }).int("grade must be 0, 1, 2 or 3").min(0, "grade must be 0, 1, 2 or 3").max(3, "grade must be 0, 1, 2 or 3"),
  z.string(),
]);

/**
 * The judged demo set. Only pairs the evaluation can see are kept: a judgment about a draft or
 * archived record is dropped with a warning (the demo data moved on); an id that is in no demo
 * file at all is an error (a typo would silently lower every score).
 */
function readJudgments(file: string, known: Set<string>, evaluated: Set<string>, warnings: string[]): { qrels: Qrels; grades: number[] } {
  const rel = path.relative(process.cwd(), file);
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  if ((lines[0] ?? "").trim() !== "challenge\tsolution\tgrade\tnote") throw new Error(`${rel}:1: the header must be "challenge<TAB>solution<TAB>grade<TAB>note"`);
  const qrels: Qrels = new Map();
  const grades = [0, 0, 0, 0];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const cells = lines[i]!.split("\t");
    const parsed = judgmentLine.safeParse(cells.length === 3 ? [...cells, ""] : cells);
    if (!parsed.success) throw new Error(`${rel}:${i + 1}: ${cells.length < 3 || cells.length > 4 ? "must have 3 or 4 tab-separated cells" : parsed.error.issues[0]!.message}`);
    const [challenge, solution, grade] = parsed.data;
    for (const id of [challenge, solution]) if (!known.has(id)) throw new Error(`${rel}:${i + 1}: "${id}" is not in the demo data`);
    if (!evaluated.has(challenge) || !evaluated.has(solution)) {
      warnings.push(`${rel}:${i + 1}: ${challenge}/${solution} involves a draft or archived record; left out`);
      continue;
    }
    let judged = qrels.get(challenge);
    if (!judged) qrels.set(challenge, (judged = new Map()));
    if (judged.has(solution)) throw new Error(`${rel}:${i + 1}: ${challenge}/${solution} is judged twice`);
    judged.set(solution, grade);
    grades[grade]!++;
  }
  return { qrels, grades };
}

export function demoSet(): EvalSet {
  const demo = readDemoData();
  // Closed and solved challenges stay: their text still says what was needed.
  const challenges = demo.challenges.filter((c) => c.status !== "draft");
  const solutions = demo.solutions.filter((s) => s.status === "published");
  const known = new Set([...demo.challenges.map((c) => c.key), ...demo.solutions.map((s) => s.key)]);
  const evaluated = new Set([...challenges.map((c) => c.key), ...solutions.map((s) => s.key)]);
  const warnings: string[] = [];
  const { qrels, grades } = readJudgments(JUDGMENTS_FILE, known, evaluated, warnings);
  const unjudged = challenges.filter((c) => !qrels.has(c.key)).map((c) => c.key);
  if (unjudged.length > 0) warnings.push(`challenges without judgments, not scored: ${unjudged.join(", ")}`);
  return {
    title: `demo data (db/demo), judged by ${path.relative(process.cwd(), JUDGMENTS_FILE)}`,
    facts: [
      ["challenges", `${challenges.length} (of ${demo.challenges.length}; drafts left out)`],
      ["solutions", `${solutions.length} (of ${demo.solutions.length}; drafts and archived left out)`],
      ["judged pairs", `${grades.reduce((a, b) => a + b, 0)}: grade 3 ${grades[3]}, 2 ${grades[2]}, 1 ${grades[1]}, 0 ${grades[0]} (unlisted pairs count as 0)`],
    ],
    challenges: challenges.map(challengeInput),
    solutions: solutions.map(solutionInput),
    qrels,
    warnings,
  };
}

