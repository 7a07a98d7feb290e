// The account journeys that span several steps: sign-up with e-mail verification, password
// reset. Each write and the mail it sends are one transaction (the mail goes through the outbox).
import { queueMail } from "../../db/mail";
import { nowIso } from "../../db/client";
import { consumeEmailToken, createEmailToken, deleteSessionsOfUser, peekEmailToken } from "../../db/queries/sessions";
import { createUser, findUserByEmail, markEmailVerified, setPasswordHash } from "../../db/queries/users";
import type { PortalContext } from "../context.server";
import type { Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import {
  decoyPasswordHash,
  hashPassword,
  hashSecret,
  isThrottled,
  newSecret,
  noteFailedSignIn,
  noteSuccessfulSignIn,
  verifyPassword,
} from "./auth.server";

const HOUR = 3_600_000;

async function issueToken(context: PortalContext, userId: number, purpose: "verify_email" | "reset_password", ttlMs: number) {
  const token = newSecret();
  await createEmailToken(context.db, userId, purpose, hashSecret(token), new Date(Date.now() + ttlMs).toISOString());
  return token;
}

/**
 * Registers an account and mails a verification link. For an address that already has an
 * account, it mails that person instead, so the answer on screen never tells who is registered.
 */
export async function signUp(context: PortalContext, input: { name: string; email: string; password: string }, locale: Locale): Promise<void> {
  const existing = await findUserByEmail(context.db, input.email);
  // Hash either way, so both answers take as long.
  const passwordHash = await hashPassword(input.password);
  if (existing) {
    await context.db.transaction().execute(async (trx) => {
      await queueMail(trx, renderMail("account-exists", existing.locale, existing.email, context.publicBaseUrl, { name: existing.name, link: "/forgot-password" }));
    });
  } else {
    await context.db.transaction().execute(async (trx) => {
      const userId = await createUser(trx, { email: input.email, name: input.name, passwordHash, locale });
      const token = newSecret();
      await createEmailToken(trx, userId, "verify_email", hashSecret(token), new Date(Date.now() + 48 * HOUR).toISOString());
      await queueMail(trx, renderMail("verify-email", locale, input.email, context.publicBaseUrl, { name: input.name, link: `/verify-email?token=${token}` }));
    });
  }
  context.afterWrite();
}

/** Mails a new verification link to a signed-in user whose address is not verified yet. */
export async function resendVerification(context: PortalContext, user: { id: number; email: string; name: string; locale: Locale }): Promise<void> {
  const token = await issueToken(context, user.id, "verify_email", 48 * HOUR);
  await context.db.transaction().execute(async (trx) => {
    await queueMail(trx, renderMail("verify-email", user.locale, user.email, context.publicBaseUrl, { name: user.name, link: `/verify-email?token=${token}` }));
  });
  context.afterWrite();
}

export async function verifyEmail(context: PortalContext, token: string): Promise<number | undefined> {
  const userId = await consumeEmailToken(context.db, "verify_email", hashSecret(token));
  if (userId !== undefined) await markEmailVerified(context.db, userId);
  return userId;
}

/** Mails a reset link if the address has an account; says nothing either way. */
export async function requestPasswordReset(context: PortalContext, email: string): Promise<void> {
  const user = await findUserByEmail(context.db, email);
  if (!user) {
    await decoyPasswordHash();
    return;
  }
  const token = await issueToken(context, user.id, "reset_password", HOUR);
  await context.db.transaction().execute(async (trx) => {
    await queueMail(trx, renderMail("reset-password", user.locale, user.email, context.publicBaseUrl, { name: user.name, link: `/reset-password?token=${token}` }));
  });
  context.afterWrite();
}

/** Sets a new password from a reset link and ends every session of that user. */
export async function resetPassword(context: PortalContext, token: string, password: string): Promise<number | undefined> {
  const userId = await consumeEmailToken(context.db, "reset_password", hashSecret(token));
  if (userId === undefined) return undefined;
  await setPasswordHash(context.db, userId, await hashPassword(password));
  await deleteSessionsOfUser(context.db, userId);
  // Whoever could read the reset mail owns the address.
  await context.db.updateTable("users").set({ email_verified_at: nowIso() }).where("id", "=", userId).where("email_verified_at", "is", null).execute();
  return userId;
}

/**
 * Checks an e-mail and password. Unknown addresses take as long as wrong passwords, and both
 * count towards throttling, per account and per client address.
 */
export async function checkCredentials(
  context: PortalContext,
  email: string,
  password: string,
): Promise<{ ok: true; userId: number } | { ok: false; reason: "throttled" | "wrong" }> {
  if (await isThrottled(context, email)) return { ok: false, reason: "throttled" };
  const user = await findUserByEmail(context.db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
  if (!user || !ok) {
    await noteFailedSignIn(context, email);
    return { ok: false, reason: "wrong" };
  }
  await noteSuccessfulSignIn(context, email);
  return { ok: true, userId: user.id };
}

export function isResetTokenUsable(context: PortalContext, token: string): Promise<boolean> {
  if (!token || token.length > 200) return Promise.resolve(false);
  return peekEmailToken(context.db, "reset_password", hashSecret(token));
}

/** An account for someone who followed an invitation link: the mail proved the address. */
export async function createInvitedAccount(
  context: PortalContext,
  input: { email: string; name: string; password: string; locale: Locale },
): Promise<number | undefined> {
  if (await findUserByEmail(context.db, input.email)) return undefined;
  return createUser(context.db, { email: input.email, name: input.name, passwordHash: await hashPassword(input.password), locale: input.locale, verified: true });
}
