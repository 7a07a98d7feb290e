// Trust: one table for every mailed token, rate limits that survive a restart, a governance
// audit trail, deactivated accounts, sessions with a device and a second factor, TOTP and
// recovery codes. Frozen in time.
//
// The tokens that lived in four places (email_tokens, and a token_hash column on invitations,
// match_confirmations and subscriptions) move into `tokens`, hashes and all, so links in mails
// already sent keep working until they expire. SQLite cannot drop a UNIQUE column, so those
// three tables are rebuilt without it (SQLite's documented procedure: foreign keys off, new
// table, copy, drop, rename, check).
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);
}

const PURPOSES = ["verify_email", "reset_password", "invitation", "introduction", "unsubscribe"] as const;

async function rebuild(db: Kysely<any>, table: string, create: (name: string) => Promise<void>, columns: string[], indexes: string[] = []): Promise<void> {
  const temp = `${table}_rebuilt`;
  await create(temp);
  const list = columns.join(", ");
  await sql.raw(`INSERT INTO ${temp} (${list}) SELECT ${list} FROM ${table}`).execute(db);
  await sql.raw(`DROP TABLE ${table}`).execute(db);
  await sql.raw(`ALTER TABLE ${temp} RENAME TO ${table}`).execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  // Outside any transaction, or SQLite ignores it.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema
        .createTable("tokens")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("purpose", "text", (c) => c.notNull().check(inList("purpose", PURPOSES)))
        // SHA-256 of the token: a copy of the database opens nothing.
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        // What the token is about: "user:7", "invitation:3", "match:5:challenge", "subscription:9".
        .addColumn("subject", "text", (c) => c.notNull())
        // The addressee: the account (when there is one) and the address the mail went to.
        .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("cascade"))
        .addColumn("email", "text", (c) => c.notNull().modifyEnd(sql`collate nocase`))
        .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .execute();
      await trx.schema.createIndex("tokens_by_subject").on("tokens").columns(["subject", "purpose"]).execute();
      await trx.schema.createIndex("tokens_by_expiry").on("tokens").column("expires_at").execute();

      await sql`
        INSERT INTO tokens (purpose, token_hash, subject, user_id, email, created_at, expires_at, used_at)
        SELECT t.purpose, t.token_hash, 'user:' || t.user_id, t.user_id, u.email, t.created_at, t.expires_at, t.used_at
        FROM email_tokens t JOIN users u ON u.id = t.user_id`.execute(trx);
      await sql`
        INSERT INTO tokens (purpose, token_hash, subject, user_id, email, created_at, expires_at, used_at)
        SELECT 'invitation', token_hash, 'invitation:' || id, NULL, email, created_at, expires_at, accepted_at FROM invitations`.execute(trx);
      // Introductions had no expiry: they get the new lifetime from today.
      await sql`
        INSERT INTO tokens (purpose, token_hash, subject, user_id, email, created_at, expires_at, used_at)
        SELECT 'introduction', token_hash, 'match:' || match_id || ':' || party, NULL, email, sent_at,
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+14 days'), confirmed_at
        FROM match_confirmations`.execute(trx);
      await sql`
        INSERT INTO tokens (purpose, token_hash, subject, user_id, email, created_at, expires_at, used_at)
        SELECT 'unsubscribe', s.token_hash, 'subscription:' || s.id, s.user_id, u.email, s.created_at,
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days'), NULL
        FROM subscriptions s JOIN users u ON u.id = s.user_id`.execute(trx);

      await rebuild(
        trx,
        "invitations",
        (name) =>
          trx.schema
            .createTable(name)
            .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
            .addColumn("email", "text", (c) => c.notNull().modifyEnd(sql`collate nocase`))
            .addColumn("organisation_id", "integer", (c) => c.references("organisations.id").onDelete("cascade"))
            .addColumn("membership_role", "text", (c) => c.check(sql`membership_role is null or membership_role in ('owner', 'member')`))
            .addColumn("global_role", "text", (c) => c.check(sql`global_role is null or global_role in ('administrator', 'community_manager')`))
            .addColumn("scope", "text", (c) => c.notNull().defaultTo("{}").check(sql`json_valid(scope)`))
            .addColumn("invited_by", "integer", (c) => c.references("users.id").onDelete("set null"))
            .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
            .addColumn("expires_at", "text", (c) => c.notNull())
            .addColumn("accepted_at", "text")
            .addColumn("accepted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
            .addCheckConstraint("invitations_grant_something", sql`organisation_id is not null or global_role is not null`)
            .execute(),
        ["id", "email", "organisation_id", "membership_role", "global_role", "scope", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"],
      );
      await rebuild(
        trx,
        "match_confirmations",
        (name) =>
          trx.schema
            .createTable(name)
            .addColumn("match_id", "integer", (c) => c.notNull().references("matches.id"))
            .addColumn("party", "text", (c) => c.notNull().check(inList("party", ["challenge", "solution"])))
            .addColumn("email", "text", (c) => c.notNull())
            .addColumn("language", "text", (c) => c.notNull().check(inList("language", ["da", "en"])))
            .addColumn("sent_at", "text", (c) => c.notNull().defaultTo(now))
            .addColumn("confirmed_at", "text")
            .addPrimaryKeyConstraint("match_confirmations_pk", ["match_id", "party"])
            .execute(),
        ["match_id", "party", "email", "language", "sent_at", "confirmed_at"],
      );
      await rebuild(
        trx,
        "subscriptions",
        (name) =>
          trx.schema
            .createTable(name)
            .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
            .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
            .addColumn("topic", "text", (c) => c.notNull().check(inList("topic", ["matching_challenges", "matching_solutions", "followed_challenges"])))
            .addColumn("delivery", "text", (c) => c.notNull().check(inList("delivery", ["immediate", "weekly"])))
            .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
            .addUniqueConstraint("subscriptions_one_per_topic", ["user_id", "topic"])
            .execute(),
        ["id", "user_id", "topic", "delivery", "created_at"],
      );
      await trx.schema.dropTable("email_tokens").execute();
      await trx.schema.dropTable("auth_failures").execute();

      const problems = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(trx);
      if (problems.rows.length > 0) throw new Error(`foreign keys broken by the rebuild: ${JSON.stringify(problems.rows.slice(0, 5))}`);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }

  // Rate limits: one row per attempt that counts, per bucket ("signin:address:1.2.3.4").
  await db.schema
    .createTable("rate_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_events_by_bucket").on("rate_events").columns(["bucket", "at"]).execute();

  // Who changed who may do what, and what the public sees: role grants and revocations,
  // deactivations, moderation, reference edits, confirmations. Like audit_log (the workbench's
  // history of pairs), append-only and without foreign keys, the actor's name copied in.
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("actor_id", "integer")
    .addColumn("actor_name", "text")
    .addColumn("action", "text", (c) => c.notNull())
    // "user:7", "challenge:3", "organisation:2", "districts:noerrebro"
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}").check(sql`json_valid(detail)`))
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("audit_events_by_subject").on("audit_events").column("subject").execute();
  await sql`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);

  await db.schema.alterTable("users").addColumn("deactivated_at", "text").execute();

  await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
  // When this session proved the second factor; null for accounts without one.
  await db.schema.alterTable("sessions").addColumn("second_factor_at", "text").execute();
  // 1 while the password is right but the second factor not yet given: such a session opens nothing.
  await db.schema.alterTable("sessions").addColumn("awaiting_second_factor", "integer", (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable("second_factors")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    // Base32 TOTP secret (RFC 6238); the portal must read it to check codes, so it cannot be hashed.
    .addColumn("secret", "text", (c) => c.notNull())
    // Null while being set up: the first right code turns it on.
    .addColumn("enabled_at", "text")
    // The newest time step a code was accepted for: a code never works twice.
    .addColumn("last_step", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull().unique())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("recovery_codes_by_user").on("recovery_codes").column("user_id").execute();

  // Dates that are not calendar dates were accepted before and broke the pages that show them.
  await sql`UPDATE challenges SET deadline = NULL WHERE deadline IS NOT NULL AND (date(deadline) IS NULL OR date(deadline) <> deadline)`.execute(db);
  await sql`UPDATE matches SET next_step_due = NULL WHERE next_step_due IS NOT NULL AND (date(next_step_due) IS NULL OR date(next_step_due) <> next_step_due)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["recovery_codes", "second_factors", "audit_events", "rate_events"]) await db.schema.dropTable(table).execute();
  for (const column of ["awaiting_second_factor", "second_factor_at", "user_agent"]) await db.schema.alterTable("sessions").dropColumn(column).execute();
  await db.schema.alterTable("users").dropColumn("deactivated_at").execute();

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
  await sql`
    INSERT INTO email_tokens (user_id, purpose, token_hash, created_at, expires_at, used_at)
    SELECT user_id, purpose, token_hash, created_at, expires_at, used_at FROM tokens
    WHERE purpose IN ('verify_email', 'reset_password') AND user_id IS NOT NULL`.execute(db);
  await db.schema
    .createTable("auth_failures")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("auth_failures_by_subject").on("auth_failures").columns(["subject", "at"]).execute();
  // The other tokens go back to their tables where they can; the rest get a random hash, so
  // their links stop working (a down migration is for development, not for live data).
  for (const [table, subject] of [
    ["invitations", sql`'invitation:' || id`],
    ["subscriptions", sql`'subscription:' || id`],
    ["match_confirmations", sql`'match:' || match_id || ':' || party`],
  ] as const) {
    await sql.raw(`ALTER TABLE ${table} ADD COLUMN token_hash text`).execute(db);
    await sql`UPDATE ${sql.table(table)} SET token_hash = coalesce((SELECT token_hash FROM tokens WHERE tokens.subject = ${subject} ORDER BY id DESC LIMIT 1), lower(hex(randomblob(32))))`.execute(db);
    await sql.raw(`CREATE UNIQUE INDEX ${table}_token_hash ON ${table} (token_hash)`).execute(db);
  }
  await db.schema.dropTable("tokens").execute();
}
