// Administrators manage accounts: who holds which role, and who may sign in at all. Every change
// is one transaction with its audit row (who, when, why). The portal always keeps one active
// administrator, and nobody deactivates themselves here (another administrator can).
import { listAuditEvents } from "../../db/queries/audit-events";
import {
  countActiveRoleHolders,
  findUserName,
  holdsRole,
  listUsers,
  revokeRoleAsAdministrator,
  setAccountActiveAsAdministrator,
} from "../../db/queries/users";
import type { GlobalRole } from "../../db/schema";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "../accounts/auth.server";

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
  const revoked = await revokeRoleAsAdministrator(context.db, { admin: { id: admin.id, name: admin.name }, userId, role, reason });
  return revoked ? { ok: true, notice: "roleRevoked" } : { ok: false, status: 409, error: "admin.users.notHeld" };
}

/** Deactivating ends the person's sessions and mailed links at once; reactivating lets them sign in again. */
export async function setAccountActive(context: PortalContext, admin: CurrentUser, userId: number, active: boolean, reason: string): Promise<AccountChange> {
  if (!(await findUserName(context.db, userId))) return { ok: false, status: 404, error: "admin.users.unknown" };
  if (!active && userId === admin.id) return { ok: false, status: 409, error: "admin.users.notYourself" };
  if (!active && (await holdsRole(context.db, userId, "administrator")) && (await countActiveRoleHolders(context.db, "administrator", userId)) === 0) return { ok: false, status: 409, error: "admin.users.lastAdministrator" };
  const changed = await setAccountActiveAsAdministrator(context.db, { admin: { id: admin.id, name: admin.name }, userId, active, reason });
  if (!changed) return { ok: false, status: 409, error: active ? "admin.users.alreadyActive" : "admin.users.alreadyDeactivated" };
  return { ok: true, notice: active ? "accountReactivated" : "accountDeactivated" };
}
