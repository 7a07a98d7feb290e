// Administrators manage accounts: who holds which role, and who may sign in at all. Every change
// is one transaction with its audit row (who, when, why). The portal always keeps one active
// administrator, and nobody deactivates themselves here (another administrator can).
import { listAuditEvents, recordAuditEvent } from "../../db/queries/audit-events";
import { deleteSessionsOfUser } from "../../db/queries/sessions";
import { countActiveRoleHolders, findUserName, holdsRole, listUsers, revokeRole, setDeactivated } from "../../db/queries/users";
import type { GlobalRole } from "../../db/schema";
import { revokeTokens, subjectOf } from "../../db/tokens";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "./auth.server";

export function listAccounts(context: PortalContext, query: string | undefined) {
  return listUsers(context.db, { query, limit: 200 });
}

export function recentAuditEvents(context: PortalContext, subject?: string) {
  return listAuditEvents(context.db, { limit: 200, subject });
}

export type AccountChange = { ok: true; notice: string } | { ok: false; status: 404 | 409; error: string };

export async function revokeRoleOf(context: PortalContext, admin: CurrentUser, userId: number, role: GlobalRole, reason: string): Promise<AccountChange> {
  if (!(await findUserName(context.db, userId))) return { ok: false, status: 404, error: "admin.users.unknown" };
  if (role === "administrator" && (await countActiveRoleHolders(context.db, "administrator", userId)) === 0) return { ok: false, status: 409, error: "admin.users.lastAdministrator" };
  const revoked = await context.db.transaction().execute(async (trx) => {
    if (!(await revokeRole(trx, userId, role))) return false;
    await recordAuditEvent(trx, { actor: { id: admin.id, name: admin.name }, action: "role.revoked", subject: subjectOf.user(userId), detail: { role }, reason });
    return true;
  });
  return revoked ? { ok: true, notice: "roleRevoked" } : { ok: false, status: 409, error: "admin.users.notHeld" };
}

/** Deactivating ends the person's sessions and mailed links at once; reactivating lets them sign in again. */
export async function setAccountActive(context: PortalContext, admin: CurrentUser, userId: number, active: boolean, reason: string): Promise<AccountChange> {
  if (!(await findUserName(context.db, userId))) return { ok: false, status: 404, error: "admin.users.unknown" };
  if (!active && userId === admin.id) return { ok: false, status: 409, error: "admin.users.notYourself" };
  if (!active && (await holdsRole(context.db, userId, "administrator")) && (await countActiveRoleHolders(context.db, "administrator", userId)) === 0) return { ok: false, status: 409, error: "admin.users.lastAdministrator" };
  const changed = await context.db.transaction().execute(async (trx) => {
    if (!(await setDeactivated(trx, userId, !active))) return false;
    if (!active) {
      await deleteSessionsOfUser(trx, userId);
      await revokeTokens(trx, subjectOf.user(userId));
    }
    await recordAuditEvent(trx, {
      actor: { id: admin.id, name: admin.name },
      action: active ? "account.reactivated" : "account.deactivated",
      subject: subjectOf.user(userId),
      reason,
    });
    return true;
  });
  if (!changed) return { ok: false, status: 409, error: active ? "admin.users.alreadyActive" : "admin.users.alreadyDeactivated" };
  return { ok: true, notice: active ? "accountReactivated" : "accountDeactivated" };
}
