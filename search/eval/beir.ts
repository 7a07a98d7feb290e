// Reads a retrieval test collection in the BEIR layout (Thakur et al., NeurIPS 2021), so the
// matcher can be measured on data nobody here wrote:
//   corpus.jsonl       {"_id", "title", "text"} a line
//   queries.jsonl      {"_id", "text"} a line
//   qrels/<split>.tsv  "query-id  corpus-id  score", a header line first
// Every line passes a zod schema; the first bad one stops the load with file and line.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Qrels } from "./metrics";

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirCollection {
  name: string;
  dir: string;
  corpus: BeirDocument[];
  /** Only the queries that have judgments in the split: the others cannot be scored. */
  queries: BeirQuery[];
  qrels: Qrels;
  /** How many queries queries.jsonl holds, evaluated or not. */
  queriesInFile: number;
  /** Oddities that do not stop the evaluation but should be seen (judged ids missing from the files). */
  warnings: string[];
}

export class BeirFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = "BeirFormatError";
  }
}

// Some BEIR collections write ids as JSON numbers; they are names, not quantities.
const id = z.union([z.string().min(1, "must not be empty"), z.number().int()], { error: "must be a string or an integer" }).transform(String);

const documentLine = z.object({
  _id: id,
  title: z.string({ error: "must be a string" }).optional().default(""),
  text: z.string({ error: "must be a string" }),
});

const queryLine = z.object({
  _id: id,
  text: z.string({ error: "must be a string" }),
});

const qrelsLine = z.tuple([
  z.string().min(1, "query-id must not be empty"),
  z.string().min(1, "corpus-id must not be empty"),
  z.coerce.number({ error: "score must be a number" }).int("score must be an integer"),
]);

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BeirFormatError(file, 0, code === "ENOENT" ? "no such file" : String(error));
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  const lines = readText(file).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new BeirFormatError(file, i + 1, `not valid JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new BeirFormatError(file, i + 1, firstIssue(parsed.error));
    out.push(parsed.data);
  }
  return out;
}

function readQrels(file: string): Qrels {
  const lines = readText(file).split(/\r?\n/);
  const header = (lines[0] ?? "").trim().split(/\s+/);
  if (header.join(" ") !== "query-id corpus-id score") {
    throw new BeirFormatError(file, 1, 'the first line must be the header "query-id<TAB>corpus-id<TAB>score"');
  }
  const qrels: Qrels = new Map();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const parsed = qrelsLine.safeParse(raw.split(/\t|\s+/));
    if (!parsed.success) throw new BeirFormatError(file, i + 1, firstIssue(parsed.error));
    const [queryId, docId, score] = parsed.data;
    let judgments = qrels.get(queryId);
    if (!judgments) qrels.set(queryId, (judgments = new Map()));
    judgments.set(docId, score);
  }
  return qrels;
}

function unique<T extends { id: string }>(file: string, items: T[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new BeirFormatError(file, 0, `id "${item.id}" appears twice`);
    seen.add(item.id);
  }
}

/** Loads a BEIR folder; only the queries judged in `split` (default "test") are kept. */
export function loadBeir(dir: string, split = "test"): BeirCollection {
  const corpusFile = path.join(dir, "corpus.jsonl");
  const queriesFile = path.join(dir, "queries.jsonl");
  const qrelsFile = path.join(dir, "qrels", `${split}.tsv`);

  const corpus = readJsonl(corpusFile, documentLine).map((d) => ({ id: d._id, title: d.title, text: d.text }));
  unique(corpusFile, corpus);
  const allQueries = readJsonl(queriesFile, queryLine).map((q) => ({ id: q._id, text: q.text }));
  unique(queriesFile, allQueries);
  const judged = readQrels(qrelsFile);

  const warnings: string[] = [];
  const queryIds = new Set(allQueries.map((q) => q.id));
  const docIds = new Set(corpus.map((d) => d.id));
  const qrels: Qrels = new Map();
  let missingDocs = 0;
  for (const [queryId, judgments] of judged) {
    if (!queryIds.has(queryId)) {
      warnings.push(`${qrelsFile}: query "${queryId}" is judged but not in queries.jsonl; left out`);
      continue;
    }
    for (const docId of judgments.keys()) if (!docIds.has(docId)) missingDocs++;
    qrels.set(queryId, judgments);
  }
  // A judged document the corpus lacks can never be retrieved; it stays in the qrels (the
  // ideal ranking still counts it, as it would in trec_eval), but it is worth knowing about.
  if (missingDocs > 0) warnings.push(`${qrelsFile}: ${missingDocs} judged document(s) are not in corpus.jsonl`);

  return {
    name: path.basename(path.resolve(dir)),
    dir: path.resolve(dir),
    corpus,
    queries: allQueries.filter((q) => qrels.has(q.id)),
    qrels,
    queriesInFile: allQueries.length,
    warnings,
  };
}
