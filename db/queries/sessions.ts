// Server-side sessions. Only hashes of the cookie's secret are stored.
import { nowIso, type DB } from "../client";
import type { Executor } from "../outbox";

export interface SessionRow {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  second_factor_at: string | null;
  awaiting_second_factor: 0 | 1;
}

const COLUMNS = ["id_hash", "user_id", "created_at", "last_seen_at", "expires_at", "user_agent", "second_factor_at", "awaiting_second_factor"] as const;

export async function createSession(
  db: Executor,
  input: { userId: number; idHash: string; expiresAt: string; userAgent: string | null; secondFactorAt?: string | null; awaitingSecondFactor?: boolean },
): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("sessions")
    .values({
      id_hash: input.idHash,
      user_id: input.userId,
      created_at: now,
      last_seen_at: now,
      expires_at: input.expiresAt,
      user_agent: input.userAgent,
      second_factor_at: input.secondFactorAt ?? null,
      awaiting_second_factor: input.awaitingSecondFactor ? 1 : 0,
    })
    .execute();
}

/** A session that has not reached its absolute end; the caller checks the idle limit. */
export async function findSession(db: Executor, idHash: string, now: string = nowIso()): Promise<SessionRow | undefined> {
  return db.selectFrom("sessions").select(COLUMNS).where("id_hash", "=", idHash).where("expires_at", ">", now).executeTakeFirst();
}

export async function touchSession(db: Executor, idHash: string, at: string = nowIso()): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id_hash", "=", idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/** Signs a user out everywhere (a password reset, a deactivation), optionally keeping one session. */
export async function deleteSessionsOfUser(db: Executor, userId: number, keep?: string): Promise<number> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keep) q = q.where("id_hash", "<>", keep);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** A person's open sessions, newest activity first (for /me/security). */
export async function listSessionsOfUser(db: Executor, userId: number, now: string = nowIso()): Promise<SessionRow[]> {
  return db
    .selectFrom("sessions")
    .select(COLUMNS)
    .where("user_id", "=", userId)
    .where("awaiting_second_factor", "=", 0)
    .where("expires_at", ">", now)
    .orderBy("last_seen_at", "desc")
    .execute();
}

/** Marks a session as having proved the second factor (after turning one on in it). */
export async function markSecondFactor(db: Executor, idHash: string, at: string = nowIso()): Promise<void> {
  await db.updateTable("sessions").set({ second_factor_at: at }).where("id_hash", "=", idHash).execute();
}
