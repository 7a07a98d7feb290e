// A TOTP code the portal will accept for an account now. A code works once (the newest used
// step is stored), so several sign-ins of one account within 30 seconds take the next step's
// code, which the portal accepts for clock drift, or wait for the step after.
import type { DB } from "../../db/client";
import { codeFor, TOTP_PERIOD_SECONDS } from "../../app/accounts/second-factor.server";

export async function nextTotpCode(db: DB, email: string): Promise<string> {
  const factor = await db
    .selectFrom("second_factors")
    .innerJoin("users", "users.id", "second_factors.user_id")
    .select(["second_factors.secret", "second_factors.last_step"])
    .where("users.email", "=", email)
    .executeTakeFirstOrThrow();
  const period = TOTP_PERIOD_SECONDS * 1000;
  const now = Math.floor(Date.now() / period);
  const step = Math.max(now, factor.last_step + 1);
  // One step ahead is accepted; further ahead, wait until it is one step ahead.
  if (step > now + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * period - Date.now() + 50));
  return codeFor(factor.secret, step * period + 1);
}
