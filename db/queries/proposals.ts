// Proposals: an entrepreneur offers one of their solutions to a challenge with a short pitch;
// staff answer. (An accepted proposal becomes a match in the workbench issue.)
import { nowIso, type DB } from "../client";
import { queueMail } from "../mail";
import type { Executor, MailMessage } from "../outbox";
import { matchFromProposal, type AuditActor } from "./curation";
import { ownedOrCoOwnedBy } from "./ownership";

export async function findProposal(db: DB, challengeId: number, solutionId: number) {
  return db.selectFrom("proposals").selectAll().where("challenge_id", "=", challengeId).where("solution_id", "=", solutionId).executeTakeFirst();
}

export async function createProposal(db: DB, input: { challengeId: number; solutionId: number; pitch: string; by: number | null }): Promise<number> {
  const now = nowIso();
  const { id } = await db
    .insertInto("proposals")
    .values({ challenge_id: input.challengeId, solution_id: input.solutionId, pitch: input.pitch, proposed_by: input.by, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A proposal with whom it came from. */
export async function findProposalById(db: DB, id: number) {
  return db.selectFrom("proposals").select(["id", "challenge_id", "solution_id", "proposed_by"]).where("id", "=", id).executeTakeFirst();
}

/** A new proposal and the mails telling the challenge's staff, in one transaction. */
export async function proposeSolution(db: DB, input: { challengeId: number; solutionId: number; pitch: string; by: number | null }, mails: MailMessage[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await createProposal(trx, input);
    for (const mail of mails) await queueMail(trx, mail);
  });
}

/**
 * Staff's answer to a proposal and the mail telling the proposer, in one transaction. An
 * accepted proposal becomes a match, in the same lifecycle as a curator's (DOMAIN.md).
 */
export async function answerProposalAndTell(
  db: DB,
  input: { id: number; challengeId: number; solutionId: number; status: "accepted" | "declined"; answer: string; by: AuditActor },
  mail: MailMessage | undefined,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await answerProposal(trx, { id: input.id, status: input.status, answer: input.answer, by: input.by.id });
    if (input.status === "accepted") {
      await matchFromProposal(trx, { proposalId: input.id, challengeId: input.challengeId, solutionId: input.solutionId, actor: input.by });
    }
    if (mail) await queueMail(trx, mail);
  });
}

export async function answerProposal(
  db: DB,
  input: { id: number; status: "accepted" | "declined"; answer: string; by: number },
): Promise<boolean> {
  const now = nowIso();
  const result = await db
    .updateTable("proposals")
    .set((eb) => ({ status: input.status, answer: input.answer, answered_by: input.by, answered_at: now, updated_at: now, version: eb("version", "+", 1) }))
    .where("id", "=", input.id)
    .where("status", "in", ["sent", "accepted", "declined"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const proposalColumns = [
  "proposals.id",
  "proposals.challenge_id",
  "proposals.solution_id",
  "proposals.pitch",
  "proposals.status",
  "proposals.answer",
  "proposals.answered_at",
  "proposals.created_at",
  "challenges.title as challenge_title",
  "solutions.title as solution_title",
  "organisations.name as organisation_name",
  "solutions.organisation_id",
] as const;

function proposalsQuery(db: DB) {
  return db
    .selectFrom("proposals")
    .innerJoin("challenges", "challenges.id", "proposals.challenge_id")
    .innerJoin("solutions", "solutions.id", "proposals.solution_id")
    .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
    .select(proposalColumns)
    .orderBy("proposals.created_at", "desc");
}

export type ProposalView = Awaited<ReturnType<typeof listProposalsForChallenge>>[number];

export async function listProposalsForChallenge(db: DB, challengeId: number) {
  return proposalsQuery(db).where("proposals.challenge_id", "=", challengeId).execute();
}

/** Proposals made with the solutions of these organisations. */
export async function listProposalsOfOrganisations(db: DB, organisationIds: number[]) {
  if (organisationIds.length === 0) return [];
  return proposalsQuery(db).where("solutions.organisation_id", "in", organisationIds).execute();
}

/** Proposals to the challenges these administrations own or co-own. */
export async function listProposalsToAdministrations(db: DB, administrationIds: number[]) {
  if (administrationIds.length === 0) return [];
  return proposalsQuery(db)
    .where((eb) => ownedOrCoOwnedBy(eb, { id: "challenges.id", owner: "challenges.owner_organisation_id" }, administrationIds))
    .execute();
}

export async function setFollow(db: DB, userId: number, challengeId: number, follow: boolean): Promise<void> {
  if (follow) {
    await db
      .insertInto("follows")
      .values({ user_id: userId, challenge_id: challengeId, created_at: nowIso() })
      .onConflict((oc) => oc.columns(["user_id", "challenge_id"]).doNothing())
      .execute();
  } else {
    await db.deleteFrom("follows").where("user_id", "=", userId).where("challenge_id", "=", challengeId).execute();
  }
}

export async function isFollowing(db: DB, userId: number, challengeId: number): Promise<boolean> {
  return Boolean(await db.selectFrom("follows").select("challenge_id").where("user_id", "=", userId).where("challenge_id", "=", challengeId).executeTakeFirst());
}

export async function listFollowedChallenges(db: DB, userId: number) {
  return db
    .selectFrom("follows")
    .innerJoin("challenges", "challenges.id", "follows.challenge_id")
    .select(["challenges.id", "challenges.title", "challenges.status", "challenges.deadline"])
    .where("follows.user_id", "=", userId)
    .orderBy("follows.created_at", "desc")
    .execute();
}

/** Whether the person follows any challenge. */
export async function followsAnyChallenge(db: DB, userId: number): Promise<boolean> {
  const row = await db.selectFrom("follows").select("challenge_id").where("user_id", "=", userId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Those of `challengeIds` the person follows. */
export async function listFollowedAmong(db: Executor, userId: number, challengeIds: number[]): Promise<number[]> {
  const rows = await db
    .selectFrom("follows")
    .select("challenge_id")
    .where("user_id", "=", userId)
    .where("challenge_id", "in", [0, ...challengeIds])
    .execute();
  return rows.map((f) => f.challenge_id);
}
