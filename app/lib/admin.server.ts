// Administrators' pages: overview figures, reports, confirmations, invitations, mail.
import { sql } from "kysely";
import { dismissReport, listOpenReports } from "../../db/queries/moderation";
import { confirmOrganisation, listOrganisationsAwaitingConfirmation, listPendingInvitations } from "../../db/queries/organisations";
import type { PortalContext } from "../context.server";
import { requireUser, type CurrentUser } from "./auth.server";
import { canAdminister } from "./permissions";

/** Every admin page's loader and action asks this first (the /admin layout asks too). */
export async function requireAdministrator(request: Request, context: PortalContext): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  if (!canAdminister(user)) throw new Response("Forbidden", { status: 403 });
  return user;
}

export async function adminOverview(context: PortalContext) {
  const count = async (q: Promise<{ n: number } | undefined>) => Number((await q)?.n ?? 0);
  const db = context.db;
  return {
    users: await count(db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("erased_at", "is", null).executeTakeFirst()),
    organisations: await count(
      db.selectFrom("organisations").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "<>", "municipal_administration").executeTakeFirst(),
    ),
    reports: (await listOpenReports(db)).length,
    confirmations: (await listOrganisationsAwaitingConfirmation(db)).length,
    deadLetters: await count(db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "dead").executeTakeFirst()),
  };
}

export function openReports(context: PortalContext) {
  return listOpenReports(context.db);
}

export function dismiss(context: PortalContext, user: CurrentUser, reportId: number) {
  return dismissReport(context.db, reportId, user.id);
}

export function awaitingConfirmation(context: PortalContext) {
  return listOrganisationsAwaitingConfirmation(context.db);
}

export function confirm(context: PortalContext, user: CurrentUser, organisationId: number, what: { cvr?: boolean; rsv?: boolean }) {
  return confirmOrganisation(context.db, organisationId, user.id, what);
}

export function pendingInvitations(context: PortalContext) {
  return listPendingInvitations(context.db);
}

/** The mails the portal queued, newest first: the way to read them where no SMTP is set up. */
export async function recentMail(context: PortalContext, limit = 100) {
  const rows = await context.db
    .selectFrom("outbox")
    .select(["id", "payload", "status", "created_at", "attempts", "last_error"])
    .where("topic", "=", "email.send")
    .orderBy(sql`id`, "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const mail = JSON.parse(r.payload) as { to: string; subject: string; text: string; kind: string };
    return { id: r.id, to: mail.to, subject: mail.subject, text: mail.text, kind: mail.kind, status: r.status, createdAt: r.created_at, error: r.last_error };
  });
}
