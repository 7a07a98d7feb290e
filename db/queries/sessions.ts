// Server-side sessions and one-time e-mail tokens. Only hashes of the secrets are stored.
import { nowIso, type DB } from "../client";
import type { EmailTokenPurpose } from "../schema";

export async function createSession(db: DB, userId: number, idHash: string, expiresAt: string): Promise<void> {
  const now = nowIso();
  await db.insertInto("sessions").values({ id_hash: idHash, user_id: userId, created_at: now, last_seen_at: now, expires_at: expiresAt }).execute();
}

export async function findSession(db: DB, idHash: string, now: string = nowIso()) {
  return db
    .selectFrom("sessions")
    .select(["id_hash", "user_id", "last_seen_at", "expires_at"])
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function extendSession(db: DB, idHash: string, expiresAt: string): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: nowIso(), expires_at: expiresAt }).where("id_hash", "=", idHash).execute();
}

export async function deleteSession(db: DB, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/** Signs a user out everywhere (after a password reset), optionally keeping one session. */
export async function deleteSessionsOfUser(db: DB, userId: number, keep?: string): Promise<number> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keep) q = q.where("id_hash", "<>", keep);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

export async function createEmailToken(
  db: DB,
  userId: number,
  purpose: EmailTokenPurpose,
  tokenHash: string,
  expiresAt: string,
): Promise<void> {
  await db.insertInto("email_tokens").values({ user_id: userId, purpose, token_hash: tokenHash, expires_at: expiresAt }).execute();
}

/** Uses a one-time token: returns its user if it exists, is unused, unexpired and for this purpose. */
export async function consumeEmailToken(db: DB, purpose: EmailTokenPurpose, tokenHash: string): Promise<number | undefined> {
  const now = nowIso();
  const row = await db
    .updateTable("email_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id;
}

/** Whether a token is still usable, without using it (to show the reset form only for good links). */
export async function peekEmailToken(db: DB, purpose: EmailTokenPurpose, tokenHash: string): Promise<boolean> {
  const row = await db
    .selectFrom("email_tokens")
    .select("id")
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", nowIso())
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordAuthFailure(db: DB, subjects: string[]): Promise<void> {
  const at = nowIso();
  if (subjects.length > 0) await db.insertInto("auth_failures").values(subjects.map((subject) => ({ subject, at }))).execute();
}

export async function countAuthFailures(db: DB, subject: string, since: string): Promise<number> {
  const row = await db
    .selectFrom("auth_failures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("subject", "=", subject)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearAuthFailures(db: DB, subject: string): Promise<void> {
  await db.deleteFrom("auth_failures").where("subject", "=", subject).execute();
}
