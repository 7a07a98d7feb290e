// The community managers' workbench in SQL: the queue of undecided suggestions, decisions, the
// match lifecycle, notes, the introduction's double opt-in and the audit trail. Every change
// and its audit row are written in one transaction, so the trail never misses a step and a
// failed step leaves no trace.
import { sql, type Transaction } from "kysely";
import { nowIso, type DB } from "../client";
import type { Executor } from "../outbox";
import type { Database, MatchOrigin, MatchParty, MatchStage } from "../schema";
import { canMoveTo, isMatchableChallenge, isMatchableSolution, MATCHABLE_CHALLENGE_STATUSES, MATCHABLE_SOLUTION_STATUSES } from "../rules/matches";
import { ownedOrCoOwnedBy } from "./ownership";

export interface AuditActor {
  id: number;
  name: string;
}

export class CurationError extends Error {
  constructor(
    readonly code: "already_decided" | "not_found" | "not_in_play" | "stale" | "bad_transition" | "already_match",
    message: string,
  ) {
    super(message);
  }
}

type Trx = Transaction<Database>;

export async function writeAudit(
  trx: Executor,
  row: { actor: AuditActor | null; action: string; challengeId: number; solutionId: number; matchId?: number | null; detail?: Record<string, unknown>; reason?: string | null; at?: string },
): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      at: row.at ?? nowIso(),
      actor_id: row.actor?.id ?? null,
      actor_name: row.actor?.name ?? null,
      action: row.action,
      challenge_id: row.challengeId,
      solution_id: row.solutionId,
      match_id: row.matchId ?? null,
      detail: JSON.stringify(row.detail ?? {}),
      reason: row.reason ?? null,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The queue

export interface QueueFilter {
  /** The curator whose districts and administrations bound the queue unless `everywhere`. */
  curatorId: number;
  everywhere: boolean;
  administrationId?: number;
  district?: string;
  sdg?: number;
  /** 0–1. */
  minScore: number;
  /** Only suggestions computed within this many days. */
  maxAgeDays?: number;
  limit: number;
  offset: number;
  now?: Date;
}

export interface QueueRow {
  challenge_id: number;
  solution_id: number;
  score: number;
  reasons: string;
  computed_at: string;
}

/**
 * Suggestions nobody has decided on, between a challenge still open and a solution still
 * published (both unmoderated), strongest and newest first. `total` counts them all.
 */
export async function listQueue(db: DB, f: QueueFilter): Promise<{ rows: QueueRow[]; total: number }> {
  const since = f.maxAgeDays !== undefined ? new Date((f.now ?? new Date()).getTime() - f.maxAgeDays * 86_400_000).toISOString() : undefined;
  const base = db
    .selectFrom("match_suggestions as m")
    .innerJoin("challenges as c", "c.id", "m.challenge_id")
    .innerJoin("solutions as s", "s.id", "m.solution_id")
    .where("c.status", "in", [...MATCHABLE_CHALLENGE_STATUSES])
    .where("c.moderated_at", "is", null)
    .where("s.status", "in", [...MATCHABLE_SOLUTION_STATUSES])
    .where("s.moderated_at", "is", null)
    .where("m.score", ">=", f.minScore)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("match_decisions as d").select("d.id").whereRef("d.challenge_id", "=", "m.challenge_id").whereRef("d.solution_id", "=", "m.solution_id"))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("matches as x").select("x.id").whereRef("x.challenge_id", "=", "m.challenge_id").whereRef("x.solution_id", "=", "m.solution_id"))),
    )
    .$if(since !== undefined, (q) => q.where("m.computed_at", ">=", since!))
    .$if(f.administrationId !== undefined, (q) =>
      q.where((eb) => ownedOrCoOwnedBy(eb, { id: "c.id", owner: "c.owner_organisation_id" }, [f.administrationId!])),
    )
    .$if(f.district !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom("challenge_districts as cd").select("cd.challenge_id").whereRef("cd.challenge_id", "=", "c.id").where("cd.district_code", "=", f.district!)),
          eb.exists(eb.selectFrom("solution_districts as sd").select("sd.solution_id").whereRef("sd.solution_id", "=", "s.id").where("sd.district_code", "=", f.district!)),
        ]),
      ),
    )
    .$if(f.sdg !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom("challenge_sdg_goals as cg").select("cg.challenge_id").whereRef("cg.challenge_id", "=", "c.id").where("cg.goal", "=", f.sdg!)),
          eb.exists(eb.selectFrom("solution_sdg_goals as sg").select("sg.solution_id").whereRef("sg.solution_id", "=", "s.id").where("sg.goal", "=", f.sdg!)),
        ]),
      ),
    )
    // A curator's own area: a challenge of an administration they cover, or a challenge or
    // solution in one of their districts (or a whole-city challenge, which is in all of them).
    // A curator with no area configured sees everything.
    .$if(!f.everywhere, (q) =>
      q.where((eb) =>
        eb.or([
          eb.not(
            eb.or([
              eb.exists(eb.selectFrom("curator_districts as k").select("k.user_id").where("k.user_id", "=", f.curatorId)),
              eb.exists(eb.selectFrom("curator_administrations as k").select("k.user_id").where("k.user_id", "=", f.curatorId)),
            ]),
          ),
          eb.exists(
            eb
              .selectFrom("curator_administrations as ka")
              .select("ka.user_id")
              .where("ka.user_id", "=", f.curatorId)
              .where((e) => ownedOrCoOwnedBy(e, { id: "c.id", owner: "c.owner_organisation_id" }, "ka.organisation_id")),
          ),
          eb.exists(
            eb
              .selectFrom("curator_districts as kd")
              .select("kd.user_id")
              .where("kd.user_id", "=", f.curatorId)
              .where((e) =>
                e.or([
                  e("c.whole_city", "=", 1),
                  e.exists(e.selectFrom("challenge_districts as cd").select("cd.challenge_id").whereRef("cd.challenge_id", "=", "c.id").whereRef("cd.district_code", "=", "kd.district_code")),
                  e.exists(e.selectFrom("solution_districts as sd").select("sd.solution_id").whereRef("sd.solution_id", "=", "s.id").whereRef("sd.district_code", "=", "kd.district_code")),
                ]),
              ),
          ),
        ]),
      ),
    );
  const [rows, count] = await Promise.all([
    base
      .select(["m.challenge_id", "m.solution_id", "m.score", "m.reasons", "m.computed_at"])
      .orderBy("m.score", "desc")
      .orderBy("m.computed_at", "desc")
      .orderBy("m.challenge_id")
      .orderBy("m.solution_id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

// ---------------------------------------------------------------------------------------------
// Decisions

async function assertInPlay(trx: Trx, challengeId: number, solutionId: number): Promise<void> {
  const c = await trx.selectFrom("challenges").select(["status", "moderated_at"]).where("id", "=", challengeId).executeTakeFirst();
  const s = await trx.selectFrom("solutions").select(["status", "moderated_at"]).where("id", "=", solutionId).executeTakeFirst();
  if (!c || !s) throw new CurationError("not_found", "no such challenge or solution");
  const open = isMatchableChallenge(c.status) && !c.moderated_at;
  const published = isMatchableSolution(s.status) && !s.moderated_at;
  if (!open || !published) throw new CurationError("not_in_play", "the challenge is not open or the solution not published");
}

async function insertDecision(
  trx: Trx,
  d: { challengeId: number; solutionId: number; decision: "accepted" | "dismissed" | "added"; reason: string | null; note: string | null; actor: AuditActor; at: string },
): Promise<void> {
  const inserted = await trx
    .insertInto("match_decisions")
    .values({ challenge_id: d.challengeId, solution_id: d.solutionId, decision: d.decision, reason: d.reason, note: d.note, decided_by: d.actor.id, decided_at: d.at })
    .onConflict((oc) => oc.columns(["challenge_id", "solution_id"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new CurationError("already_decided", "this pair has already been decided on");
}

async function insertMatch(
  trx: Trx,
  m: { challengeId: number; solutionId: number; origin: MatchOrigin; proposalId?: number | null; score: number | null; reasons: string | null; curatorId: number | null; at: string },
): Promise<number> {
  const existing = await trx.selectFrom("matches").select("id").where("challenge_id", "=", m.challengeId).where("solution_id", "=", m.solutionId).executeTakeFirst();
  if (existing) throw new CurationError("already_match", "these two are already a match");
  const { id } = await trx
    .insertInto("matches")
    .values({
      challenge_id: m.challengeId,
      solution_id: m.solutionId,
      origin: m.origin,
      proposal_id: m.proposalId ?? null,
      score: m.score,
      reasons: m.reasons,
      curator_id: m.curatorId,
      created_at: m.at,
      updated_at: m.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** Accepts a suggestion: a decision row, a match carrying the matcher's score and why, and the audit. */
export async function acceptSuggestion(db: DB, input: { challengeId: number; solutionId: number; note: string | null; actor: AuditActor }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await assertInPlay(trx, input.challengeId, input.solutionId);
    const at = nowIso();
    const suggestion = await trx
      .selectFrom("match_suggestions")
      .select(["score", "reasons"])
      .where("challenge_id", "=", input.challengeId)
      .where("solution_id", "=", input.solutionId)
      .executeTakeFirst();
    await insertDecision(trx, { ...input, decision: "accepted", reason: null, at });
    const matchId = await insertMatch(trx, {
      ...input,
      origin: "suggestion",
      score: suggestion?.score ?? null,
      reasons: suggestion?.reasons ?? null,
      curatorId: input.actor.id,
      at,
    });
    await writeAudit(trx, { actor: input.actor, action: "accepted", challengeId: input.challengeId, solutionId: input.solutionId, matchId, detail: { score: suggestion?.score ?? null }, reason: input.note, at });
    return matchId;
  });
}

/** Dismisses a pair: it is never suggested again (the matcher reads match_decisions). */
export async function dismissSuggestion(db: DB, input: { challengeId: number; solutionId: number; reason: string; note: string | null; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const at = nowIso();
    const exists = await trx.selectFrom("challenges").select("id").where("id", "=", input.challengeId).executeTakeFirst();
    const existsS = await trx.selectFrom("solutions").select("id").where("id", "=", input.solutionId).executeTakeFirst();
    if (!exists || !existsS) throw new CurationError("not_found", "no such challenge or solution");
    await insertDecision(trx, { ...input, decision: "dismissed", at });
    await trx.deleteFrom("match_suggestions").where("challenge_id", "=", input.challengeId).where("solution_id", "=", input.solutionId).execute();
    await writeAudit(trx, { actor: input.actor, action: "dismissed", challengeId: input.challengeId, solutionId: input.solutionId, detail: { reason: input.reason }, reason: input.note, at });
  });
}

/** A pair the matcher missed, added by hand: recorded as such, and a match at once. */
export async function addPairByHand(db: DB, input: { challengeId: number; solutionId: number; note: string | null; actor: AuditActor }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await assertInPlay(trx, input.challengeId, input.solutionId);
    const at = nowIso();
    await insertDecision(trx, { ...input, decision: "added", reason: null, at });
    const matchId = await insertMatch(trx, { ...input, origin: "manual", score: null, reasons: null, curatorId: input.actor.id, at });
    await writeAudit(trx, { actor: input.actor, action: "added", challengeId: input.challengeId, solutionId: input.solutionId, matchId, reason: input.note, at });
    return matchId;
  });
}

/**
 * An accepted proposal joins the same lifecycle: called inside the transaction that records
 * the answer. A pair that is already a match (a curator got there first) keeps its match, and
 * the proposal is linked to it.
 */
export async function matchFromProposal(trx: Trx, input: { proposalId: number; challengeId: number; solutionId: number; actor: AuditActor }): Promise<number> {
  const at = nowIso();
  const existing = await trx.selectFrom("matches").select(["id", "proposal_id"]).where("challenge_id", "=", input.challengeId).where("solution_id", "=", input.solutionId).executeTakeFirst();
  if (existing) {
    if (existing.proposal_id === null) await trx.updateTable("matches").set({ proposal_id: input.proposalId, updated_at: at }).where("id", "=", existing.id).execute();
    return existing.id;
  }
  const suggestion = await trx
    .selectFrom("match_suggestions")
    .select(["score", "reasons"])
    .where("challenge_id", "=", input.challengeId)
    .where("solution_id", "=", input.solutionId)
    .executeTakeFirst();
  const matchId = await insertMatch(trx, { ...input, origin: "proposal", score: suggestion?.score ?? null, reasons: suggestion?.reasons ?? null, curatorId: null, at });
  await writeAudit(trx, { actor: input.actor, action: "proposal_accepted", challengeId: input.challengeId, solutionId: input.solutionId, matchId, detail: { proposal: input.proposalId }, at });
  return matchId;
}

// ---------------------------------------------------------------------------------------------
// The lifecycle

export type MatchRow = Awaited<ReturnType<typeof findMatch>> & object;

export async function findMatch(db: Executor, id: number) {
  return db.selectFrom("matches").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findMatchByPair(db: Executor, challengeId: number, solutionId: number) {
  return db.selectFrom("matches").selectAll().where("challenge_id", "=", challengeId).where("solution_id", "=", solutionId).executeTakeFirst();
}

export interface StageChange {
  matchId: number;
  version: number;
  to: MatchStage;
  /** Required for "agreement". */
  procurementRoute?: string;
  agreementNote?: string | null;
  /** Required for "outcome". */
  outcomeResult?: string;
  /** Required for "ended". */
  endReason?: string;
  note?: string | null;
  actor: AuditActor;
}

export async function changeStage(db: DB, c: StageChange): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const m = await findMatch(trx, c.matchId);
    if (!m) throw new CurationError("not_found", "no such match");
    if (m.version !== c.version) throw new CurationError("stale", "the match was changed by someone else");
    if (!canMoveTo(m.stage, c.to)) throw new CurationError("bad_transition", `a match at "${m.stage}" cannot move to "${c.to}"`);
    const at = nowIso();
    await trx
      .updateTable("matches")
      .set((eb) => ({
        stage: c.to,
        ended_at_stage: c.to === "ended" ? m.stage : null,
        end_reason: c.to === "ended" ? (c.endReason ?? null) : m.end_reason,
        procurement_route_code: c.to === "agreement" ? (c.procurementRoute ?? null) : m.procurement_route_code,
        agreement_note: c.to === "agreement" ? (c.agreementNote ?? null) : m.agreement_note,
        outcome_result: c.to === "outcome" ? (c.outcomeResult ?? null) : m.outcome_result,
        updated_at: at,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", m.id)
      .execute();
    const detail: Record<string, unknown> = { from: m.stage, to: c.to };
    if (c.to === "agreement") detail.route = c.procurementRoute;
    if (c.to === "outcome") detail.result = c.outcomeResult;
    if (c.to === "ended") detail.endReason = c.endReason;
    await writeAudit(trx, { actor: c.actor, action: "stage", challengeId: m.challenge_id, solutionId: m.solution_id, matchId: m.id, detail, reason: c.note ?? null, at });
  });
}

export async function setNextStep(db: DB, input: { matchId: number; version: number; nextStep: string | null; due: string | null; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const m = await findMatch(trx, input.matchId);
    if (!m) throw new CurationError("not_found", "no such match");
    if (m.version !== input.version) throw new CurationError("stale", "the match was changed by someone else");
    const at = nowIso();
    await trx
      .updateTable("matches")
      .set((eb) => ({ next_step: input.nextStep, next_step_due: input.due, updated_at: at, version: eb("version", "+", 1) }))
      .where("id", "=", m.id)
      .execute();
    await writeAudit(trx, { actor: input.actor, action: "next_step", challengeId: m.challenge_id, solutionId: m.solution_id, matchId: m.id, detail: { nextStep: input.nextStep, due: input.due }, at });
  });
}

export async function addNote(db: DB, input: { matchId: number; body: string; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const m = await findMatch(trx, input.matchId);
    if (!m) throw new CurationError("not_found", "no such match");
    const at = nowIso();
    await trx.insertInto("match_notes").values({ match_id: m.id, author_id: input.actor.id, body: input.body, created_at: at }).execute();
    await writeAudit(trx, { actor: input.actor, action: "note", challengeId: m.challenge_id, solutionId: m.solution_id, matchId: m.id, at });
  });
}

export async function listNotes(db: DB, matchId: number) {
  return db
    .selectFrom("match_notes as n")
    .leftJoin("users as u", "u.id", "n.author_id")
    .select(["n.id", "n.body", "n.created_at", "u.name as author"])
    .where("n.match_id", "=", matchId)
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .execute();
}

export async function listAudit(db: DB, where: { matchId: number } | { challengeId: number; solutionId: number }) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .$if("matchId" in where, (q) => q.where("match_id", "=", (where as { matchId: number }).matchId))
    .$if(!("matchId" in where), (q) => q.where("challenge_id", "=", (where as { challengeId: number }).challengeId).where("solution_id", "=", (where as { solutionId: number }).solutionId))
    .orderBy("id")
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Introductions

export interface IntroductionParty {
  party: MatchParty;
  email: string;
  language: "da" | "en";
}

/**
 * Marks an accepted match introduced and records one confirmation per party. `queue` runs in
 * the same transaction, issues the parties' tokens and queues the mails, so they go out if and
 * only if the introduction is recorded.
 */
export async function introduce(
  db: DB,
  input: { matchId: number; version: number; parties: IntroductionParty[]; actor: AuditActor; queue: (trx: Trx) => Promise<void> },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const m = await findMatch(trx, input.matchId);
    if (!m) throw new CurationError("not_found", "no such match");
    if (m.version !== input.version) throw new CurationError("stale", "the match was changed by someone else");
    if (m.stage !== "accepted") throw new CurationError("bad_transition", "only an accepted match can be introduced");
    const at = nowIso();
    await trx
      .updateTable("matches")
      .set((eb) => ({ stage: "introduced", introduced_at: at, updated_at: at, version: eb("version", "+", 1) }))
      .where("id", "=", m.id)
      .execute();
    for (const p of input.parties) {
      await trx.insertInto("match_confirmations").values({ match_id: m.id, party: p.party, email: p.email, language: p.language, sent_at: at }).execute();
    }
    await writeAudit(trx, { actor: input.actor, action: "stage", challengeId: m.challenge_id, solutionId: m.solution_id, matchId: m.id, detail: { from: "accepted", to: "introduced" }, at });
    await input.queue(trx);
  });
}

export async function listConfirmations(db: Executor, matchId: number) {
  return db.selectFrom("match_confirmations").select(["party", "email", "language", "sent_at", "confirmed_at"]).where("match_id", "=", matchId).execute();
}

export async function findConfirmation(db: Executor, matchId: number, party: MatchParty) {
  return db.selectFrom("match_confirmations").selectAll().where("match_id", "=", matchId).where("party", "=", party).executeTakeFirst();
}

/**
 * A party confirms interest. `claim` uses the party's token inside the transaction (false: the
 * link no longer works, nothing changes). Returns whether this confirmation completed the pair
 * (both have now confirmed), so the caller can share the contact details, once. `onBoth` runs
 * in the same transaction.
 */
export async function confirmInterest(
  db: DB,
  input: { matchId: number; party: MatchParty; claim: (trx: Trx) => Promise<boolean>; onBoth: (trx: Trx, matchId: number) => Promise<void> },
): Promise<{ matchId: number; party: MatchParty; already: boolean; both: boolean } | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await findConfirmation(trx, input.matchId, input.party);
    if (!row || !(await input.claim(trx))) return undefined;
    if (row.confirmed_at) {
      const all = await listConfirmations(trx, row.match_id);
      return { matchId: row.match_id, party: row.party, already: true, both: all.every((c) => c.confirmed_at) };
    }
    const at = nowIso();
    await trx.updateTable("match_confirmations").set({ confirmed_at: at }).where("match_id", "=", row.match_id).where("party", "=", row.party).execute();
    const m = (await findMatch(trx, row.match_id))!;
    await writeAudit(trx, { actor: null, action: "confirmed", challengeId: m.challenge_id, solutionId: m.solution_id, matchId: m.id, detail: { party: row.party }, at });
    const all = await listConfirmations(trx, row.match_id);
    const both = all.length === 2 && all.every((c) => c.confirmed_at);
    if (both) {
      await writeAudit(trx, { actor: null, action: "contacts_shared", challengeId: m.challenge_id, solutionId: m.solution_id, matchId: m.id, at });
      await input.onBoth(trx, m.id);
    }
    return { matchId: m.id, party: row.party, already: false, both };
  });
}

// ---------------------------------------------------------------------------------------------
// Lists

export interface MatchListFilter {
  /** Only matches whose challenge belongs to (or is co-owned by) one of these, or whose solution to one of these organisations. */
  parties?: { administrations: number[]; organisations: number[] };
  stage?: MatchStage;
  limit: number;
}

export async function listMatches(db: DB, f: MatchListFilter) {
  const rows = await db
    .selectFrom("matches as x")
    .innerJoin("challenges as c", "c.id", "x.challenge_id")
    .innerJoin("solutions as s", "s.id", "x.solution_id")
    .innerJoin("organisations as so", "so.id", "s.organisation_id")
    .innerJoin("organisations as co", "co.id", "c.owner_organisation_id")
    .select([
      "x.id",
      "x.stage",
      "x.origin",
      "x.next_step",
      "x.next_step_due",
      "x.updated_at",
      "x.challenge_id",
      "x.solution_id",
      "c.title as challenge_title",
      "c.language as challenge_language",
      "c.status as challenge_status",
      "s.title as solution_title",
      "s.language as solution_language",
      "s.status as solution_status",
      "so.name as organisation_name",
      "co.name as administration_name",
      "co.name_en as administration_name_en",
    ])
    .$if(f.stage !== undefined, (q) => q.where("x.stage", "=", f.stage!))
    .$if(f.parties !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          ownedOrCoOwnedBy(eb, { id: "c.id", owner: "c.owner_organisation_id" }, f.parties!.administrations),
          eb("s.organisation_id", "in", f.parties!.organisations.length ? f.parties!.organisations : [-1]),
        ]),
      ),
    )
    .orderBy(sql`case when x.stage in ('outcome', 'ended') then 1 else 0 end`)
    .orderBy("x.updated_at", "desc")
    .limit(f.limit)
    .execute();
  return rows;
}
