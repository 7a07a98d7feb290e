// `npm run demo:code`: the demo administrator's current sign-in code, for trying the portal
// without an authenticator app. Demo only: the key is in the source, like the demo password.
import { DEMO_TOTP_SECRET } from "../db/demo";
import { codeFor, TOTP_PERIOD_SECONDS } from "../app/accounts/second-factor.server";

const left = TOTP_PERIOD_SECONDS - (Math.floor(Date.now() / 1000) % TOTP_PERIOD_SECONDS);
process.stdout.write(`${codeFor(DEMO_TOTP_SECRET)}  (admin@samskab.example, valid for ${left} s more)\n`);
