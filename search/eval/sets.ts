// The judged sets `npm run eval` measures on, in the input shape of `npm run match`: a BEIR
// folder (queries become challenges, documents solutions), the demo data with its committed
// judgments, or a judged folder of our own (challenges.jsonl, solutions.jsonl, judgments.tsv).
import fs from "node:fs";
import { z } from "zod";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readDemoData, type DemoChallenge, type DemoSolution } from "../../db/demo";
import { WHOLE_CITY } from "../../db/queries/browse";
import { readMatchInputs, type MatchInput } from "../matcher/input";
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

// A file as messages name it: relative to the working directory when it lies below it, else as given.
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
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

const gradeCell = z.coerce.number({ error: "grade must be a number" }).int("grade must be 0, 1, 2 or 3").min(0, "grade must be 0, 1, 2 or 3").max(3, "grade must be 0, 1, 2 or 3");

const demoJudgmentLine = z.tuple([
  z.string().regex(/^c\d+$/, 'challenge must be a demo key like "c01"'),
  z.string().regex(/^s\d+$/, 'solution must be a demo key like "s001"'),
  gradeCell,
  z.string(),
]);

const folderJudgmentLine = z.tuple([z.string().trim().min(1, "challenge id must not be empty"), z.string().trim().min(1, "solution id must not be empty"), gradeCell, z.string()]);

interface JudgmentRules {
  line: typeof demoJudgmentLine | typeof folderJudgmentLine;
  /** Why an id cannot be judged (a typo would silently lower every score), or undefined when it can. */
  unknown(id: string, column: "challenge" | "solution"): string | undefined;
  /** Ids that are known but not evaluated (a draft, say): the pair is left out with a warning. */
  evaluated: Set<string>;
}

/**
 * Reads a judgments file: a header, then "challenge<TAB>solution<TAB>grade[<TAB>note]" a line.
 * An id the rules do not know is an error naming file and line; a pair judged twice too.
 */
function readJudgments(file: string, rules: JudgmentRules, warnings: string[]): { qrels: Qrels; grades: number[] } {
  const rel = shown(file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${rel}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error)}`);
  }
  const lines = text.split(/\r?\n/);
  if ((lines[0] ?? "").trim() !== "challenge\tsolution\tgrade\tnote") throw new Error(`${rel}:1: the header must be "challenge<TAB>solution<TAB>grade<TAB>note"`);
  const qrels: Qrels = new Map();
  const grades = [0, 0, 0, 0];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const cells = lines[i]!.split("\t");
    const parsed = rules.line.safeParse(cells.length === 3 ? [...cells, ""] : cells);
    if (!parsed.success) throw new Error(`${rel}:${i + 1}: ${cells.length < 3 || cells.length > 4 ? "must have 3 or 4 tab-separated cells" : parsed.error.issues[0]!.message}`);
    const [challenge, solution, grade] = parsed.data;
    for (const [id, column] of [[challenge, "challenge"], [solution, "solution"]] as const) {
      const problem = rules.unknown(id, column);
      if (problem) throw new Error(`${rel}:${i + 1}: ${problem}`);
    }
    if (!rules.evaluated.has(challenge) || !rules.evaluated.has(solution)) {
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

function judgedPairsFact(grades: number[]): [string, string] {
  return ["judged pairs", `${grades.reduce((a, b) => a + b, 0)}: grade 3 ${grades[3]}, 2 ${grades[2]}, 1 ${grades[1]}, 0 ${grades[0]} (unlisted pairs count as 0)`];
}

export function demoSet(): EvalSet {
  const demo = readDemoData();
  // Closed and solved challenges stay: their text still says what was needed.
  const challenges = demo.challenges.filter((c) => c.status !== "draft");
  const solutions = demo.solutions.filter((s) => s.status === "published");
  const known = new Set([...demo.challenges.map((c) => c.key), ...demo.solutions.map((s) => s.key)]);
  const evaluated = new Set([...challenges.map((c) => c.key), ...solutions.map((s) => s.key)]);
  const warnings: string[] = [];
  // The demo judgments are read as before: an id that is in no demo file at all is an error, one
  // about a draft or archived record is dropped with a warning (the demo data moved on).
  const { qrels, grades } = readJudgments(
    JUDGMENTS_FILE,
    { line: demoJudgmentLine, unknown: (id) => (known.has(id) ? undefined : `"${id}" is not in the demo data`), evaluated },
    warnings,
  );
  const unjudged = challenges.filter((c) => !qrels.has(c.key)).map((c) => c.key);
  if (unjudged.length > 0) warnings.push(`challenges without judgments, not scored: ${unjudged.join(", ")}`);
  return {
    title: `demo data (db/demo), judged by ${path.relative(process.cwd(), JUDGMENTS_FILE)}`,
    facts: [
      ["challenges", `${challenges.length} (of ${demo.challenges.length}; drafts left out)`],
      ["solutions", `${solutions.length} (of ${demo.solutions.length}; drafts and archived left out)`],
      judgedPairsFact(grades),
    ],
    challenges: challenges.map(challengeInput),
    solutions: solutions.map(solutionInput),
    qrels,
    warnings,
  };
}


function languageMix(records: MatchInput[]): string {
  const count = (lang: string | undefined) => records.filter((r) => r.language === lang).length;
  const parts = [`da ${count("da")}`, `en ${count("en")}`];
  const none = count(undefined);
  if (none > 0) parts.push(`${none} without a language`);
  return parts.join(", ");
}

/**
 * A judged folder in the input files of `npm run match`: challenges.jsonl and solutions.jsonl
 * (read by the same parser, so a bad line fails here as it does there) and judgments.tsv in the
 * demo's layout, with the folder's own ids. A judgment naming an id that is not in the file of
 * its column is an error; every record in the files is evaluated.
 */
export function folderSet(dir: string): EvalSet {
  const challengesFile = path.join(dir, "challenges.jsonl");
  const solutionsFile = path.join(dir, "solutions.jsonl");
  const judgmentsFile = path.join(dir, "judgments.tsv");
  const challenges = readMatchInputs(challengesFile);
  const solutions = readMatchInputs(solutionsFile);
  const ids = { challenge: new Set(challenges.map((c) => c.id)), solution: new Set(solutions.map((s) => s.id)) };
  const files = { challenge: shown(challengesFile), solution: shown(solutionsFile) };
  const warnings: string[] = [];
  const { qrels, grades } = readJudgments(
    judgmentsFile,
    {
      line: folderJudgmentLine,
      unknown: (id, column) => (ids[column].has(id) ? undefined : `${column} "${id}" is not in ${files[column]}`),
      evaluated: new Set([...ids.challenge, ...ids.solution]),
    },
    warnings,
  );
  const unjudged = challenges.filter((c) => !qrels.has(c.id)).map((c) => c.id);
  if (unjudged.length > 0) warnings.push(`challenges without judgments, not scored: ${unjudged.join(", ")}`);
  return {
    title: `judged set ${shown(dir) || "."}, judged by ${shown(judgmentsFile)}`,
    facts: [
      ["challenges", `${challenges.length} (${languageMix(challenges)})`],
      ["solutions", `${solutions.length} (${languageMix(solutions)})`],
      judgedPairsFact(grades),
    ],
    challenges,
    solutions,
    qrels,
    warnings,
  };
}
