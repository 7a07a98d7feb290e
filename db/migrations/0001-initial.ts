// The first schema: reference data, organisations and people, challenges and solutions with
// their tags, and the outbox. Frozen in time: later changes come as new migrations.
import { sql, type Kysely, type SqlBool } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);
}

/** A many-to-many tag table: (owner id, tag value), both keys, cascading with the owner. */
async function createTagTable(
  db: Kysely<any>,
  name: string,
  owner: { column: string; table: string },
  tag: { column: string; type: "text" | "integer"; references: string },
) {
  await db.schema
    .createTable(name)
    .addColumn(owner.column, "integer", (c) =>
      c.notNull().references(`${owner.table}.id`).onDelete("cascade"),
    )
    .addColumn(tag.column, tag.type, (c) => c.notNull().references(tag.references))
    .addPrimaryKeyConstraint(`${name}_pk`, [owner.column, tag.column])
    .execute();
  await db.schema.createIndex(`${name}_by_tag`).on(name).column(tag.column).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("municipality")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name_da", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("cvr", "text")
    .addColumn("whole_city_da", "text", (c) => c.notNull())
    .addColumn("whole_city_en", "text", (c) => c.notNull())
    .execute();

  for (const table of ["districts", "target_groups"]) {
    await db.schema
      .createTable(table)
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("name_da", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .addColumn("sort_order", "integer", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
  }

  await db.schema
    .createTable("sdg_goals")
    .addColumn("goal", "integer", (c) => c.primaryKey().check(sql`goal between 1 and 17`))
    .addColumn("short_da", "text", (c) => c.notNull())
    .addColumn("short_en", "text", (c) => c.notNull())
    .addColumn("title_en", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sdg_targets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("goal", "integer", (c) => c.notNull().references("sdg_goals.goal"))
    .addColumn("title_en", "text", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("procurement_routes")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name_da", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("legal_ref", "text")
    .addColumn("guidance_da", "text", (c) => c.notNull())
    .addColumn("guidance_en", "text", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("procurement_thresholds")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name_da", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("amount_dkk", "integer", (c) => c.notNull())
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_to", "text")
    .addUniqueConstraint("procurement_thresholds_kind_from", ["kind", "valid_from"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("email", "text", (c) => c.notNull().modifyEnd(sql`collate nocase`).unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("email_verified_at", "text")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("da").check(sql`locale in ('da', 'en')`))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("last_login_at", "text")
    .addColumn("erased_at", "text")
    .execute();

  await db.schema
    .createTable("organisations")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .check(
          inList("kind", [
            "municipal_administration",
            "social_enterprise",
            "association",
            "company",
            "foundation",
          ]),
        ),
    )
    .addColumn("code", "text", (c) => c.unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_en", "text")
    .addColumn("cvr", "text", (c) => c.check(sql`cvr is null or (length(cvr) = 8 and cvr not glob '*[^0-9]*')`))
    .addColumn("cvr_status", "text", (c) =>
      c.notNull().defaultTo("none").check(inList("cvr_status", ["none", "pending", "verified", "not_found"])),
    )
    .addColumn("rsv_registered", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rsv_confirmed_at", "text")
    .addColumn("rsv_confirmed_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("website", "text")
    .addColumn("description", "text")
    .addColumn("district_code", "text", (c) => c.references("districts.code"))
    .addColumn("contact_email", "text")
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  // All of a municipality's administrations share its CVR; everyone else's CVR is theirs alone.
  await db.schema
    .createIndex("organisations_unique_cvr")
    .on("organisations")
    .column("cvr")
    .unique()
    .where(sql.raw<SqlBool>("cvr is not null and kind <> 'municipal_administration'"))
    .execute();

  await db.schema
    .createTable("user_roles")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(inList("role", ["administrator", "community_manager"])))
    .addColumn("granted_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("granted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addPrimaryKeyConstraint("user_roles_pk", ["user_id", "role"])
    .execute();

  await db.schema
    .createTable("memberships")
    .addColumn("organisation_id", "integer", (c) =>
      c.notNull().references("organisations.id").onDelete("cascade"),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(inList("role", ["owner", "member"])))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("memberships_pk", ["organisation_id", "user_id"])
    .execute();
  await db.schema.createIndex("memberships_by_user").on("memberships").column("user_id").execute();

  await db.schema
    .createTable("curator_districts")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("district_code", "text", (c) => c.notNull().references("districts.code"))
    .addPrimaryKeyConstraint("curator_districts_pk", ["user_id", "district_code"])
    .execute();
  await db.schema
    .createTable("curator_administrations")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("organisation_id", "integer", (c) =>
      c.notNull().references("organisations.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("curator_administrations_pk", ["user_id", "organisation_id"])
    .execute();

  await db.schema
    .createTable("challenges")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull().check(sql`language in ('da', 'en')`))
    .addColumn("owner_organisation_id", "integer", (c) => c.notNull().references("organisations.id"))
    .addColumn("whole_city", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("outcome_hoped", "text")
    .addColumn("outcome_measure", "text")
    .addColumn("budget_min_dkk", "integer", (c) => c.check(sql`budget_min_dkk is null or budget_min_dkk >= 0`))
    .addColumn("budget_max_dkk", "integer")
    .addColumn("procurement_route_code", "text", (c) => c.references("procurement_routes.code"))
    .addColumn("deadline", "text")
    .addColumn("contact_team", "text")
    .addColumn("contact_email", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().check(inList("status", ["draft", "open", "in_dialogue", "closed", "solved"])),
    )
    .addColumn("published_at", "text")
    .addColumn("moderated_at", "text")
    .addColumn("moderated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("moderation_reason", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint(
      "challenges_budget_order",
      sql`budget_min_dkk is null or budget_max_dkk is null or budget_min_dkk <= budget_max_dkk`,
    )
    .execute();
  await db.schema.createIndex("challenges_by_owner").on("challenges").column("owner_organisation_id").execute();
  await db.schema.createIndex("challenges_by_status").on("challenges").columns(["status", "published_at"]).execute();

  await db.schema
    .createTable("solutions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull().check(sql`language in ('da', 'en')`))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id"))
    .addColumn("whole_city", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("stage", "text", (c) => c.notNull().check(inList("stage", ["idea", "pilot", "running", "scaling"])))
    .addColumn("evidence", "text")
    .addColumn("price_model", "text")
    .addColumn("status", "text", (c) => c.notNull().check(inList("status", ["draft", "published", "archived"])))
    .addColumn("published_at", "text")
    .addColumn("moderated_at", "text")
    .addColumn("moderated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("moderation_reason", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("solutions_by_organisation").on("solutions").column("organisation_id").execute();
  await db.schema.createIndex("solutions_by_status").on("solutions").columns(["status", "published_at"]).execute();

  const challenge = { column: "challenge_id", table: "challenges" };
  const solution = { column: "solution_id", table: "solutions" };
  await createTagTable(db, "challenge_co_owners", challenge, {
    column: "organisation_id",
    type: "integer",
    references: "organisations.id",
  });
  for (const [owner, prefix] of [
    [challenge, "challenge"],
    [solution, "solution"],
  ] as const) {
    await createTagTable(db, `${prefix}_districts`, owner, {
      column: "district_code",
      type: "text",
      references: "districts.code",
    });
    await createTagTable(db, `${prefix}_sdg_goals`, owner, {
      column: "goal",
      type: "integer",
      references: "sdg_goals.goal",
    });
    await createTagTable(db, `${prefix}_sdg_targets`, owner, {
      column: "target_id",
      type: "text",
      references: "sdg_targets.id",
    });
    await createTagTable(db, `${prefix}_target_groups`, owner, {
      column: "target_group_code",
      type: "text",
      references: "target_groups.code",
    });
  }

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("record_key", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull().check(sql`json_valid(payload)`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(inList("status", ["pending", "done", "dead"])),
    )
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("available_at", "text", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("done_at", "text")
    .execute();
  // At most one pending row per record and topic: later writes coalesce into it.
  await db.schema
    .createIndex("outbox_one_pending_per_record")
    .on("outbox")
    .columns(["topic", "record_key"])
    .unique()
    .where(sql.raw<SqlBool>("status = 'pending'"))
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "available_at"]).execute();
  await db.schema.createIndex("outbox_seq").on("outbox").column("seq").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const tables = [
    "outbox",
    "solution_target_groups",
    "solution_sdg_targets",
    "solution_sdg_goals",
    "solution_districts",
    "challenge_target_groups",
    "challenge_sdg_targets",
    "challenge_sdg_goals",
    "challenge_districts",
    "challenge_co_owners",
    "solutions",
    "challenges",
    "curator_administrations",
    "curator_districts",
    "memberships",
    "user_roles",
    "organisations",
    "users",
    "procurement_thresholds",
    "procurement_routes",
    "sdg_targets",
    "sdg_goals",
    "target_groups",
    "districts",
    "municipality",
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
}
