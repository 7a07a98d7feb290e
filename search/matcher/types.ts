// The matcher's vocabulary, shared by the portal, `npm run match`, `npm run eval` and the bench.
// Pure types: nothing here touches SQLite or Meilisearch.

export type MatchLanguage = "da" | "en";

/** One side of a pairing as the matcher sees it: text, language and tags. */
export interface MatchText {
  title: string;
  /** Plain text: summary, description and the other long fields, Markdown already removed. */
  body: string;
  language: MatchLanguage;
  /** District codes (or free text for districts the reference data does not know). */
  districts: string[];
  /** The record says it serves the whole city: it overlaps every district. */
  wholeCity: boolean;
  sdgGoals: number[];
  sdgTargets: string[];
  /** Target-group codes (or free text). */
  targetGroups: string[];
}

/** Why a pair was suggested: the features of its score that a person can read. */
export type MatchReason =
  | { kind: "topics"; terms: string[]; score: number }
  | { kind: "concepts"; terms: string[]; score: number }
  | { kind: "semantic"; similarity: number; score: number }
  | { kind: "sdgs"; goals: number[]; targets: string[]; score: number }
  | { kind: "targetGroups"; codes: string[]; score: number }
  | { kind: "districts"; codes: string[]; wholeCity: boolean; score: number };

export type MatchReasonKind = MatchReason["kind"];

/** One embedding model: the local LSA fit or an HTTP service. */
export interface Embedder {
  /** Changes whenever vectors from before would not be comparable (a refit, another model). */
  readonly version: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
