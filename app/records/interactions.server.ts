// What signed-in people do on a challenge's or solution's page: follow, propose a solution,
// answer a proposal, report a text, and (administrators) unpublish it with a reason.
import { queueMail } from "../../db/mail";
import { recordAuditEvent } from "../../db/queries/audit-events";
import { findChallengeRecord } from "../../db/queries/challenges";
import { reportRecord, republish, unpublish, type RecordKind } from "../../db/queries/moderation";
import { listMemberAddresses } from "../../db/queries/organisations";
import {
  answerProposalAndTell,
  findProposal,
  findProposalById,
  isFollowing,
  listProposalsForChallenge,
  proposeSolution,
  setFollow,
} from "../../db/queries/proposals";
import { findSolutionRecord, listPublishedSolutionsOf } from "../../db/queries/solutions";
import { findUserContact, findUserName, listAdministratorAddresses } from "../../db/queries/users";
import { owningAdministrations } from "../../db/rules/ownership";
import type { PortalContext } from "../context.server";
import type { Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import type { CurrentUser } from "../accounts/auth.server";
import { fieldRefusal, tooManyAttempts, type Outcome } from "../lib/outcome";
import {
  canAnswerProposal,
  canEditChallenge,
  canEditSolution,
  canModerate,
  canPropose,
  canReadProposalsOf,
  hasConfirmedAddress,
  organisationsOf,
} from "../lib/permissions";
import { takeSlots } from "../lib/rate-limits.server";

/** What the signed-in viewer may see and do on a challenge's page. */
export async function challengeExtras(context: PortalContext, user: CurrentUser | null, id: number) {
  if (!user) return null;
  const record = await findChallengeRecord(context.db, id);
  if (!record) return null;
  const author = record.created_by ? await findUserName(context.db, record.created_by) : undefined;
  const orgs = organisationsOf(user);
  const ownSolutions = await listPublishedSolutionsOf(context.db, orgs);
  const proposable = ownSolutions.filter((s) => canPropose(user, record, s));
  const proposals = await listProposalsForChallenge(context.db, id);
  const readAll = canReadProposalsOf(user, record);
  return {
    author: author?.name ?? null,
    canEdit: canEditChallenge(user, record),
    canAnswer: canAnswerProposal(user, record),
    canModerate: canModerate(user),
    moderationReason: record.moderated_at ? record.moderation_reason : null,
    following: await isFollowing(context.db, user.id, id),
    proposable: proposable.map((s) => ({ value: String(s.id), label: s.title })),
    // Staff of the challenge, community managers and administrators see every proposal;
    // entrepreneurs see their own organisations' proposals and the answers.
    proposals: proposals
      .filter((p) => readAll || orgs.includes(p.organisation_id))
      .map((p) => ({
        id: p.id,
        solutionId: p.solution_id,
        solution: p.solution_title,
        organisation: p.organisation_name,
        pitch: p.pitch,
        status: p.status,
        answer: p.answer,
        createdAt: p.created_at,
      })),
  };
}

export async function solutionExtras(context: PortalContext, user: CurrentUser | null, id: number) {
  if (!user) return null;
  const record = await findSolutionRecord(context.db, id);
  if (!record) return null;
  const author = record.created_by ? await findUserName(context.db, record.created_by) : undefined;
  return {
    author: author?.name ?? null,
    canEdit: canEditSolution(user, record),
    canModerate: canModerate(user),
    moderationReason: record.moderated_at ? record.moderation_reason : null,
  };
}


export async function follow(context: PortalContext, user: CurrentUser, challengeId: number, on: boolean): Promise<Outcome> {
  if (!(await findChallengeRecord(context.db, challengeId))) return { ok: false, status: 404 };
  await setFollow(context.db, user.id, challengeId, on);
  return { ok: true, notice: on ? "following" : "unfollowed" };
}

export async function propose(
  context: PortalContext,
  user: CurrentUser,
  challengeId: number,
  input: { solution: number; pitch: string },
): Promise<Outcome> {
  const [challenge, solution] = await Promise.all([findChallengeRecord(context.db, challengeId), findSolutionRecord(context.db, input.solution)]);
  if (!challenge) return { ok: false, status: 404 };
  if (!solution || !canPropose(user, challenge, solution)) return fieldRefusal(403, "solution", "proposal.notAllowed");
  if (await findProposal(context.db, challengeId, solution.id)) return fieldRefusal(409, "solution", "proposal.already");
  const staff = await listMemberAddresses(context.db, owningAdministrations(challenge), { verifiedOnly: true });
  const mails = staff.map((person) =>
    renderMail(
      "proposal-received",
      person.locale,
      person.email,
      context.publicBaseUrl,
      { name: person.name, challenge: challenge.title, solution: solution.title, link: `/challenges/${challengeId}#proposals` },
      // Staff may answer the proposer directly; both are signed-in users of the portal.
      user.email,
    ),
  );
  await proposeSolution(context.db, { challengeId, solutionId: solution.id, pitch: input.pitch, by: user.id }, mails);
  context.afterWrite();
  return { ok: true, notice: "proposed" };
}

export async function answer(
  context: PortalContext,
  user: CurrentUser,
  challengeId: number,
  input: { proposal: number; decision: "accepted" | "declined"; answer: string },
): Promise<Outcome> {
  const challenge = await findChallengeRecord(context.db, challengeId);
  if (!challenge) return { ok: false, status: 404 };
  if (!canAnswerProposal(user, challenge)) return { ok: false, status: 403 };
  const proposal = await findProposalById(context.db, input.proposal);
  if (!proposal || proposal.challenge_id !== challengeId) return { ok: false, status: 404 };
  const proposer = proposal.proposed_by ? await findUserContact(context.db, proposal.proposed_by) : undefined;
  const mail = proposer
    ? renderMail(
        "proposal-answered",
        proposer.locale,
        proposer.email,
        context.publicBaseUrl,
        { name: proposer.name, challenge: challenge.title, link: "/me" },
        // Replies go to the challenge's team mailbox, not to a person.
        challenge.contact_email ?? undefined,
      )
    : undefined;
  // An accepted proposal becomes a match, in the same transaction as the answer.
  await answerProposalAndTell(
    context.db,
    { id: proposal.id, challengeId, solutionId: proposal.solution_id, status: input.decision, answer: input.answer, by: { id: user.id, name: user.name } },
    mail,
  );
  context.afterWrite();
  return { ok: true, notice: "answered" };
}

/**
 * Anyone may report a published text; it waits on /admin/reports. Administrators are mailed
 * about reports from people with a confirmed address only, so no stranger can make the portal
 * mail them, and nobody can report without limit.
 */
export async function report(context: PortalContext, user: CurrentUser | null, kind: RecordKind, id: number, reason: string): Promise<Outcome> {
  const record = kind === "challenge" ? await findChallengeRecord(context.db, id) : await findSolutionRecord(context.db, id);
  if (!record) return { ok: false, status: 404 };
  const verdict = await takeSlots(context, [
    ["reportsPerAddress", context.clientAddress],
    ...(user ? [["reportsPerAccount", user.id] as ["reportsPerAccount", number]] : []),
  ]);
  if (!verdict.ok) return tooManyAttempts(verdict.retryAfterSeconds);
  const admins = hasConfirmedAddress(user) ? await listAdministratorAddresses(context.db) : [];
  await reportRecord(
    context.db,
    { kind, id, reason, reporterId: user?.id ?? null },
    admins.map((admin) => renderMail("report-received", admin.locale, admin.email, context.publicBaseUrl, { name: admin.name, title: record.title, link: "/admin/reports" })),
  );
  context.afterWrite();
  return { ok: true, notice: "reported" };
}

/** Administrators take a text off the public pages with a reason; its owners are told why. */
export async function moderate(
  context: PortalContext,
  user: CurrentUser,
  kind: RecordKind,
  id: number,
  action: { unpublish: true; reason: string } | { unpublish: false },
  locale: Locale,
): Promise<Outcome> {
  if (!canModerate(user)) return { ok: false, status: 403 };
  const record = kind === "challenge" ? await findChallengeRecord(context.db, id) : await findSolutionRecord(context.db, id);
  if (!record) return { ok: false, status: 404 };
  const actor = { id: user.id, name: user.name };
  if (!action.unpublish) {
    await republish(context.db, kind, id, (trx) => recordAuditEvent(trx, { actor, action: "record.republished", subject: `${kind}:${id}` }));
    context.afterWrite();
    return { ok: true, notice: "republished" };
  }
  const orgIds = "owner_organisation_id" in record ? owningAdministrations(record) : [record.organisation_id];
  const owners = await listMemberAddresses(context.db, orgIds);
  await unpublish(context.db, kind, id, action.reason, user.id, async (trx) => {
    await recordAuditEvent(trx, { actor, action: "record.unpublished", subject: `${kind}:${id}`, reason: action.reason });
    for (const owner of owners) {
      await queueMail(
        trx,
        renderMail("moderated", owner.locale ?? locale, owner.email, context.publicBaseUrl, {
          name: owner.name,
          title: record.title,
          reason: action.reason,
          link: `/${kind}s/${id}`,
        }),
      );
    }
  });
  context.afterWrite();
  return { ok: true, notice: "unpublished" };
}
