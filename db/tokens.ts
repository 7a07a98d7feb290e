// Every token the portal mails (verify an address, reset a password, accept an invitation,
// confirm an introduction, unsubscribe) comes from here and is checked here: 32 random bytes,
// stored only as a SHA-256, used once, expiring, and bound to its purpose and its addressee.
// A token issued to an account stops working when that account's address changes, or the
// account is erased or deactivated.
import crypto from "node:crypto";
import { sql, type SqlBool } from "kysely";
import { nowIso, type DB } from "./client";
import { queueMail } from "./mail";
import type { Executor, MailMessage } from "./outbox";
import type { TokenPurpose } from "./schema";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long each kind of link works (README: Security). */
export const TOKEN_LIFETIMES: Record<TokenPurpose, number> = {
  verify_email: 48 * HOUR,
  reset_password: 1 * HOUR,
  invitation: 7 * DAY,
  introduction: 14 * DAY,
  unsubscribe: 90 * DAY,
};

/** 32 random bytes in base64url: 43 characters. Sessions use the same. */
export function newSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

/** The shape of every secret newSecret makes; anything else is not looked up at all. */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function isSecretShaped(value: unknown): value is string {
  return typeof value === "string" && SECRET_SHAPE.test(value);
}

/** Whom a token was sent to, and what it is about. */
export interface TokenHolder {
  /** The addressee's account, when there is one. */
  userId: number | null;
  /** The address the mail goes to. */
  email: string;
  /** What the token opens: "user:7", "invitation:3", "match:5:challenge", "subscription:9". */
  subject: string;
}

export interface IssuedToken extends TokenHolder {
  id: number;
  purpose: TokenPurpose;
  expiresAt: string;
}

/**
 * Makes a token and stores its hash, in the transaction that queues the mail carrying it (a
 * mail never sent leaves no working token behind). Returns the token: it exists only in the mail.
 */
export async function issueToken(trx: Executor, purpose: TokenPurpose, holder: TokenHolder, now: Date = new Date()): Promise<string> {
  const token = newSecret();
  await trx
    .insertInto("tokens")
    .values({
      purpose,
      token_hash: hashSecret(token),
      subject: holder.subject,
      user_id: holder.userId,
      email: holder.email.trim(),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIMES[purpose]).toISOString(),
    })
    .execute();
  // Long-dead tokens are kept a month (for "this link has expired" rather than "unknown"), then go.
  await trx.deleteFrom("tokens").where("expires_at", "<", new Date(now.getTime() - 30 * DAY).toISOString()).execute();
  return token;
}

function usable(db: Executor, purpose: TokenPurpose, token: string, at: string) {
  return (
    db
      .selectFrom("tokens")
      .leftJoin("users", "users.id", "tokens.user_id")
      .select(["tokens.id", "tokens.purpose", "tokens.subject", "tokens.user_id", "tokens.email", "tokens.expires_at"])
      .where("tokens.token_hash", "=", hashSecret(token))
      .where("tokens.purpose", "=", purpose)
      .where("tokens.used_at", "is", null)
      .where("tokens.expires_at", ">", at)
      // Bound to the addressee: an account's token needs that account, still at that address.
      .where((eb) =>
        eb.or([
          eb("tokens.user_id", "is", null),
          eb.and([eb("users.erased_at", "is", null), eb("users.deactivated_at", "is", null), sql<SqlBool>`users.email = tokens.email collate nocase`]),
        ]),
      )
  );
}

function toIssued(row: { id: number; purpose: TokenPurpose; subject: string; user_id: number | null; email: string; expires_at: string }): IssuedToken {
  return { id: row.id, purpose: row.purpose, subject: row.subject, userId: row.user_id, email: row.email, expiresAt: row.expires_at };
}

/** The token's holder if it could be used now, without using it (to show a form for good links only). */
export async function peekToken(db: Executor, purpose: TokenPurpose, token: unknown): Promise<IssuedToken | undefined> {
  if (!isSecretShaped(token)) return undefined;
  const row = await usable(db, purpose, token, nowIso()).executeTakeFirst();
  return row ? toIssued(row) : undefined;
}

/**
 * Uses a token: marks it used and returns its holder, or undefined when it is unknown, used,
 * expired, for another purpose, or its addressee no longer holds the address. `forEmail`
 * additionally requires the token to have been sent to that address. Call it inside the
 * transaction of the change the token authorises, so a failed change leaves the token unused.
 */
export async function consumeToken(db: Executor, purpose: TokenPurpose, token: unknown, options: { forEmail?: string } = {}): Promise<IssuedToken | undefined> {
  if (!isSecretShaped(token)) return undefined;
  const at = nowIso();
  const row = await usable(db, purpose, token, at).executeTakeFirst();
  if (!row) return undefined;
  if (options.forEmail !== undefined && row.email.toLowerCase() !== options.forEmail.trim().toLowerCase()) return undefined;
  // The used_at condition makes two requests racing with one token produce one winner.
  const claimed = await db.updateTable("tokens").set({ used_at: at }).where("id", "=", row.id).where("used_at", "is", null).executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1 ? toIssued(row) : undefined;
}

/** Ends every unused token about a subject (a subscription ended, a password changed). */
export async function revokeTokens(db: Executor, subject: string, purposes?: TokenPurpose[]): Promise<void> {
  let q = db.updateTable("tokens").set({ used_at: nowIso() }).where("subject", "=", subject).where("used_at", "is", null);
  if (purposes) q = q.where("purpose", "in", purposes);
  await q.execute();
}

/** Subject keys, written one way. */
export const subjectOf = {
  user: (id: number) => `user:${id}`,
  invitation: (id: number) => `invitation:${id}`,
  introduction: (matchId: number, party: "challenge" | "solution") => `match:${matchId}:${party}`,
  subscription: (id: number) => `subscription:${id}`,
};

/** The number at the end of a subject key ("invitation:12" → 12), or undefined. */
export function subjectId(subject: string, kind: "user" | "invitation" | "subscription"): number | undefined {
  const m = new RegExp(`^${kind}:(\\d+)$`).exec(subject);
  return m ? Number(m[1]) : undefined;
}

/**
 * Issues a token and queues the mail that carries it (`mail` builds it from the token) in one
 * transaction: no mail without its token, no working token without its mail.
 */
export async function mailToken(db: DB, purpose: TokenPurpose, holder: TokenHolder, mail: (token: string) => MailMessage): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, purpose, holder);
    await queueMail(trx, mail(token));
  });
}
