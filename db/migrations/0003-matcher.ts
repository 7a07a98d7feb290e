// The matcher: fitted models, each record's features under a model, the stored suggestions, and
// curators' decisions (kept apart so a recomputation never overwrites a person's judgement).
// Frozen in time.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("match_models")
    .addColumn("version", "text", (c) => c.primaryKey())
    .addColumn("fitted_at", "text", (c) => c.notNull())
    .addColumn("documents", "integer", (c) => c.notNull())
    // JSON: document frequencies, typo targets, the LSA vocabulary.
    .addColumn("meta", "text", (c) => c.notNull())
    // Float32 LSA term vectors.
    .addColumn("vectors", "blob", (c) => c.notNull())
    // Exactly one model is current; the others are kept until nothing refers to them.
    .addColumn("is_current", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("match_features")
    .addColumn("record_kind", "text", (c) => c.notNull().check(sql`record_kind in ('challenge', 'solution')`))
    .addColumn("record_id", "integer", (c) => c.notNull())
    .addColumn("model_version", "text", (c) => c.notNull())
    // JSON: language, length, [[term, weight], ...] and tags: what scoring reads.
    .addColumn("terms", "text", (c) => c.notNull())
    // JSON: [[term, word], ...], read only to explain the pairs that are kept.
    .addColumn("surface", "text", (c) => c.notNull())
    .addColumn("embedding", "blob", (c) => c.notNull())
    .addColumn("computed_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("match_features_pk", ["record_kind", "record_id"])
    .execute();

  await db.schema
    .createTable("match_suggestions")
    .addColumn("challenge_id", "integer", (c) => c.notNull().references("challenges.id").onDelete("cascade"))
    .addColumn("solution_id", "integer", (c) => c.notNull().references("solutions.id").onDelete("cascade"))
    .addColumn("score", "real", (c) => c.notNull())
    // JSON: the feature values and the reasons shown to people.
    .addColumn("features", "text", (c) => c.notNull())
    .addColumn("reasons", "text", (c) => c.notNull())
    .addColumn("model_version", "text", (c) => c.notNull())
    .addColumn("computed_at", "text", (c) => c.notNull())
    // In the challenge's own top list, in the solution's, or both.
    .addColumn("for_challenge", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("for_solution", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("match_suggestions_pk", ["challenge_id", "solution_id"])
    .execute();
  await db.schema.createIndex("match_suggestions_by_solution").on("match_suggestions").columns(["solution_id", "score"]).execute();
  await db.schema.createIndex("match_suggestions_by_challenge").on("match_suggestions").columns(["challenge_id", "score"]).execute();

  await db.schema
    .createTable("match_decisions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("challenge_id", "integer", (c) => c.notNull().references("challenges.id").onDelete("cascade"))
    .addColumn("solution_id", "integer", (c) => c.notNull().references("solutions.id").onDelete("cascade"))
    .addColumn("decision", "text", (c) => c.notNull().check(sql`decision in ('accepted', 'dismissed', 'added')`))
    .addColumn("reason", "text")
    .addColumn("note", "text")
    .addColumn("decided_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("decided_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("match_decisions_pair", ["challenge_id", "solution_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("match_decisions").execute();
  await db.schema.dropTable("match_suggestions").execute();
  await db.schema.dropTable("match_features").execute();
  await db.schema.dropTable("match_models").execute();
}
