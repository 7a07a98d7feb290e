// The community managers' overview in SQL: the funnel from the matcher's suggestions to the
// outcomes of matches, month by month, by the challenge's owning administration and district;
// the challenges nobody has a good match for (unmet need), the solutions no challenge has found,
// and why suggestions were dismissed.
//
// Months are calendar months in the portal's time zone (Europe/Copenhagen), not UTC: a match
// made at 00:30 on 1 November in Copenhagen is November's, although its timestamp says
// 31 October. SQLite knows no time zones, so events are counted in SQL by UTC hour and the
// hours are put into months here (every offset of Europe/Copenhagen is a whole hour).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { DB } from "../client";
import type { Database, MatchStage } from "../schema";
import { WHOLE_CITY } from "./browse";
import { addMonths, monthOf, monthsBetween, monthStart } from "../rules/calendar";
import { MATCHABLE_CHALLENGE_STATUSES, MATCHABLE_SOLUTION_STATUSES, stageRank as rank } from "../rules/matches";

export { WHOLE_CITY };
/** The district bucket of a challenge that names no district and is not for the whole city. */
export const NO_DISTRICT = "ingen-bydel";

export const FUNNEL_STEPS = ["suggestions", "matches", "introductions", "pilots", "agreements", "outcomes"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];
export type FunnelCounts = Record<FunnelStep, number>;

/** The steps dated by reaching a stage of the match lifecycle, and the stage each stands for. */
const STAGE_STEPS = { introductions: "introduced", pilots: "pilot", agreements: "agreement", outcomes: "outcome" } as const satisfies Partial<
  Record<FunnelStep, MatchStage>
>;

export function emptyCounts(): FunnelCounts {
  return { suggestions: 0, matches: 0, introductions: 0, pilots: 0, agreements: 0, outcomes: 0 };
}

// ---------------------------------------------------------------------------------------------
// Filters

export interface OverviewFilter {
  /** The first and last month, "YYYY-MM", both included, in `timeZone`. */
  from: string;
  to: string;
  timeZone: string;
  /** The challenge's owning administration. */
  administrationId?: number;
  /** A district code, WHOLE_CITY or NO_DISTRICT. */
  district?: string;
}

function range(f: OverviewFilter): { start: string; end: string } {
  return { start: monthStart(f.from, f.timeZone), end: monthStart(addMonths(f.to, 1), f.timeZone) };
}

/** A challenge (aliased `c`) counts in a district bucket: the district's, the whole city's, or none. */
function challengeInDistrict(eb: ExpressionBuilder<Database & { c: Database["challenges"] }, "c">, district: string): Expression<SqlBool> {
  if (district === WHOLE_CITY) return eb("c.whole_city", "=", 1);
  if (district === NO_DISTRICT) {
    return eb.and([eb("c.whole_city", "=", 0), eb.not(eb.exists(eb.selectFrom("challenge_districts as cd").select("cd.challenge_id").whereRef("cd.challenge_id", "=", "c.id")))]);
  }
  return eb.exists(eb.selectFrom("challenge_districts as cd").select("cd.challenge_id").whereRef("cd.challenge_id", "=", "c.id").where("cd.district_code", "=", district));
}

function solutionInDistrict(eb: ExpressionBuilder<Database & { s: Database["solutions"] }, "s">, district: string): Expression<SqlBool> {
  if (district === WHOLE_CITY) return eb("s.whole_city", "=", 1);
  if (district === NO_DISTRICT) {
    return eb.and([eb("s.whole_city", "=", 0), eb.not(eb.exists(eb.selectFrom("solution_districts as sd").select("sd.solution_id").whereRef("sd.solution_id", "=", "s.id")))]);
  }
  return eb.exists(eb.selectFrom("solution_districts as sd").select("sd.solution_id").whereRef("sd.solution_id", "=", "s.id").where("sd.district_code", "=", district));
}

// ---------------------------------------------------------------------------------------------
// The funnel

export interface FunnelCell {
  period: string;
  administrationId: number;
  district: string;
  counts: FunnelCounts;
}

export interface Funnel {
  /** Each event once. */
  total: FunnelCounts;
  /** Every month of the range, in order, empty ones too. */
  byMonth: Array<{ period: string; counts: FunnelCounts }>;
  /** Administrations with at least one event, by id. */
  byAdministration: Map<number, FunnelCounts>;
  /** District buckets with at least one event. A challenge in two districts counts in both. */
  byDistrict: Map<string, FunnelCounts>;
  /** Month × administration × district, the cells with at least one event, in that order. */
  detail: FunnelCell[];
}

interface ChallengeDims {
  administrationId: number;
  districts: string[];
}

async function challengeDimensions(db: DB): Promise<Map<number, ChallengeDims>> {
  const [challenges, districts] = await Promise.all([
    db.selectFrom("challenges").select(["id", "owner_organisation_id", "whole_city"]).execute(),
    db.selectFrom("challenge_districts").select(["challenge_id", "district_code"]).orderBy("district_code").execute(),
  ]);
  const named = new Map<number, string[]>();
  for (const d of districts) named.set(d.challenge_id, [...(named.get(d.challenge_id) ?? []), d.district_code]);
  return new Map(
    challenges.map((c) => {
      const list = [...(c.whole_city ? [WHOLE_CITY] : []), ...(named.get(c.id) ?? [])];
      return [c.id, { administrationId: c.owner_organisation_id, districts: list.length ? list : [NO_DISTRICT] }];
    }),
  );
}

/**
 * How far along the funnel things got, each step counted in the month it was reached:
 *
 * - suggestions: the matcher's stored pairs at or above `minScore`, by when they were computed;
 *   a pair a curator accepted or dismissed whose stored row has since gone (dismissing deletes
 *   it; a closed challenge takes its list along) still counts, by the date of the decision;
 * - matches: every match, whatever its origin, by when it was made;
 * - introductions: by `introduced_at`;
 * - pilots, agreements, outcomes: by the first audit row (action "stage") that moved the match
 *   to that stage or past it. A match whose stage (or the stage it ended at) is at or past a
 *   step counts even without such a row, dated by its last change.
 *
 * This counts activity, not cohorts: a match made in March and introduced in April is March's
 * match and April's introduction. Matches include proposals and pairs added by hand, so a step
 * can be larger than the one before it.
 */
export async function loadFunnel(db: DB, f: OverviewFilter & { minScore: number }): Promise<Funnel> {
  const { start, end } = range(f);
  const dims = await challengeDimensions(db);

  const months = monthsBetween(f.from, f.to);
  const byMonth = new Map(months.map((m) => [m, emptyCounts()]));
  const total = emptyCounts();
  const byAdministration = new Map<number, FunnelCounts>();
  const byDistrict = new Map<string, FunnelCounts>();
  const cells = new Map<string, FunnelCell>();
  const monthCache = new Map<string, string>();

  const add = (step: FunnelStep, challengeId: number, at: string, n = 1) => {
    const d = dims.get(challengeId);
    if (!d) return;
    if (f.administrationId !== undefined && d.administrationId !== f.administrationId) return;
    if (f.district !== undefined && !d.districts.includes(f.district)) return;
    let period = monthCache.get(at);
    if (period === undefined) {
      period = monthOf(at, f.timeZone);
      monthCache.set(at, period);
    }
    const month = byMonth.get(period);
    if (!month) return;
    month[step] += n;
    total[step] += n;
    const admin = byAdministration.get(d.administrationId) ?? emptyCounts();
    admin[step] += n;
    byAdministration.set(d.administrationId, admin);
    for (const district of d.districts) {
      if (f.district !== undefined && district !== f.district) continue;
      const bucket = byDistrict.get(district) ?? emptyCounts();
      bucket[step] += n;
      byDistrict.set(district, bucket);
      const key = `${period}\u0000${d.administrationId}\u0000${district}`;
      const cell = cells.get(key) ?? { period, administrationId: d.administrationId, district, counts: emptyCounts() };
      cell.counts[step] += n;
      cells.set(key, cell);
    }
  };
  // SQL hands back UTC hours ("2026-10-31T23"); a whole-hour offset never splits one.
  const hourIso = (hour: string) => `${hour}:00:00.000Z`;

  // Suggestions: stored pairs, and decided pairs whose stored row is gone.
  const stored = await db
    .selectFrom("match_suggestions")
    .select(["challenge_id", sql<string>`substr(computed_at, 1, 13)`.as("hour"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("score", ">=", f.minScore)
    .where("computed_at", ">=", start)
    .where("computed_at", "<", end)
    .groupBy(["challenge_id", "hour"])
    .execute();
  for (const r of stored) add("suggestions", r.challenge_id, hourIso(r.hour), Number(r.n));
  const decided = await db
    .selectFrom("match_decisions as d")
    .select(["d.challenge_id", sql<string>`substr(d.decided_at, 1, 13)`.as("hour"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("d.decision", "in", ["accepted", "dismissed"])
    .where("d.decided_at", ">=", start)
    .where("d.decided_at", "<", end)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("match_suggestions as s")
            .select("s.challenge_id")
            .whereRef("s.challenge_id", "=", "d.challenge_id")
            .whereRef("s.solution_id", "=", "d.solution_id")
            .where("s.score", ">=", f.minScore),
        ),
      ),
    )
    .groupBy(["d.challenge_id", "hour"])
    .execute();
  for (const r of decided) add("suggestions", r.challenge_id, hourIso(r.hour), Number(r.n));

  // Matches and the stages they reached. People make matches, so there are few enough to read.
  const matches = await db
    .selectFrom("matches")
    .select(["challenge_id", "solution_id", "stage", "ended_at_stage", "introduced_at", "created_at", "updated_at"])
    .where("created_at", "<", end)
    .execute();
  // The first time each pair was moved to each stage. Detail is JSON written by the workbench;
  // a malformed one is skipped rather than failing the page.
  const moves = await db
    .selectFrom("audit_log")
    .select([
      "challenge_id",
      "solution_id",
      sql<string | null>`case when json_valid(detail) then json_extract(detail, '$.to') end`.as("to_stage"),
      sql<string>`min(at)`.as("at"),
    ])
    .where("action", "=", "stage")
    .where("at", "<", end)
    .groupBy(["challenge_id", "solution_id", "to_stage"])
    .execute();
  const movesOf = new Map<string, Array<{ rank: number; at: string }>>();
  for (const r of moves) {
    const k = rank(r.to_stage);
    if (k < 0) continue;
    const key = `${r.challenge_id}:${r.solution_id}`;
    movesOf.set(key, [...(movesOf.get(key) ?? []), { rank: k, at: r.at }]);
  }
  const inRange = (at: string | null | undefined): at is string => Boolean(at && at >= start && at < end);

  for (const m of matches) {
    if (inRange(m.created_at)) add("matches", m.challenge_id, m.created_at);
    const furthest = rank(m.stage === "ended" ? m.ended_at_stage : m.stage);
    const pairMoves = movesOf.get(`${m.challenge_id}:${m.solution_id}`) ?? [];
    for (const [step, stage] of Object.entries(STAGE_STEPS) as Array<[FunnelStep, MatchStage]>) {
      const need = rank(stage);
      const firstMove = pairMoves.filter((x) => x.rank >= need).reduce<string | undefined>((a, x) => (a === undefined || x.at < a ? x.at : a), undefined);
      const own = step === "introductions" ? m.introduced_at : null;
      const at = own ?? firstMove ?? (furthest >= need ? m.updated_at : undefined);
      if (inRange(at)) add(step, m.challenge_id, at);
    }
  }

  const detail = [...cells.values()].sort(
    (a, b) => a.period.localeCompare(b.period) || a.administrationId - b.administrationId || a.district.localeCompare(b.district),
  );
  return { total, byMonth: months.map((period) => ({ period, counts: byMonth.get(period)! })), byAdministration, byDistrict, detail };
}

// ---------------------------------------------------------------------------------------------
// Unmet need

export interface UnmetChallengeRow {
  id: number;
  title: string;
  language: "da" | "en";
  status: string;
  publishedAt: string | null;
  administrationId: number;
  /** District buckets: codes, WHOLE_CITY or NO_DISTRICT. */
  districts: string[];
  /** The best stored suggestion in its own list (0–1), or null when it has none. */
  bestScore: number | null;
}

/**
 * Open and in-dialogue challenges the public can see whose best stored suggestion is under
 * `minScore` or missing, and that have no match (an ended match does not count: the need is
 * still there). Dismissed pairs need no special care: dismissing deletes the stored pair and the
 * matcher never suggests it again. Longest waiting first.
 */
export async function listChallengesWithoutGoodMatch(
  db: DB,
  f: { minScore: number; administrationId?: number; district?: string },
): Promise<UnmetChallengeRow[]> {
  const best = sql<number | null>`(select max(s.score) from match_suggestions s where s.challenge_id = c.id and s.for_challenge = 1)`;
  const rows = await db
    .selectFrom("challenges as c")
    .select(["c.id", "c.title", "c.language", "c.status", "c.published_at", "c.owner_organisation_id", "c.whole_city", best.as("best_score")])
    .where("c.status", "in", [...MATCHABLE_CHALLENGE_STATUSES])
    .where("c.moderated_at", "is", null)
    .where(sql<SqlBool>`coalesce(${best}, -1) < ${f.minScore}`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("matches as x").select("x.id").whereRef("x.challenge_id", "=", "c.id").where("x.stage", "<>", "ended"))))
    .$if(f.administrationId !== undefined, (q) => q.where("c.owner_organisation_id", "=", f.administrationId!))
    .$if(f.district !== undefined, (q) => q.where((eb) => challengeInDistrict(eb, f.district!)))
    .orderBy(sql`coalesce(c.published_at, c.created_at)`)
    .orderBy("c.id")
    .execute();
  const districts = await districtsOf(db, "challenge", rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    language: r.language,
    status: r.status,
    publishedAt: r.published_at,
    administrationId: r.owner_organisation_id,
    districts: bucketsOf(r.whole_city, districts.get(r.id)),
    bestScore: r.best_score,
  }));
}

export interface UnfoundSolutionRow {
  id: number;
  title: string;
  language: "da" | "en";
  publishedAt: string | null;
  organisation: string;
  districts: string[];
  /** Its best place in any challenge's own list (0–1), or null when it is in none. */
  bestScore: number | null;
}

/**
 * Published solutions the public can see that are in no challenge's own top list at or above
 * `minScore` and have no match (an ended one does not count). Longest waiting first. The
 * administration filter is about challenges and does not apply; the district filter does.
 */
export async function listSolutionsNotFound(db: DB, f: { minScore: number; district?: string }): Promise<UnfoundSolutionRow[]> {
  const best = sql<number | null>`(select max(m.score) from match_suggestions m where m.solution_id = s.id and m.for_challenge = 1)`;
  const rows = await db
    .selectFrom("solutions as s")
    .innerJoin("organisations as o", "o.id", "s.organisation_id")
    .select(["s.id", "s.title", "s.language", "s.published_at", "s.whole_city", "o.name as organisation", best.as("best_score")])
    .where("s.status", "in", [...MATCHABLE_SOLUTION_STATUSES])
    .where("s.moderated_at", "is", null)
    .where(sql<SqlBool>`coalesce(${best}, -1) < ${f.minScore}`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("matches as x").select("x.id").whereRef("x.solution_id", "=", "s.id").where("x.stage", "<>", "ended"))))
    .$if(f.district !== undefined, (q) => q.where((eb) => solutionInDistrict(eb, f.district!)))
    .orderBy(sql`coalesce(s.published_at, s.created_at)`)
    .orderBy("s.id")
    .execute();
  const districts = await districtsOf(db, "solution", rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    language: r.language,
    publishedAt: r.published_at,
    organisation: r.organisation,
    districts: bucketsOf(r.whole_city, districts.get(r.id)),
    bestScore: r.best_score,
  }));
}

function bucketsOf(wholeCity: number, named: string[] | undefined): string[] {
  const list = [...(wholeCity ? [WHOLE_CITY] : []), ...(named ?? [])];
  return list.length ? list : [NO_DISTRICT];
}

async function districtsOf(db: DB, kind: "challenge" | "solution", ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows =
      kind === "challenge"
        ? (await db.selectFrom("challenge_districts").select(["challenge_id as id", "district_code"]).where("challenge_id", "in", chunk).orderBy("district_code").execute())
        : (await db.selectFrom("solution_districts").select(["solution_id as id", "district_code"]).where("solution_id", "in", chunk).orderBy("district_code").execute());
    for (const r of rows) out.set(r.id, [...(out.get(r.id) ?? []), r.district_code]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dismissal reasons

/**
 * Dismissed pairs by reason code (null: none given), decided within the months, for challenges
 * of the administration and district filtered on.
 */
export async function countDismissalReasons(db: DB, f: OverviewFilter): Promise<Array<{ reason: string | null; count: number }>> {
  const { start, end } = range(f);
  const rows = await db
    .selectFrom("match_decisions as d")
    .innerJoin("challenges as c", "c.id", "d.challenge_id")
    .select(["d.reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("d.decision", "=", "dismissed")
    .where("d.decided_at", ">=", start)
    .where("d.decided_at", "<", end)
    .$if(f.administrationId !== undefined, (q) => q.where("c.owner_organisation_id", "=", f.administrationId!))
    .$if(f.district !== undefined, (q) => q.where((eb) => challengeInDistrict(eb, f.district!)))
    .groupBy("d.reason")
    .execute();
  return rows.map((r) => ({ reason: r.reason, count: Number(r.n) }));
}

// ---------------------------------------------------------------------------------------------
// The filter's choices

/** The districts in their order, inactive ones too (old records may name them). */
export function listDistricts(db: DB) {
  return db.selectFrom("districts").select(["code", "name_da", "name_en", "active"]).orderBy("sort_order").execute();
}
