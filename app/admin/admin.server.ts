// Administrators' pages: overview figures, reports, confirmations, invitations, mail.
import { redirect } from "@remix-run/node";
import { listRecentMail, redactMail } from "../../db/mail";
import { outboxStats, type MailMessage } from "../../db/outbox";
import { dismissReport, listOpenReports } from "../../db/queries/moderation";
import {
  confirmOrganisation,
  countNonMunicipalOrganisations,
  listNonMunicipalOrganisations,
  listOrganisationsAwaitingConfirmation,
  listPendingInvitations,
  listAdministrations,
} from "../../db/queries/organisations";
import { listDistrictCodes } from "../../db/queries/reference";
import { countUsers } from "../../db/queries/users";
import type { PortalContext } from "../context.server";
import { requireUser, type CurrentUser } from "../accounts/auth.server";
import { canAdminister } from "../lib/permissions";

/**
 * Every admin page's loader and action asks this first (the /admin layout asks too). An
 * administrator whose session has not proved a second factor is sent to turn one on: the role
 * acts only then.
 */
export async function requireAdministrator(request: Request, context: PortalContext): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  if (canAdminister(user)) return user;
  if (user.inactiveRoles.includes("administrator")) throw redirect("/me/security");
  throw new Response("Forbidden", { status: 403 });
}

export async function adminOverview(context: PortalContext) {
  const db = context.db;
  return {
    users: await countUsers(db),
    organisations: await countNonMunicipalOrganisations(db),
    reports: (await listOpenReports(db)).length,
    confirmations: (await listOrganisationsAwaitingConfirmation(db)).length,
    deadLetters: (await outboxStats(db)).dead,
  };
}

export function openReports(context: PortalContext) {
  return listOpenReports(context.db);
}

export function dismiss(context: PortalContext, user: CurrentUser, reportId: number) {
  return dismissReport(context.db, reportId, { id: user.id, name: user.name });
}

export function awaitingConfirmation(context: PortalContext) {
  return listOrganisationsAwaitingConfirmation(context.db);
}

export function organisationsOutsideTheMunicipality(context: PortalContext) {
  return listNonMunicipalOrganisations(context.db);
}

export function confirm(context: PortalContext, user: CurrentUser, organisationId: number, what: { cvr?: boolean; rsv?: boolean }) {
  return confirmOrganisation(context.db, organisationId, { id: user.id, name: user.name }, what);
}

export function pendingInvitations(context: PortalContext) {
  return listPendingInvitations(context.db);
}

/** The municipal administrations staff can be invited into. */
export function administrationsToInviteTo(context: PortalContext) {
  return listAdministrations(context.db);
}

/** Those of `codes` that name a district. */
export function knownDistricts(context: PortalContext, codes: string[]) {
  return listDistrictCodes(context.db, codes);
}

/**
 * The mails the portal queued, newest first, for installations without a mail server, with
 * every link's token hidden: an administrator sees that a reset mail went out, never the link.
 */
export async function recentMail(context: PortalContext, limit = 100) {
  const rows = await listRecentMail(context.db, limit);
  return rows.map((r) => {
    const mail = redactMail(JSON.parse(r.payload) as MailMessage);
    return { id: r.id, to: mail.to, subject: mail.subject, text: mail.text, kind: mail.kind, status: r.status, createdAt: r.created_at, error: r.last_error };
  });
}
