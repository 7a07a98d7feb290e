// The governance trail: who granted or revoked a role, deactivated an account, took a text off
// the public pages, edited reference data or confirmed an organisation, when and why. Written
// in the transaction of the change it records; the database refuses to change or delete it.
import type { DB } from "../client";
import type { Executor } from "../outbox";

export const AUDIT_ACTIONS = [
  "role.granted",
  "role.revoked",
  "membership.granted",
  "account.deactivated",
  "account.reactivated",
  "record.unpublished",
  "record.republished",
  "report.dismissed",
  "reference.edited",
  "organisation.confirmed",
  "invitation.sent",
  "second_factor.enabled",
  "second_factor.disabled",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditActorRef {
  id: number;
  name: string;
}

export interface AuditEventInput {
  /** Who did it; null for the portal itself (a script, a migration). */
  actor: AuditActorRef | null;
  action: AuditAction;
  /** "user:7", "challenge:3", "organisation:2", "target_group:aeldre". */
  subject: string;
  detail?: Record<string, unknown>;
  reason?: string | null;
}

export async function recordAuditEvent(trx: Executor, input: AuditEventInput): Promise<void> {
  await trx
    .insertInto("audit_events")
    .values({
      actor_id: input.actor?.id ?? null,
      actor_name: input.actor?.name ?? null,
      action: input.action,
      subject: input.subject,
      detail: JSON.stringify(input.detail ?? {}),
      reason: input.reason ?? null,
    })
    .execute();
}

export async function listAuditEvents(db: DB, options: { limit: number; subject?: string }) {
  let q = db
    .selectFrom("audit_events")
    .select(["id", "at", "actor_id", "actor_name", "action", "subject", "detail", "reason"])
    .orderBy("id", "desc")
    .limit(options.limit);
  if (options.subject) q = q.where("subject", "=", options.subject);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
