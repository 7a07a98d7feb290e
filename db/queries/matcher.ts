// The matcher's tables: fitted models, per-record features, stored suggestions and curators'
// decisions. Plain rows in and out; search/matcher/ gives them meaning.
import { sql, type Transaction } from "kysely";
import { nowIso, type DB } from "../client";
import type { Executor } from "../outbox";
import type { Database } from "../schema";
import { MATCHABLE_CHALLENGE_STATUSES, MATCHABLE_SOLUTION_STATUSES } from "../rules/matches";

export type RecordKind = "challenge" | "solution";


export interface StoredModelRow {
  version: string;
  fittedAt: string;
  documents: number;
  meta: string;
  vectors: Buffer;
}

export async function findCurrentModel(db: DB): Promise<StoredModelRow | undefined> {
  const row = await db
    .selectFrom("match_models")
    .select(["version", "fitted_at", "documents", "meta", "vectors"])
    .where("is_current", "=", 1)
    .executeTakeFirst();
  return row && { version: row.version, fittedAt: row.fitted_at, documents: row.documents, meta: row.meta, vectors: row.vectors };
}

export async function findCurrentModelInfo(db: DB): Promise<{ version: string; fittedAt: string; documents: number } | undefined> {
  const row = await db.selectFrom("match_models").select(["version", "fitted_at", "documents"]).where("is_current", "=", 1).executeTakeFirst();
  return row && { version: row.version, fittedAt: row.fitted_at, documents: row.documents };
}

/** Stores a model as the current one; older models are dropped (features refer to versions by name). */
export async function saveCurrentModel(db: DB, model: StoredModelRow): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("match_models").execute();
    await trx
      .insertInto("match_models")
      .values({ version: model.version, fitted_at: model.fittedAt, documents: model.documents, meta: model.meta, vectors: model.vectors, is_current: 1 })
      .execute();
  });
}

export interface FeatureRow {
  kind: RecordKind;
  id: number;
  modelVersion: string;
  terms: string;
  /** Read only when asked for: explanations need it, scoring does not. */
  surface?: string;
  embedding: Buffer;
}

/** Stores features in one transaction: a record's features are whole, and one commit costs less than one a row. */
export async function saveFeatures(db: DB, rows: FeatureRow[], now: string = nowIso()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      await trx
        .insertInto("match_features")
        .values({ record_kind: r.kind, record_id: r.id, model_version: r.modelVersion, terms: r.terms, surface: r.surface ?? "[]", embedding: r.embedding, computed_at: now })
        .onConflict((oc) =>
          oc
            .columns(["record_kind", "record_id"])
            .doUpdateSet({ model_version: r.modelVersion, terms: r.terms, surface: r.surface ?? "[]", embedding: r.embedding, computed_at: now }),
        )
        .execute();
    }
  });
}

/** Stored features; the surface words only when asked for (explanations need them, scoring not). */
export async function listFeatures(db: DB, kind: RecordKind, ids: number[], options: { withSurface?: boolean } = {}): Promise<FeatureRow[]> {
  const out: FeatureRow[] = [];
  const columns = ["record_id", "model_version", "terms", "embedding", ...(options.withSurface ? (["surface"] as const) : [])] as const;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("match_features")
      .select(columns as unknown as ["record_id", "model_version", "terms", "embedding", "surface"])
      .where("record_kind", "=", kind)
      .where("record_id", "in", ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.push({ kind, id: r.record_id, modelVersion: r.model_version, terms: r.terms, surface: r.surface, embedding: r.embedding });
  }
  return out;
}

/** Embeddings of the given records, for the search documents (absent: not computed yet). */
export async function listEmbeddings(db: DB, kind: RecordKind, ids: number[]): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("match_features")
      .select(["record_id", "embedding"])
      .where("record_kind", "=", kind)
      .where("record_id", "in", ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.record_id, r.embedding);
  }
  return out;
}

/** The size of the stored vectors (4 bytes a dimension), or undefined before the first fit. */
export async function storedVectorDimensions(db: DB): Promise<number | undefined> {
  // Every record is re-embedded when the model or embedder changes, so any row tells the size.
  const row = await db
    .selectFrom("match_features")
    .select(sql<number>`length(embedding)`.as("bytes"))
    .orderBy("computed_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row && row.bytes > 0 ? row.bytes / 4 : undefined;
}

/** Ids of the records the matcher works for (open challenges, published solutions), optionally one. */
async function matchableIds(db: DB, kind: RecordKind, only?: number): Promise<number[]> {
  const rows =
    kind === "challenge"
      ? await db
          .selectFrom("challenges")
          .select("id")
          .where("status", "in", [...MATCHABLE_CHALLENGE_STATUSES])
          .where("moderated_at", "is", null)
          .$if(only !== undefined, (q) => q.where("id", "=", only!))
          .orderBy("id")
          .execute()
      : await db
          .selectFrom("solutions")
          .select("id")
          .where("status", "in", [...MATCHABLE_SOLUTION_STATUSES])
          .where("moderated_at", "is", null)
          .$if(only !== undefined, (q) => q.where("id", "=", only!))
          .orderBy("id")
          .execute();
  return rows.map((r) => r.id);
}

/** Whether a record is one the matcher works for (an open challenge, a published solution). */
export async function isMatchable(db: DB, kind: RecordKind, id: number): Promise<boolean> {
  return (await matchableIds(db, kind, id)).length > 0;
}

export function listMatchableIds(db: DB, kind: RecordKind): Promise<number[]> {
  return matchableIds(db, kind);
}

/** Pairs a curator dismissed: never suggested again. */
export async function listDismissedPartners(db: DB, kind: RecordKind, id: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom("match_decisions")
    .select(["challenge_id", "solution_id"])
    .where(kind === "challenge" ? "challenge_id" : "solution_id", "=", id)
    .where("decision", "=", "dismissed")
    .execute();
  return new Set(rows.map((r) => (kind === "challenge" ? r.solution_id : r.challenge_id)));
}

export interface SuggestionInput {
  challengeId: number;
  solutionId: number;
  score: number;
  features: string;
  reasons: string;
}

const flagOf = { challenge: "for_challenge", solution: "for_solution" } as const;
const idOf = { challenge: "challenge_id", solution: "solution_id" } as const;

/**
 * Replaces one record's own top list, and offers each pair to the other side's list, which keeps
 * its best `keep` pairs. Pairs in neither list are deleted. One transaction: readers see the old
 * list or the new one.
 */
export async function storeTopList(
  db: DB,
  kind: RecordKind,
  id: number,
  pairs: SuggestionInput[],
  options: {
    modelVersion: string;
    keep: number;
    now?: string;
    /** Runs in the storing transaction with each pair and its score before, if it was stored (news, for notifications). */
    onStored?: (trx: Transaction<Database>, pairs: Array<{ challengeId: number; solutionId: number; score: number; previousScore: number | null }>) => Promise<void>;
  },
): Promise<void> {
  const now = options.now ?? nowIso();
  const other: RecordKind = kind === "challenge" ? "solution" : "challenge";
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("match_suggestions").set({ [flagOf[kind]]: 0 }).where(idOf[kind], "=", id).execute();
    const before = options.onStored
      ? new Map((await trx.selectFrom("match_suggestions").select(["challenge_id", "solution_id", "score"]).where(idOf[kind], "=", id).execute()).map((r) => [`${r.challenge_id}:${r.solution_id}`, r.score]))
      : undefined;
    for (const p of pairs) {
      await trx
        .insertInto("match_suggestions")
        .values({
          challenge_id: p.challengeId,
          solution_id: p.solutionId,
          score: p.score,
          features: p.features,
          reasons: p.reasons,
          model_version: options.modelVersion,
          computed_at: now,
          [flagOf[kind]]: 1,
        })
        .onConflict((oc) =>
          oc.columns(["challenge_id", "solution_id"]).doUpdateSet({
            score: p.score,
            features: p.features,
            reasons: p.reasons,
            model_version: options.modelVersion,
            computed_at: now,
            [flagOf[kind]]: 1,
          }),
        )
        .execute();
      await offerToOtherSide(trx, other, kind === "challenge" ? p.solutionId : p.challengeId, options.keep);
    }
    await trx.deleteFrom("match_suggestions").where(idOf[kind], "=", id).where("for_challenge", "=", 0).where("for_solution", "=", 0).execute();
    await options.onStored?.(trx, pairs.map((p) => ({ challengeId: p.challengeId, solutionId: p.solutionId, score: p.score, previousScore: before?.get(`${p.challengeId}:${p.solutionId}`) ?? null })));
  });
}

/** The other record's list takes the pair when it is among its best `keep`; the rest drop out. */
async function offerToOtherSide(trx: Transaction<Database>, kind: RecordKind, id: number, keep: number): Promise<void> {
  const flag = flagOf[kind];
  const column = idOf[kind];
  await sql`
    update match_suggestions set ${sql.ref(flag)} = case when rowid in (
      select rowid from match_suggestions where ${sql.ref(column)} = ${id} order by score desc limit ${keep}
    ) then 1 else 0 end
    where ${sql.ref(column)} = ${id}`.execute(trx);
  await trx.deleteFrom("match_suggestions").where(column, "=", id).where("for_challenge", "=", 0).where("for_solution", "=", 0).execute();
}

/** A record that left the matcher (closed, archived, unpublished, deleted) takes its suggestions along. */
export async function clearSuggestions(db: Executor, kind: RecordKind, id: number): Promise<void> {
  await db.deleteFrom("match_suggestions").where(idOf[kind], "=", id).execute();
}

export interface StoredSuggestion {
  challengeId: number;
  solutionId: number;
  score: number;
  reasons: string;
  modelVersion: string;
  computedAt: string;
}

/** A record's stored suggestions, best first, above a score, without dismissed pairs. */
export async function listStoredSuggestions(db: DB, kind: RecordKind, id: number, options: { minScore: number; limit: number }): Promise<StoredSuggestion[]> {
  const rows = await db
    .selectFrom("match_suggestions as m")
    .select(["m.challenge_id", "m.solution_id", "m.score", "m.reasons", "m.model_version", "m.computed_at"])
    .where(`m.${idOf[kind]}`, "=", id)
    .where(`m.${flagOf[kind]}`, "=", 1)
    .where("m.score", ">=", options.minScore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("match_decisions as d")
            .select("d.id")
            .whereRef("d.challenge_id", "=", "m.challenge_id")
            .whereRef("d.solution_id", "=", "m.solution_id")
            .where("d.decision", "=", "dismissed"),
        ),
      ),
    )
    .orderBy("m.score", "desc")
    .orderBy(kind === "challenge" ? "m.solution_id" : "m.challenge_id")
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    challengeId: r.challenge_id,
    solutionId: r.solution_id,
    score: r.score,
    reasons: r.reasons,
    modelVersion: r.model_version,
    computedAt: r.computed_at,
  }));
}

/** Whether some stored features were made under another version than `version`. */
export async function hasFeaturesNotUnder(db: DB, version: string): Promise<boolean> {
  const stale = await db.selectFrom("match_features").select("record_id").where("model_version", "!=", version).limit(1).executeTakeFirst();
  return Boolean(stale);
}

/** Whether there is any challenge or solution to fit a model on. */
export async function hasRecordsToFit(db: DB): Promise<boolean> {
  const challenge = await db.selectFrom("challenges").select("id").limit(1).executeTakeFirst();
  const solution = await db.selectFrom("solutions").select("id").limit(1).executeTakeFirst();
  return Boolean(challenge || solution);
}

/** Challenges and solutions written after a moment (a fit), together. */
export async function countRecordsChangedSince(db: DB, since: string): Promise<number> {
  const c = await db.selectFrom("challenges").select((eb) => eb.fn.countAll<number>().as("n")).where("updated_at", ">", since).executeTakeFirstOrThrow();
  const s = await db.selectFrom("solutions").select((eb) => eb.fn.countAll<number>().as("n")).where("updated_at", ">", since).executeTakeFirstOrThrow();
  return Number(c.n) + Number(s.n);
}

/** Whether any suggestion is stored yet. */
export async function hasStoredSuggestions(db: DB): Promise<boolean> {
  const row = await db.selectFrom("match_suggestions").select("challenge_id").executeTakeFirst();
  return Boolean(row);
}
