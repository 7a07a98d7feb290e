// TOTP second factors and their recovery codes. Checking a code is app/accounts/second-factor.server.ts's
// business; this module only stores what that needs, so that a code and a recovery code each
// work once, even when two requests race with the same one.
import { nowIso, type DB } from "../client";
import type { Executor } from "../outbox";
import { subjectOf } from "../tokens";
import { recordAuditEvent, type AuditActorRef } from "./audit-events";
import { deleteSessionsOfUser, markSecondFactor } from "./sessions";

export async function findSecondFactor(db: Executor, userId: number) {
  return db.selectFrom("second_factors").select(["secret", "enabled_at", "last_step"]).where("user_id", "=", userId).executeTakeFirst();
}

/** Starts (or restarts) setting up a second factor; an enabled one is never replaced this way. */
export async function beginSecondFactorSetup(db: Executor, userId: number, secret: string): Promise<boolean> {
  const result = await db
    .insertInto("second_factors")
    .values({ user_id: userId, secret, enabled_at: null, last_step: 0, created_at: nowIso() })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ secret, last_step: 0, created_at: nowIso() }).where("second_factors.enabled_at", "is", null))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Accepts the code of a time step: true only if no code of this or a later step was accepted
 * before. Turning the factor on happens with its first accepted code.
 */
export async function acceptStep(db: Executor, userId: number, step: number, options: { enable?: boolean } = {}): Promise<boolean> {
  const result = await db
    .updateTable("second_factors")
    .set({ last_step: step, ...(options.enable ? { enabled_at: nowIso() } : {}) })
    .where("user_id", "=", userId)
    .where("last_step", "<", step)
    .where("enabled_at", options.enable ? "is" : "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteSecondFactor(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("second_factors").where("user_id", "=", userId).execute();
}

export async function replaceRecoveryCodes(db: Executor, userId: number, hashes: string[]): Promise<void> {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db.insertInto("recovery_codes").values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null }))).execute();
}

/** Uses a recovery code once; false when it is unknown, used, or someone else's. */
export async function useRecoveryCode(db: Executor, userId: number, hash: string): Promise<boolean> {
  const result = await db
    .updateTable("recovery_codes")
    .set({ used_at: nowIso() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Turns the factor on with its first accepted code: stores the recovery codes, ends the person's
 * other sessions, marks this one as having passed the second step, and writes the audit row, in
 * one transaction. False when the code's step was already used.
 */
export async function turnOnSecondFactor(
  db: DB,
  input: { user: AuditActorRef; step: number; recoveryCodeHashes: string[]; sessionIdHash: string },
): Promise<boolean> {
  const { user } = input;
  return db.transaction().execute(async (trx) => {
    if (!(await acceptStep(trx, user.id, input.step, { enable: true }))) return false;
    await replaceRecoveryCodes(trx, user.id, input.recoveryCodeHashes);
    await deleteSessionsOfUser(trx, user.id, input.sessionIdHash);
    await markSecondFactor(trx, input.sessionIdHash);
    await recordAuditEvent(trx, { actor: user, action: "second_factor.enabled", subject: subjectOf.user(user.id) });
    return true;
  });
}

/** Turns the factor off, with its audit row. */
export async function turnOffSecondFactor(db: DB, user: AuditActorRef): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteSecondFactor(trx, user.id);
    await recordAuditEvent(trx, { actor: user, action: "second_factor.disabled", subject: subjectOf.user(user.id) });
  });
}
