// Registering organisations and inviting people into them.
import {
  acceptInvitationWithToken,
  cvrTaken,
  findOpenInvitation,
  findOrganisation,
  removeMember,
  registerFromInvitation as createAccountFromInvitation,
  registerOrganisation as insertOrganisation,
  sendInvitation,
  type InvitationGrant,
  type OpenInvitation,
} from "../../db/queries/organisations";
import { listDistrictCodes } from "../../db/queries/reference";
import { findUserByEmail } from "../../db/queries/users";
import { peekToken, subjectId, TOKEN_LIFETIMES } from "../../db/tokens";
import type { PortalContext } from "../context.server";
import type { OrganisationForm } from "../forms/organisation";
import { i18nFor, type Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import { hashPassword } from "../accounts/auth.server";
import { fieldRefusal, refusal, tooManyAttempts, type Outcome } from "../lib/outcome";
import { takeSlots } from "../lib/rate-limits.server";

/**
 * Registers an organisation. A CVR number is checked locally (modulus 11, by the form), for
 * uniqueness, and then in the company register when one is configured; when the register is
 * unreachable or does not know the number, registration goes on and waits for an administrator.
 */
export async function registerOrganisation(context: PortalContext, form: OrganisationForm, ownerId: number): Promise<Outcome<{ id: number }>> {
  if (form.district) {
    if ((await listDistrictCodes(context.db, [form.district])).length === 0) return fieldRefusal(400, "district", "form.choose");
  }
  let cvrStatus: "none" | "pending" | "verified" | "not_found" = "none";
  if (form.cvr) {
    if (await cvrTaken(context.db, form.cvr)) return fieldRefusal(409, "cvr", "organisation.cvrTaken");
    const lookup = context.cvrRegister ? await context.cvrRegister.lookup(form.cvr) : undefined;
    cvrStatus = lookup?.status === "found" && !lookup.ended ? "verified" : lookup?.status === "not_found" ? "not_found" : "pending";
  }
  const id = await insertOrganisation(
    context.db,
    {
      name: form.name,
      kind: form.kind,
      cvr: form.cvr,
      cvrStatus,
      rsvClaimed: form.rsv,
      website: form.website,
      description: form.description,
      districtCode: form.district,
      contactEmail: form.contactEmail,
    },
    ownerId,
  );
  return { ok: true, id };
}

/**
 * Invites someone by e-mail: into an organisation, or (administrators) to a role. Only a person
 * whose own address is confirmed makes the portal mail anyone, and only so often.
 */
export async function invite(
  context: PortalContext,
  input: InvitationGrant & { email: string; invitedBy: { id: number; name: string; emailVerified: boolean }; organisationName: string | null; locale: Locale },
): Promise<Outcome<object>> {
  if (!input.invitedBy.emailVerified) return refusal(403, "form.verifyFirstMail");
  const verdict = await takeSlots(context, [
    ["invitationsPerAccount", input.invitedBy.id],
    ["invitationsPerAddress", context.clientAddress],
  ]);
  if (!verdict.ok) return tooManyAttempts(verdict.retryAfterSeconds);
  const { t } = i18nFor(input.locale);
  const what = input.organisationName ?? t(`role.${input.globalRole ?? "community_manager"}`);
  await sendInvitation(
    context.db,
    {
      email: input.email,
      organisationId: input.organisationId,
      membershipRole: input.membershipRole,
      globalRole: input.globalRole,
      scope: input.scope,
      invitedBy: { id: input.invitedBy.id, name: input.invitedBy.name },
      expiresAt: new Date(Date.now() + TOKEN_LIFETIMES.invitation).toISOString(),
    },
    (token) => renderMail("invitation", input.locale, input.email, context.publicBaseUrl, { inviter: input.invitedBy.name, what, link: `/invitations/${token}` }),
  );
  context.afterWrite();
  return { ok: true };
}


/** The organisation an organisation page's action acts on (its name goes into the invitation). */
export function organisationToInviteTo(context: PortalContext, id: number) {
  return findOrganisation(context.db, id);
}

export function removeFromOrganisation(context: PortalContext, organisationId: number, userId: number) {
  return removeMember(context.db, organisationId, userId);
}

/** The invitation a link opens, while it can be accepted. */
export async function findInvitation(context: PortalContext, token: string): Promise<OpenInvitation | undefined> {
  const issued = await peekToken(context.db, "invitation", token);
  const id = issued && subjectId(issued.subject, "invitation");
  return id === undefined ? undefined : findOpenInvitation(context.db, id);
}

export type InvitationView = "invalid" | "accept" | "wrongAccount" | "unverified" | "signIn" | "register";

/** What the invitation page offers this visitor. */
export async function invitationPage(context: PortalContext, token: string, user: { email: string; emailVerified: boolean } | null) {
  const invitation = await findInvitation(context, token);
  if (!invitation) return { view: "invalid" as InvitationView, email: null, what: null, role: null };
  const view: InvitationView = user
    ? user.email.toLowerCase() !== invitation.email.toLowerCase()
      ? "wrongAccount"
      : user.emailVerified
        ? "accept"
        : "unverified"
    : (await findUserByEmail(context.db, invitation.email))
      ? "signIn"
      : "register";
  return { view, email: invitation.email, what: invitation.organisation_name, role: invitation.global_role };
}

export type AcceptOutcome = "accepted" | "invalid" | "wrong_account" | "unverified";

/**
 * Accepts an invitation for the signed-in account. Only the account whose confirmed address the
 * invitation was sent to may: a link forwarded to, or opened by, anyone else grants nothing.
 */
export async function acceptInvitationAs(context: PortalContext, token: string, account: { id: number; email: string; emailVerified: boolean }): Promise<AcceptOutcome> {
  const invitation = await findInvitation(context, token);
  if (!invitation) return "invalid";
  if (invitation.email.toLowerCase() !== account.email.toLowerCase()) return "wrong_account";
  if (!account.emailVerified) return "unverified";
  const done = await acceptInvitationWithToken(context.db, token, invitation, account);
  if (done) context.afterWrite();
  return done ? "accepted" : "invalid";
}

/**
 * A new account from an invitation link: the mail proved the address, so it starts verified,
 * and the invitation is accepted with it, in one transaction. Undefined when the link no longer
 * works or the address already has an account.
 */
export async function registerFromInvitation(
  context: PortalContext,
  token: string,
  input: { name: string; password: string; locale: Locale },
): Promise<number | undefined> {
  const invitation = await findInvitation(context, token);
  if (!invitation || (await findUserByEmail(context.db, invitation.email))) return undefined;
  const passwordHash = await hashPassword(input.password);
  const userId = await createAccountFromInvitation(context.db, token, invitation, { name: input.name, passwordHash, locale: input.locale });
  if (userId !== undefined) context.afterWrite();
  return userId;
}
