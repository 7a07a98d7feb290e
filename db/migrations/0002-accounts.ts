// Accounts and the journeys: sessions, one-time e-mail tokens, sign-in throttling, invitations,
// proposals, follows and reports. Frozen in time.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sessions")
    // Only a hash of the cookie's value is stored, so a copy of the database opens no session.
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("last_seen_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_by_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("email_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(inList("purpose", ["verify_email", "reset_password"])))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("auth_failures")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    // "account:<email>" or "address:<ip>"
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("auth_failures_by_subject").on("auth_failures").columns(["subject", "at"]).execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("email", "text", (c) => c.notNull().modifyEnd(sql`collate nocase`))
    .addColumn("organisation_id", "integer", (c) => c.references("organisations.id").onDelete("cascade"))
    .addColumn("membership_role", "text", (c) => c.check(sql`membership_role is null or membership_role in ('owner', 'member')`))
    .addColumn("global_role", "text", (c) => c.check(sql`global_role is null or global_role in ('administrator', 'community_manager')`))
    /** JSON: {"districts": [...], "administrations": [ids]} for a community manager. */
    .addColumn("scope", "text", (c) => c.notNull().defaultTo("{}").check(sql`json_valid(scope)`))
    .addColumn("invited_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("accepted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addCheckConstraint("invitations_grant_something", sql`organisation_id is not null or global_role is not null`)
    .execute();

  await db.schema
    .createTable("proposals")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("challenge_id", "integer", (c) => c.notNull().references("challenges.id").onDelete("cascade"))
    .addColumn("solution_id", "integer", (c) => c.notNull().references("solutions.id").onDelete("cascade"))
    .addColumn("proposed_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("pitch", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("sent").check(inList("status", ["sent", "accepted", "declined", "withdrawn"])),
    )
    .addColumn("answer", "text")
    .addColumn("answered_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("answered_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("proposals_one_per_pair", ["challenge_id", "solution_id"])
    .execute();
  await db.schema.createIndex("proposals_by_solution").on("proposals").column("solution_id").execute();

  await db.schema
    .createTable("follows")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("challenge_id", "integer", (c) => c.notNull().references("challenges.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("follows_pk", ["user_id", "challenge_id"])
    .execute();

  await db.schema
    .createTable("reports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("record_kind", "text", (c) => c.notNull().check(inList("record_kind", ["challenge", "solution"])))
    .addColumn("record_id", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("reporter_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("resolved_at", "text")
    .addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolution", "text", (c) => c.check(sql`resolution is null or resolution in ('unpublished', 'dismissed')`))
    .execute();
  await db.schema.createIndex("reports_open").on("reports").columns(["resolved_at", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["reports", "follows", "proposals", "invitations", "auth_failures", "email_tokens", "sessions"]) {
    await db.schema.dropTable(table).execute();
  }
}
