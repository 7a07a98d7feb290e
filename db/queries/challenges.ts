// Challenges: what a municipal administration struggles with.
import { sql } from "kysely";
import { nowIso, type DB } from "../client";
import { enqueueRecordChange } from "../outbox";
import type { Challenge, ChallengeStatus, Language } from "../schema";
import { MATCHABLE_CHALLENGE_STATUSES } from "../rules/matches";
import { recordChallengeStatusNews } from "./notifications";
import { ownedOrCoOwnedBy } from "./ownership";
import { loadTags, writeTags, type Tags } from "./tags";

export interface ChallengeInput extends Tags {
  title: string;
  summary: string;
  description: string;
  language: Language;
  ownerOrganisationId: number;
  coOwnerIds: number[];
  outcomeHoped: string | null;
  outcomeMeasure: string | null;
  budgetMinDkk: number | null;
  budgetMaxDkk: number | null;
  procurementRoute: string | null;
  deadline: string | null;
  contactTeam: string | null;
  contactEmail: string | null;
  status: ChallengeStatus;
  createdBy: number | null;
}

export interface ChallengeRecord extends Challenge {
  tags: Tags;
  coOwnerIds: number[];
}

/** Statuses the public may see; drafts never leave their owners. */
export const PUBLISHED_CHALLENGE_STATUSES: readonly ChallengeStatus[] = ["open", "in_dialogue", "closed", "solved"];

function columns(input: ChallengeInput) {
  return {
    title: input.title,
    summary: input.summary,
    description: input.description,
    language: input.language,
    owner_organisation_id: input.ownerOrganisationId,
    whole_city: input.wholeCity ? (1 as const) : (0 as const),
    outcome_hoped: input.outcomeHoped,
    outcome_measure: input.outcomeMeasure,
    budget_min_dkk: input.budgetMinDkk,
    budget_max_dkk: input.budgetMaxDkk,
    procurement_route_code: input.procurementRoute,
    deadline: input.deadline,
    contact_team: input.contactTeam,
    contact_email: input.contactEmail,
    status: input.status,
  };
}

export async function createChallenge(
  db: DB,
  input: ChallengeInput,
  options: { now?: string; publishedAt?: string } = {},
): Promise<number> {
  const now = options.now ?? nowIso();
  return db.transaction().execute(async (trx) => {
    const published = input.status !== "draft";
    const { id } = await trx
      .insertInto("challenges")
      .values({
        ...columns(input),
        published_at: published ? (options.publishedAt ?? now) : null,
        created_by: input.createdBy,
        created_at: options.publishedAt ?? now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeTags(trx, "challenge", id, input);
    await writeCoOwners(trx, id, input.ownerOrganisationId, input.coOwnerIds);
    await enqueueRecordChange(trx, "challenge", id, now);
    return id;
  });
}

export type SaveResult = { ok: true; version: number } | { ok: false; reason: "not_found" | "stale"; current?: ChallengeRecord };

/**
 * Saves a new version of a challenge if nobody saved since `expectedVersion` was read
 * (optimistic locking). On a stale version the current record comes back so both can be shown.
 */
export async function updateChallenge(
  db: DB,
  id: number,
  expectedVersion: number,
  input: ChallengeInput,
  now: string = nowIso(),
): Promise<SaveResult> {
  const result = await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("challenges")
      .select(["version", "published_at", "status"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!current) return { ok: false as const, reason: "not_found" as const };
    if (current.version !== expectedVersion) return { ok: false as const, reason: "stale" as const };
    const version = current.version + 1;
    await trx
      .updateTable("challenges")
      .set({
        ...columns(input),
        published_at: current.published_at ?? (input.status !== "draft" ? now : null),
        version,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await writeTags(trx, "challenge", id, input);
    await writeCoOwners(trx, id, input.ownerOrganisationId, input.coOwnerIds);
    await enqueueRecordChange(trx, "challenge", id, now);
    if (input.status !== current.status) await recordChallengeStatusNews(trx, id, input.status, now);
    return { ok: true as const, version };
  });
  if (!result.ok && result.reason === "stale") {
    return { ...result, current: await findChallengeRecord(db, id) };
  }
  return result;
}

/**
 * Moves a challenge to another status. The first move out of draft publishes it. A closed or
 * solved challenge keeps its URL, proposals and history; only its status changes.
 */
export async function changeChallengeStatus(db: DB, id: number, status: ChallengeStatus, now: string = nowIso()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("challenges").select(["published_at", "status"]).where("id", "=", id).executeTakeFirst();
    if (!current) return false;
    await trx
      .updateTable("challenges")
      .set((eb) => ({
        status,
        published_at: current.published_at ?? (status !== "draft" ? now : null),
        version: eb("version", "+", 1),
        updated_at: now,
      }))
      .where("id", "=", id)
      .execute();
    await enqueueRecordChange(trx, "challenge", id, now);
    if (status !== current.status) await recordChallengeStatusNews(trx, id, status, now);
    return true;
  });
}

async function writeCoOwners(db: DB, id: number, ownerId: number, coOwnerIds: number[]): Promise<void> {
  await db.deleteFrom("challenge_co_owners").where("challenge_id", "=", id).execute();
  const others = [...new Set(coOwnerIds)].filter((o) => o !== ownerId);
  if (others.length > 0) {
    await db
      .insertInto("challenge_co_owners")
      .values(others.map((organisation_id) => ({ challenge_id: id, organisation_id })))
      .execute();
  }
}

export async function findChallengeRecord(db: DB, id: number): Promise<ChallengeRecord | undefined> {
  const [record] = await listChallengeRecords(db, [id]);
  return record;
}

/** Challenges with their tags and co-owners, in the order of `ids` (missing ids are skipped). */
export async function listChallengeRecords(db: DB, ids: number[]): Promise<ChallengeRecord[]> {
  if (ids.length === 0) return [];
  const rows: Challenge[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    rows.push(...(await db.selectFrom("challenges").selectAll().where("id", "in", ids.slice(i, i + 5000)).execute()));
  }
  const tags = await loadTags(db, "challenge", ids);
  const coOwners = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i += 5000) {
    const owners = await db
      .selectFrom("challenge_co_owners")
      .select(["challenge_id", "organisation_id"])
      .where("challenge_id", "in", ids.slice(i, i + 5000))
      .execute();
    for (const o of owners) coOwners.set(o.challenge_id, [...(coOwners.get(o.challenge_id) ?? []), o.organisation_id]);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{ ...row, tags: { ...tags.get(id)!, wholeCity: row.whole_city === 1 }, coOwnerIds: coOwners.get(id) ?? [] }];
  });
}

export async function listAllChallengeIds(db: DB): Promise<number[]> {
  const rows = await db.selectFrom("challenges").select("id").orderBy("id").execute();
  return rows.map((r) => r.id);
}

export async function countChallenges(db: DB): Promise<number> {
  const row = await db.selectFrom("challenges").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------
// Lists the pages show

/** The challenges these administrations own or co-own, drafts too, last changed first. */
export async function listChallengesOfAdministrations(db: DB, administrationIds: number[]) {
  if (administrationIds.length === 0) return [];
  return db
    .selectFrom("challenges")
    .select(["id", "title", "status", "moderated_at", "updated_at"])
    .where((eb) => ownedOrCoOwnedBy(eb, { id: "challenges.id", owner: "challenges.owner_organisation_id" }, administrationIds))
    .orderBy("updated_at", "desc")
    .execute();
}

/**
 * The ten newest challenges, those in a community manager's area first: owned by an
 * administration they cover, or in one of their districts.
 */
export async function listNewestChallengesForCurator(db: DB, area: { administrations: number[]; districts: string[] }) {
  const { administrations, districts } = area;
  return db
    .selectFrom("challenges")
    .select(["id", "title", "status", "created_at"])
    .select(
      sql<number>`(owner_organisation_id in (${sql.join(administrations.length ? administrations : [-1])})
            or exists (select 1 from challenge_districts d where d.challenge_id = challenges.id and d.district_code in (${sql.join(districts.length ? districts : [""])})))`.as(
        "in_area",
      ),
    )
    .orderBy(sql`in_area desc, created_at desc`)
    .limit(10)
    .execute();
}

/** Open or in-dialogue (matchable), unmoderated challenges. */
export async function countOpenChallenges(db: DB): Promise<number> {
  const row = await db
    .selectFrom("challenges")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "in", [...MATCHABLE_CHALLENGE_STATUSES])
    .where("moderated_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The most recently published public challenges, with their owner's name (the front page). */
export async function listLatestPublishedChallenges(db: DB, limit: number) {
  return db
    .selectFrom("challenges")
    .innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id")
    .select(["challenges.id", "challenges.title", "challenges.summary", "challenges.language", "organisations.name as owner"])
    .where("challenges.status", "in", [...PUBLISHED_CHALLENGE_STATUSES])
    .where("challenges.moderated_at", "is", null)
    .orderBy("challenges.published_at", "desc")
    .limit(limit)
    .execute();
}

/** Every public challenge's id and last change, by id (the sitemap). */
export async function listPublicChallengeDates(db: DB) {
  return db.selectFrom("challenges").select(["id", "updated_at"]).where("status", "in", [...PUBLISHED_CHALLENGE_STATUSES]).where("moderated_at", "is", null).orderBy("id").execute();
}

/** Challenges open to matching and unmoderated, by title (adding a pair by hand). */
export async function listMatchableChallengeChoices(db: DB) {
  return db
    .selectFrom("challenges")
    .select(["id", "title"])
    .where("status", "in", [...MATCHABLE_CHALLENGE_STATUSES])
    .where("moderated_at", "is", null)
    .orderBy("title")
    .execute();
}

/** These challenges, whatever their status, with what deciding whether to show them needs and their owner's names. */
export async function listChallengesWithOwner(db: DB, ids: number[]) {
  return db
    .selectFrom("challenges")
    .innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id")
    .select([
      "challenges.id",
      "challenges.title",
      "challenges.language",
      "challenges.status",
      "challenges.moderated_at",
      "challenges.owner_organisation_id",
      "organisations.name as owner",
      "organisations.name_en as owner_en",
    ])
    .where("challenges.id", "in", ids)
    .execute();
}

/** The co-owning administrations of these challenges, one row per pair. */
export async function listCoOwners(db: DB, challengeIds: number[]) {
  return db.selectFrom("challenge_co_owners").select(["challenge_id", "organisation_id"]).where("challenge_id", "in", challengeIds).execute();
}
