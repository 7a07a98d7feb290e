// The community managers' workbench: matches and their lifecycle, notes, the double opt-in of an
// introduction, an append-only audit trail, and the notification bookkeeping that makes
// sending idempotent. Frozen in time.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);
}

export async function up(db: Kysely<any>): Promise<void> {
  // One match per pair, whichever way it arose: an accepted suggestion, an accepted proposal,
  // or a pair a curator added by hand. Records are never deleted, so no cascade: a match
  // outlives a closed challenge or an archived solution and is shown marked.
  await db.schema
    .createTable("matches")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("challenge_id", "integer", (c) => c.notNull().references("challenges.id"))
    .addColumn("solution_id", "integer", (c) => c.notNull().references("solutions.id"))
    .addColumn("origin", "text", (c) => c.notNull().check(inList("origin", ["suggestion", "proposal", "manual"])))
    .addColumn("proposal_id", "integer", (c) => c.references("proposals.id").unique())
    .addColumn("stage", "text", (c) =>
      c.notNull().defaultTo("accepted").check(inList("stage", ["accepted", "introduced", "meeting", "pilot", "agreement", "outcome", "ended"])),
    )
    // The stage a match had reached when it was ended, and why.
    .addColumn("ended_at_stage", "text")
    .addColumn("end_reason", "text")
    .addColumn("procurement_route_code", "text", (c) => c.references("procurement_routes.code"))
    .addColumn("agreement_note", "text")
    // What came of it, against the measures the challenge said it would use.
    .addColumn("outcome_result", "text")
    .addColumn("next_step", "text")
    // A calendar date (YYYY-MM-DD) in Europe/Copenhagen.
    .addColumn("next_step_due", "text")
    // The score and reasons the matcher gave when the pair was accepted (null when added by hand).
    .addColumn("score", "real")
    .addColumn("reasons", "text")
    .addColumn("curator_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("introduced_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("matches_one_per_pair", ["challenge_id", "solution_id"])
    .execute();
  await db.schema.createIndex("matches_by_solution").on("matches").column("solution_id").execute();
  await db.schema.createIndex("matches_due").on("matches").columns(["next_step_due", "stage"]).execute();

  await db.schema
    .createTable("match_notes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("match_id", "integer", (c) => c.notNull().references("matches.id"))
    .addColumn("author_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("match_notes_by_match").on("match_notes").column("match_id").execute();

  // The double opt-in: one row per party of an introduced match. The token is stored hashed.
  await db.schema
    .createTable("match_confirmations")
    .addColumn("match_id", "integer", (c) => c.notNull().references("matches.id"))
    .addColumn("party", "text", (c) => c.notNull().check(inList("party", ["challenge", "solution"])))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull().check(inList("language", ["da", "en"])))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("sent_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("confirmed_at", "text")
    .addPrimaryKeyConstraint("match_confirmations_pk", ["match_id", "party"])
    .execute();

  // Who did what, when and why, written in the same transaction as the change. No foreign
  // keys: a deleted user must not rewrite history (ON DELETE SET NULL would be an UPDATE), so
  // the actor's name is copied in.
  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("actor_id", "integer")
    .addColumn("actor_name", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("challenge_id", "integer", (c) => c.notNull())
    .addColumn("solution_id", "integer", (c) => c.notNull())
    .addColumn("match_id", "integer")
    // JSON: what changed (stage from/to, the route, the decision).
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("audit_log_by_pair").on("audit_log").columns(["challenge_id", "solution_id"]).execute();
  await db.schema.createIndex("audit_log_by_match").on("audit_log").column("match_id").execute();
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);

  // Notifications. A subscription is one person's wish for one kind of news; items are the
  // news, collapsed by key (the same record never twice in one subscription); a send is one
  // mail for one subscription and period, and its primary key is what makes sending idempotent.
  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("topic", "text", (c) => c.notNull().check(inList("topic", ["matching_challenges", "matching_solutions", "followed_challenges"])))
    .addColumn("delivery", "text", (c) => c.notNull().check(inList("delivery", ["immediate", "weekly"])))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("subscriptions_one_per_topic", ["user_id", "topic"])
    .execute();

  await db.schema
    .createTable("notification_items")
    .addColumn("subscription_id", "integer", (c) => c.notNull().references("subscriptions.id").onDelete("cascade"))
    // e.g. "challenge:12": what the news is about, so repeats collapse into one row.
    .addColumn("item_key", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    // The period of the send that carried it; null while waiting.
    .addColumn("sent_period", "text")
    .addPrimaryKeyConstraint("notification_items_pk", ["subscription_id", "item_key"])
    .execute();

  await db.schema
    .createTable("notification_sends")
    .addColumn("subscription_id", "integer", (c) => c.notNull().references("subscriptions.id").onDelete("cascade"))
    // "2026-W49" for a weekly digest, "now:<item_key>" for an immediate mail.
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("items", "integer", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("notification_sends_pk", ["subscription_id", "period"])
    .execute();

  // One reminder per match and due date: a moved date may be reminded again, the same never.
  await db.schema
    .createTable("reminder_sends")
    .addColumn("match_id", "integer", (c) => c.notNull().references("matches.id"))
    .addColumn("due", "text", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("reminder_sends_pk", ["match_id", "due"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["reminder_sends", "notification_sends", "notification_items", "subscriptions", "audit_log", "match_confirmations", "match_notes", "matches"]) {
    await db.schema.dropTable(table).execute();
  }
}
