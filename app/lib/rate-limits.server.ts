// Every rate limit of the portal, in one table (README: Security). Each counts per account
// (or addressee) and per client address; the buckets live in SQLite (db/queries/rate-limits.ts).
// Where saying "too many" would tell a stranger whether an address has an account (sign-up,
// password reset), the per-address limit answers 429 and the per-addressee one silently sends
// no further mail.
import { clearRateBuckets, releaseRateSlots, takeRateSlots, type RateCheck, type RateVerdict } from "../../db/queries/rate-limits";
import type { PortalContext } from "../context.server";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const LIMITS = {
  /** Sign-in attempts of one address on one account: a stranger elsewhere cannot lock you out. */
  signInPerAccountAndAddress: { max: 5, windowMs: 15 * MINUTE },
  signInPerAddress: { max: 20, windowMs: 15 * MINUTE },
  /** All addresses together on one account; a password reset empties it. */
  signInPerAccount: { max: 30, windowMs: 15 * MINUTE },
  secondFactorPerAccount: { max: 5, windowMs: 15 * MINUTE },
  signUpPerAddress: { max: 10, windowMs: HOUR },
  signUpMailsPerAddressee: { max: 3, windowMs: HOUR },
  resetPerAddress: { max: 10, windowMs: HOUR },
  resetMailsPerAccount: { max: 3, windowMs: HOUR },
  resendVerificationPerAccount: { max: 3, windowMs: HOUR },
  reportsPerAccount: { max: 10, windowMs: HOUR },
  reportsPerAddress: { max: 20, windowMs: HOUR },
  invitationsPerAccount: { max: 30, windowMs: HOUR },
  invitationsPerAddress: { max: 60, windowMs: HOUR },
} as const satisfies Record<string, { max: number; windowMs: number }>;

export type LimitName = keyof typeof LIMITS;

function normal(key: string | number): string {
  return String(key).trim().toLowerCase();
}

/** The bucket of one limit for one key: "signInPerAddress:10.0.0.7". */
export function bucketOf(name: LimitName, key: string | number): string {
  return `${name}:${normal(key)}`;
}

/** Takes a slot in each named limit for its key, or none if any is full. */
export function takeSlots(context: Pick<PortalContext, "db">, limits: Array<[LimitName, string | number]>): Promise<RateVerdict> {
  const checks: RateCheck[] = limits.map(([name, key]) => ({ bucket: bucketOf(name, key), ...LIMITS[name] }));
  return takeRateSlots(context.db, checks);
}

export function releaseSlots(context: Pick<PortalContext, "db">, verdict: RateVerdict): Promise<void> {
  return verdict.ok ? releaseRateSlots(context.db, verdict.eventIds) : Promise.resolve();
}

/** After a password reset the account's sign-in limits start afresh, from every address. */
export function clearSignInLimits(context: Pick<PortalContext, "db">, email: string): Promise<void> {
  return clearRateBuckets(context.db, [bucketOf("signInPerAccount", email), bucketOf("secondFactorPerAccount", email)], [`signInPerAccountAndAddress:${normal(email)}|`]);
}

/** The key of the per-account-and-address limit. */
export function accountAndAddress(email: string, address: string): string {
  return `${normal(email)}|${address}`;
}

