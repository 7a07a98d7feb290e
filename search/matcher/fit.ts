// A refit: the matcher's model fitted on every challenge and solution, stored as the current
// model with every record's features under it. The portal runs it in a process of its own
// (fit-process.ts), on its own connection to the same SQLite file, so that neither its CPU nor
// its memory is the server's; Matcher.refit runs it in place when an embedding service gives
// the vectors or a test brings its own lexicon.
import type { DB } from "../../db/client";
import { listAllChallengeIds } from "../../db/queries/challenges";
import { listMatchableIds, saveCurrentModel, saveFeatures, type RecordKind } from "../../db/queries/matcher";
import { enqueueAll, type OutboxEntry } from "../../db/outbox";
import { listAllSolutionIds } from "../../db/queries/solutions";
import type { AnalyzedText, Lexicon } from "./analyze";
import { embedAnalyzed, fitModel, serializeModel, type MatchModel } from "./model";
import { encodeFeatures, loadTexts, textTags } from "./records";
import type { MatchText } from "./types";
import { yieldToServer } from "./yield";

/** Feature rows stored, and outbox rows queued, per transaction: other writers wait for one slice at most. */
const SAVE_SLICE = 1000;

export interface FitOptions {
  lexicon: Lexicon;
  now?: Date;
  /** The texts' vectors; the model's own LSA projection when not given. */
  vectors?: (model: MatchModel, texts: MatchText[], analyzed: AnalyzedText[]) => Promise<Float32Array[]>;
  /** The version the features are stored under; the model's when not given. */
  featureVersion?: (model: MatchModel) => string;
  /**
   * Queue every record's search document (its vector changed) and every matchable record's
   * suggestions, after every feature is stored. Not for a caller that indexes and matches
   * everything itself (npm run match).
   */
  queue: boolean;
}

export interface FitOutcome {
  /** The new model's version. */
  version: string;
  records: number;
}

/**
 * Fits and stores (and queues). The model goes first, then the features in slices: a record's features are
 * whole in each slice, and a crash half-way leaves records under the old version, which
 * Matcher.needsReembedding() notices and the next check refits.
 */
export async function fitAndStore(db: DB, options: FitOptions): Promise<FitOutcome> {
  const keyed: Array<{ kind: RecordKind; id: number; text: MatchText }> = [];
  const ids = { challenge: await listAllChallengeIds(db), solution: await listAllSolutionIds(db) };
  for (const kind of ["challenge", "solution"] as const) {
    for (const [id, text] of await loadTexts(db, kind, ids[kind])) keyed.push({ kind, id, text });
  }
  const texts = keyed.map((k) => k.text);
  const { model, analyzed } = fitModel(texts, options.lexicon, { now: options.now });
  const vectors = options.vectors ? await options.vectors(model, texts, analyzed) : undefined;
  const version = options.featureVersion?.(model) ?? model.version;
  await saveCurrentModel(db, serializeModel(model));
  for (let i = 0; i < keyed.length; i += SAVE_SLICE) {
    if (i > 0) await yieldToServer();
    const rows = keyed.slice(i, i + SAVE_SLICE).map((k, j) => {
      const a = analyzed[i + j]!;
      return encodeFeatures(k.kind, k.id, version, { ...a, language: k.text.language, embedding: vectors?.[i + j] ?? embedAnalyzed(model, a), tags: textTags(k.text) });
    });
    await saveFeatures(db, rows);
  }
  if (options.queue) await queueFollowUps(db, keyed);
  return { version: model.version, records: keyed.length };
}

/**
 * Queues the search documents and suggestions a new model makes outdated, in slices. A crash in
 * these seconds leaves some records' new vectors out of the index until `npm run reindex`;
 * their suggestions follow their next change.
 */
async function queueFollowUps(db: DB, records: Array<{ kind: RecordKind; id: number }>): Promise<void> {
  const work: OutboxEntry[] = records.map(({ kind, id }) => ({ topic: "search.index", recordKey: `${kind}:${id}`, payload: { kind, id } }));
  for (const kind of ["challenge", "solution"] as const) {
    for (const id of await listMatchableIds(db, kind)) work.push({ topic: "match.refresh", recordKey: `${kind}:${id}`, payload: { kind, id } });
  }
  for (let i = 0; i < work.length; i += SAVE_SLICE) {
    if (i > 0) await yieldToServer();
    await enqueueAll(db, work.slice(i, i + SAVE_SLICE));
  }
}
