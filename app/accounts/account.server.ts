// The account journeys that span several steps: sign-up with e-mail verification, password
// reset, sign-in. Each write and the mail it sends are one transaction (the mail goes through
// the outbox), and every mailed link carries a token from db/tokens.ts.
import { queueMail } from "../../db/mail";
import { releaseRateSlots } from "../../db/queries/rate-limits";
import { findUserByEmail, registerAccount, resetPasswordWithToken, verifyEmailWithToken } from "../../db/queries/users";
import { mailToken, peekToken, subjectOf } from "../../db/tokens";
import type { PortalContext } from "../context.server";
import type { Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./auth.server";
import { refusal, tooManyAttempts, type Outcome } from "../lib/outcome";
import { accountAndAddress, clearSignInLimits, takeSlots } from "../lib/rate-limits.server";

/**
 * Registers an account and mails a verification link. For an address that already has an
 * account, it mails that person instead, so the answer on screen never tells who is registered.
 */
export async function signUp(context: PortalContext, input: { name: string; email: string; password: string }, locale: Locale): Promise<Outcome<object>> {
  const fromAddress = await takeSlots(context, [["signUpPerAddress", context.clientAddress]]);
  if (!fromAddress.ok) return tooManyAttempts(fromAddress.retryAfterSeconds);
  // However the form is filled in, one address gets only so many mails from sign-ups.
  const mayMail = (await takeSlots(context, [["signUpMailsPerAddressee", input.email]])).ok;
  const existing = await findUserByEmail(context.db, input.email);
  // Hash either way, so both answers take as long.
  const passwordHash = await hashPassword(input.password);
  if (existing) {
    if (mayMail && !existing.deactivated_at) {
      await queueMail(context.db, renderMail("account-exists", existing.locale, existing.email, context.publicBaseUrl, { name: existing.name, link: "/forgot-password" }));
    }
  } else {
    await registerAccount(context.db, { email: input.email, name: input.name, passwordHash, locale }, (token) =>
      renderMail("verify-email", locale, input.email, context.publicBaseUrl, { name: input.name, link: `/verify-email?token=${token}` }),
    );
  }
  context.afterWrite();
  return { ok: true };
}

/** Mails a new verification link to a signed-in user whose address is not verified yet. */
export async function resendVerification(context: PortalContext, user: { id: number; email: string; name: string; locale: Locale }): Promise<Outcome<object>> {
  const verdict = await takeSlots(context, [["resendVerificationPerAccount", user.id]]);
  if (!verdict.ok) return tooManyAttempts(verdict.retryAfterSeconds);
  await mailToken(context.db, "verify_email", { userId: user.id, email: user.email, subject: subjectOf.user(user.id) }, (token) =>
    renderMail("verify-email", user.locale, user.email, context.publicBaseUrl, { name: user.name, link: `/verify-email?token=${token}` }),
  );
  context.afterWrite();
  return { ok: true };
}

export async function verifyEmail(context: PortalContext, token: string): Promise<number | undefined> {
  return verifyEmailWithToken(context.db, token);
}

/** Mails a reset link if the address has an account; says nothing either way. */
export async function requestPasswordReset(context: PortalContext, email: string): Promise<Outcome<object>> {
  const fromAddress = await takeSlots(context, [["resetPerAddress", context.clientAddress]]);
  if (!fromAddress.ok) return tooManyAttempts(fromAddress.retryAfterSeconds);
  const user = await findUserByEmail(context.db, email);
  if (!user || user.deactivated_at || !(await takeSlots(context, [["resetMailsPerAccount", user.email]])).ok) {
    await decoyPasswordHash();
    return { ok: true };
  }
  await mailToken(context.db, "reset_password", { userId: user.id, email: user.email, subject: subjectOf.user(user.id) }, (token) =>
    renderMail("reset-password", user.locale, user.email, context.publicBaseUrl, { name: user.name, link: `/reset-password?token=${token}` }),
  );
  context.afterWrite();
  return { ok: true };
}

/**
 * Sets a new password from a reset link, ends every session of that user and the other reset
 * links, and lifts the sign-in limits on the account: a person locked out by someone else's
 * guessing gets in this way.
 */
export async function resetPassword(context: PortalContext, token: string, password: string): Promise<number | undefined> {
  const passwordHash = await hashPassword(password);
  const reset = await resetPasswordWithToken(context.db, token, passwordHash);
  if (!reset) return undefined;
  await clearSignInLimits(context, reset.email);
  return reset.userId ?? undefined;
}

/**
 * Checks an e-mail and password. Unknown addresses take as long as wrong passwords. Each attempt
 * takes a slot first (per account and address, per address, per account), so parallel guesses
 * cannot slip under the limit; a right password gives its slots back.
 */
export async function checkCredentials(context: PortalContext, email: string, password: string): Promise<Outcome<{ userId: number }>> {
  const verdict = await takeSlots(context, [
    ["signInPerAccountAndAddress", accountAndAddress(email, context.clientAddress)],
    ["signInPerAddress", context.clientAddress],
    ["signInPerAccount", email],
  ]);
  if (!verdict.ok) return tooManyAttempts(verdict.retryAfterSeconds);
  const user = await findUserByEmail(context.db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
  if (!user || !ok) return refusal(400, "login.wrong");
  await releaseRateSlots(context.db, verdict.eventIds);
  if (user.deactivated_at) return refusal(403, "login.deactivated");
  return { ok: true, userId: user.id };
}

export async function isResetTokenUsable(context: PortalContext, token: string): Promise<boolean> {
  return (await peekToken(context.db, "reset_password", token)) !== undefined;
}

export async function isVerificationUsable(context: PortalContext, token: string): Promise<boolean> {
  return (await peekToken(context.db, "verify_email", token)) !== undefined;
}
