// A second factor any account can turn on, and administrators must have before their role acts:
// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, the codes of the step before and after
// accepted for clock drift), checked with the otpauth library, plus ten single-use recovery codes.
// A code is accepted once: the newest accepted step is stored, and only later steps pass.
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import {
  acceptStep,
  beginSecondFactorSetup,
  countUnusedRecoveryCodes,
  findSecondFactor,
  replaceRecoveryCodes,
  turnOffSecondFactor,
  turnOnSecondFactor,
  useRecoveryCode,
} from "../../db/queries/second-factors";
import type { PortalContext } from "../context.server";

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = "Samskab";
const RECOVERY_CODES = 10;
// No 0/O, 1/l/I: codes are read off paper.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The time step a right code belongs to, or undefined. */
function stepOf(secret: string, code: string, now: number): number | undefined {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = TOTP.validate({ token, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, timestamp: now, window: 1 });
  return delta === null ? undefined : TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now }) + delta;
}

function normalRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function hashRecoveryCode(code: string): string {
  return crypto.createHash("sha256").update(normalRecoveryCode(code)).digest("hex");
}

function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export interface SetupView {
  secret: string;
  /** The secret in groups of four, for typing into an app by hand. */
  secretGrouped: string;
  uri: string;
  /** An SVG QR code of the URI, made on the server. */
  qrSvg: string;
}

/** Starts setting up a second factor with a new secret (again, if a setup was left unfinished). */
export async function beginSetup(context: PortalContext, userId: number): Promise<boolean> {
  return beginSecondFactorSetup(context.db, userId, newTotpSecret());
}

/** The setup in progress, if any: what the person scans or types into their app. */
export async function setupView(context: PortalContext, user: { id: number; email: string }): Promise<SetupView | undefined> {
  const factor = await findSecondFactor(context.db, user.id);
  if (!factor || factor.enabled_at) return undefined;
  const uri = totp(factor.secret, user.email).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret: factor.secret, secretGrouped: factor.secret.replace(/(.{4})/g, "$1 ").trim(), uri, qrSvg };
}

/**
 * Turns the factor on with its first right code: ends the person's other sessions (they did not
 * prove it), marks this one as having proved it, and returns the recovery codes to show once.
 */
export async function enableSecondFactor(
  context: PortalContext,
  user: { id: number; name: string },
  sessionIdHash: string,
  code: string,
  now: number = Date.now(),
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const factor = await findSecondFactor(context.db, user.id);
  if (!factor || factor.enabled_at) return { ok: false };
  const step = stepOf(factor.secret, code, now);
  if (step === undefined) return { ok: false };
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  const enabled = await turnOnSecondFactor(context.db, { user, step, recoveryCodeHashes: codes.map(hashRecoveryCode), sessionIdHash });
  return enabled ? { ok: true, recoveryCodes: codes } : { ok: false };
}

/** Checks a code or a recovery code at sign-in; each works once. */
export async function checkSecondFactor(context: PortalContext, userId: number, code: string, now: number = Date.now()): Promise<"code" | "recovery" | false> {
  const factor = await findSecondFactor(context.db, userId);
  if (!factor?.enabled_at) return false;
  const step = stepOf(factor.secret, code, now);
  if (step !== undefined) return (await acceptStep(context.db, userId, step)) ? "code" : false;
  const normal = normalRecoveryCode(code);
  if (normal.length !== 10) return false;
  return (await useRecoveryCode(context.db, userId, hashRecoveryCode(normal))) ? "recovery" : false;
}

/** Turns the factor off; the person proves it once more with a code or a recovery code. */
export async function disableSecondFactor(context: PortalContext, user: { id: number; name: string }, code: string): Promise<boolean> {
  if (!(await checkSecondFactor(context, user.id, code))) return false;
  await turnOffSecondFactor(context.db, user);
  return true;
}

/** New recovery codes (the old ones stop working), after a right code. */
export async function renewRecoveryCodes(context: PortalContext, userId: number, code: string): Promise<string[] | undefined> {
  if ((await checkSecondFactor(context, userId, code)) === false) return undefined;
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await replaceRecoveryCodes(context.db, userId, codes.map(hashRecoveryCode));
  return codes;
}

export function recoveryCodesLeft(context: PortalContext, userId: number): Promise<number> {
  return countUnusedRecoveryCodes(context.db, userId);
}

/** A code for a secret at a time: for the demo's printed instructions and for tests. */
export function codeFor(secret: string, timestamp: number = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, timestamp });
}
