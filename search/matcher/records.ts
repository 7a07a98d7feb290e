// Records as the matcher reads them: SQLite's challenges and solutions become MatchTexts, and
// features travel to and from their stored form (JSON terms, a Float32 blob).
import type { DB } from "../../db/client";
import { listChallengeRecords, type ChallengeRecord } from "../../db/queries/challenges";
import type { FeatureRow, RecordKind } from "../../db/queries/matcher";
import { listSolutionRecords, type SolutionRecord } from "../../db/queries/solutions";
import { markdownToText } from "../danish";
import type { RecordFeatures, RecordTags } from "./score";
import type { MatchText } from "./types";
import { yieldToServer } from "./yield";

function joined(parts: Array<string | null | undefined>): string {
  return parts.filter((p): p is string => Boolean(p && p.trim())).join("\n");
}

function tagsOf(r: ChallengeRecord | SolutionRecord): RecordTags {
  return {
    districts: r.tags.districts,
    wholeCity: r.tags.wholeCity,
    sdgGoals: r.tags.sdgGoals,
    sdgTargets: r.tags.sdgTargets,
    targetGroups: r.tags.targetGroups,
  };
}

export function challengeText(c: ChallengeRecord): MatchText {
  return {
    title: c.title,
    body: joined([c.summary, markdownToText(c.description), c.outcome_hoped, c.outcome_measure]),
    language: c.language,
    ...tagsOf(c),
  };
}

export function solutionText(s: SolutionRecord): MatchText {
  return { title: s.title, body: joined([s.summary, markdownToText(s.description), s.evidence]), language: s.language, ...tagsOf(s) };
}

const LOAD_SLICE = 250;

/** A MatchText's tags as features keep them. */
export function textTags(t: MatchText): RecordTags {
  return { districts: t.districts, wholeCity: t.wholeCity, sdgGoals: t.sdgGoals, sdgTargets: t.sdgTargets, targetGroups: t.targetGroups };
}

export async function loadTexts(db: DB, kind: RecordKind, ids: number[]): Promise<Map<number, MatchText>> {
  const out = new Map<number, MatchText>();
  for (let i = 0; i < ids.length; i += LOAD_SLICE) {
    // Reading thousands of records is synchronous work in SQLite; between slices the server's
    // thread answers whatever else is waiting (a refit reads every record).
    if (i > 0) await yieldToServer();
    const slice = ids.slice(i, i + LOAD_SLICE);
    if (kind === "challenge") for (const c of await listChallengeRecords(db, slice)) out.set(c.id, challengeText(c));
    else for (const s of await listSolutionRecords(db, slice)) out.set(s.id, solutionText(s));
  }
  return out;
}

// The terms are two parallel arrays: parsing them into a Map takes half the time of an array
// of pairs (24 µs instead of 44 for a 350-word text), and ranking decodes hundreds of rows.
// Rows written before carry `terms` as pairs and are still read.
interface StoredTerms {
  language: RecordFeatures["language"];
  length: number;
  words?: string[];
  weights?: number[];
  terms?: Array<[string, number]>;
  tags: RecordTags;
}

export function encodeFeatures(kind: RecordKind, id: number, modelVersion: string, f: RecordFeatures): FeatureRow {
  const stored: StoredTerms = {
    language: f.language,
    length: f.length,
    words: [...f.terms.keys()],
    weights: [...f.terms.values()],
    tags: f.tags,
  };
  return { kind, id, modelVersion, terms: JSON.stringify(stored), surface: JSON.stringify([...f.surface]), embedding: embeddingToBuffer(f.embedding) };
}

/** Features as scoring needs them; `surface` stays empty unless the row carried it. */
export function decodeFeatures(row: FeatureRow): RecordFeatures {
  const stored = JSON.parse(row.terms) as StoredTerms;
  let terms: Map<string, number>;
  if (stored.words && stored.weights) {
    terms = new Map();
    for (let i = 0; i < stored.words.length; i++) terms.set(stored.words[i]!, stored.weights[i]!);
  } else {
    terms = new Map(stored.terms ?? []);
  }
  return {
    language: stored.language,
    length: stored.length,
    terms,
    surface: new Map(row.surface ? (JSON.parse(row.surface) as Array<[string, string]>) : []),
    tags: stored.tags,
    embedding: bufferToEmbedding(row.embedding),
  };
}

export function embeddingToBuffer(v: Float32Array): Buffer {
  return Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

export function bufferToEmbedding(b: Buffer | Uint8Array): Float32Array {
  const copy = Uint8Array.from(b);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

export function isZero(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}
