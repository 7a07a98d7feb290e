// Solutions: what a social enterprise, association or company already does.
import { sql } from "kysely";
import { nowIso, type DB } from "../client";
import { enqueueRecordChange } from "../outbox";
import type { Language, Solution, SolutionStage, SolutionStatus } from "../schema";
import { loadTags, writeTags, type Tags } from "./tags";

export interface SolutionInput extends Tags {
  title: string;
  summary: string;
  description: string;
  language: Language;
  organisationId: number;
  stage: SolutionStage;
  evidence: string | null;
  priceModel: string | null;
  status: SolutionStatus;
  createdBy: number | null;
}

export interface SolutionRecord extends Solution {
  tags: Tags;
}

/** Statuses the public may see: an archived solution keeps its URL and says it is archived. */
export const PUBLISHED_SOLUTION_STATUSES: readonly SolutionStatus[] = ["published", "archived"];

function columns(input: SolutionInput) {
  return {
    title: input.title,
    summary: input.summary,
    description: input.description,
    language: input.language,
    organisation_id: input.organisationId,
    whole_city: input.wholeCity ? (1 as const) : (0 as const),
    stage: input.stage,
    evidence: input.evidence,
    price_model: input.priceModel,
    status: input.status,
  };
}

export async function createSolution(
  db: DB,
  input: SolutionInput,
  options: { now?: string; publishedAt?: string } = {},
): Promise<number> {
  const now = options.now ?? nowIso();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("solutions")
      .values({
        ...columns(input),
        published_at: input.status !== "draft" ? (options.publishedAt ?? now) : null,
        created_by: input.createdBy,
        created_at: options.publishedAt ?? now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeTags(trx, "solution", id, input);
    await enqueueRecordChange(trx, "solution", id, now);
    return id;
  });
}

export type SaveResult = { ok: true; version: number } | { ok: false; reason: "not_found" | "stale"; current?: SolutionRecord };

/** Saves a new version if nobody saved since `expectedVersion` was read (optimistic locking). */
export async function updateSolution(
  db: DB,
  id: number,
  expectedVersion: number,
  input: SolutionInput,
  now: string = nowIso(),
): Promise<SaveResult> {
  const result = await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("solutions")
      .select(["version", "published_at"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!current) return { ok: false as const, reason: "not_found" as const };
    if (current.version !== expectedVersion) return { ok: false as const, reason: "stale" as const };
    const version = current.version + 1;
    await trx
      .updateTable("solutions")
      .set({
        ...columns(input),
        published_at: current.published_at ?? (input.status !== "draft" ? now : null),
        version,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await writeTags(trx, "solution", id, input);
    await enqueueRecordChange(trx, "solution", id, now);
    return { ok: true as const, version };
  });
  if (!result.ok && result.reason === "stale") {
    return { ...result, current: await findSolutionRecord(db, id) };
  }
  return result;
}

/** Publishes, archives or returns a solution to draft; an archived solution keeps its URL. */
export async function changeSolutionStatus(db: DB, id: number, status: SolutionStatus, now: string = nowIso()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("solutions").select(["published_at"]).where("id", "=", id).executeTakeFirst();
    if (!current) return false;
    await trx
      .updateTable("solutions")
      .set((eb) => ({
        status,
        published_at: current.published_at ?? (status !== "draft" ? now : null),
        version: eb("version", "+", 1),
        updated_at: now,
      }))
      .where("id", "=", id)
      .execute();
    await enqueueRecordChange(trx, "solution", id, now);
    return true;
  });
}

export async function findSolutionRecord(db: DB, id: number): Promise<SolutionRecord | undefined> {
  const [record] = await listSolutionRecords(db, [id]);
  return record;
}

/** Solutions with their tags, in the order of `ids` (missing ids are skipped). */
export async function listSolutionRecords(db: DB, ids: number[]): Promise<SolutionRecord[]> {
  if (ids.length === 0) return [];
  const rows: Solution[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    rows.push(...(await db.selectFrom("solutions").selectAll().where("id", "in", ids.slice(i, i + 5000)).execute()));
  }
  const tags = await loadTags(db, "solution", ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{ ...row, tags: { ...tags.get(id)!, wholeCity: row.whole_city === 1 } }];
  });
}

export async function listAllSolutionIds(db: DB): Promise<number[]> {
  const rows = await db.selectFrom("solutions").select("id").orderBy("id").execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Lists the pages show

/** The published, unmoderated solutions of these organisations, by title (what they may propose). */
export async function listPublishedSolutionsOf(db: DB, organisationIds: number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom("solutions")
    .select(["id", "title", "organisation_id", "status", "moderated_at"])
    .where("organisation_id", "in", organisationIds)
    .where("status", "=", "published")
    .where("moderated_at", "is", null)
    .orderBy("title")
    .execute();
}

/** One organisation's published, unmoderated solutions, newest first (its public page). */
export async function listPublishedSolutionsOfOrganisation(db: DB, organisationId: number) {
  return db
    .selectFrom("solutions")
    .select(["id", "title", "status"])
    .where("organisation_id", "=", organisationId)
    .where("status", "=", "published")
    .where("moderated_at", "is", null)
    .orderBy("published_at", "desc")
    .execute();
}

/** Every solution of these organisations, drafts too, last changed first, with the organisation's name. */
export async function listSolutionsOfOrganisations(db: DB, organisationIds: number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom("solutions")
    .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
    .select(["solutions.id", "solutions.title", "solutions.status", "solutions.moderated_at", "organisations.name as organisation"])
    .where("solutions.organisation_id", "in", organisationIds)
    .orderBy("solutions.updated_at", "desc")
    .execute();
}

/** The ten newest solutions, those in one of `districts` first (a community manager's area). */
export async function listNewestSolutionsForCurator(db: DB, districts: string[]) {
  return db
    .selectFrom("solutions")
    .select(["id", "title", "status", "created_at"])
    .select(
      sql<number>`exists (select 1 from solution_districts d where d.solution_id = solutions.id and d.district_code in (${sql.join(districts.length ? districts : [""])}))`.as(
        "in_area",
      ),
    )
    .orderBy(sql`in_area desc, created_at desc`)
    .limit(10)
    .execute();
}

/** Published, unmoderated solutions. */
export async function countPublishedSolutions(db: DB): Promise<number> {
  const row = await db
    .selectFrom("solutions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "published")
    .where("moderated_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Organisations with at least one published, unmoderated solution. */
export async function countOrganisationsWithPublishedSolutions(db: DB): Promise<number> {
  const row = await db
    .selectFrom("solutions")
    .select((eb) => eb.fn.count<number>("organisation_id").distinct().as("n"))
    .where("status", "=", "published")
    .where("moderated_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The most recently published solutions, with their organisation's name (the front page). */
export async function listLatestPublishedSolutions(db: DB, limit: number) {
  return db
    .selectFrom("solutions")
    .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
    .select(["solutions.id", "solutions.title", "solutions.summary", "solutions.language", "organisations.name as owner"])
    .where("solutions.status", "=", "published")
    .where("solutions.moderated_at", "is", null)
    .orderBy("solutions.published_at", "desc")
    .limit(limit)
    .execute();
}

/** Every public solution's id and last change, by id (the sitemap). */
export async function listPublicSolutionDates(db: DB) {
  return db.selectFrom("solutions").select(["id", "updated_at"]).where("status", "in", [...PUBLISHED_SOLUTION_STATUSES]).where("moderated_at", "is", null).orderBy("id").execute();
}

/** Published, unmoderated solutions with their organisation's name, by title (adding a pair by hand). */
export async function listPublishedSolutionChoices(db: DB) {
  return db
    .selectFrom("solutions")
    .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
    .select(["solutions.id", "solutions.title", "organisations.name as organisation"])
    .where("solutions.status", "=", "published")
    .where("solutions.moderated_at", "is", null)
    .orderBy("solutions.title")
    .execute();
}

/** These solutions, whatever their status, with what deciding whether to show them needs and their organisation's name. */
export async function listSolutionsWithOrganisation(db: DB, ids: number[]) {
  return db
    .selectFrom("solutions")
    .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
    .select(["solutions.id", "solutions.title", "solutions.language", "solutions.status", "solutions.moderated_at", "solutions.organisation_id", "organisations.name as organisation"])
    .where("solutions.id", "in", ids)
    .execute();
}

/** The lowest id of a published solution written in a language. */
export async function findFirstPublishedSolutionId(db: DB, language: Language): Promise<number | undefined> {
  const row = await db.selectFrom("solutions").select("id").where("status", "=", "published").where("language", "=", language).orderBy("id").executeTakeFirst();
  return row?.id;
}
