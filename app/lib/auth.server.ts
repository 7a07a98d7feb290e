// Sign-in, sessions and who is asking. Passwords are argon2id hashes (db/passwords.ts); sessions live in SQLite behind an HttpOnly, SameSite=Lax cookie that
// is Secure when the portal is served over https; only a SHA-256 of the cookie's value is stored.
import crypto from "node:crypto";
import { hashPassword, verifyPassword } from "../../db/passwords";
import { createCookie, redirect } from "@remix-run/node";
import { nowIso } from "../../db/client";
import {
  clearAuthFailures,
  countAuthFailures,
  createSession,
  deleteSession,
  extendSession,
  findSession,
  recordAuthFailure,
} from "../../db/queries/sessions";
import { loadAccount, type Account } from "../../db/queries/users";
import { PUBLIC_VIEWER, type Viewer } from "../../db/visibility";
import type { PortalContext } from "../context.server";

const SESSION_DAYS = 30;
/** Also read by the server's headers (scripts/lib/security-headers.ts): signed-in answers are never stored. */
export const SESSION_COOKIE = "samskab_session";
const DAY = 86_400_000;

export function newSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

export { hashPassword, verifyPassword };

// A hash to verify against when the account does not exist, so both cases take the same time.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(newSecret());
  return decoyHash;
}

function sessionCookie(context: Pick<PortalContext, "publicBaseUrl">) {
  return createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: context.publicBaseUrl.startsWith("https:"),
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  });
}

async function sessionSecretOf(request: Request, context: PortalContext): Promise<string | undefined> {
  const value = await sessionCookie(context).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : undefined;
}

export interface CurrentUser extends Account {
  viewer: Viewer;
}

const cache = new WeakMap<Request, Promise<CurrentUser | null>>();

/** The signed-in user, or null. Looked up once per request. */
export function currentUser(request: Request, context: PortalContext): Promise<CurrentUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = (async () => {
      const secret = await sessionSecretOf(request, context);
      if (!secret) return null;
      const idHash = hashSecret(secret);
      const session = await findSession(context.db, idHash);
      if (!session) return null;
      const account = await loadAccount(context.db, session.user_id);
      if (!account) return null;
      // Slide the expiry, at most once an hour.
      if (Date.now() - Date.parse(session.last_seen_at) > 3_600_000) {
        await extendSession(context.db, idHash, new Date(Date.now() + SESSION_DAYS * DAY).toISOString());
      }
      return { ...account, viewer: viewerFor(account) };
    })();
    cache.set(request, pending);
  }
  return pending;
}

export function viewerFor(account: Account): Viewer {
  return {
    kind: "user",
    userId: account.id,
    organisationIds: account.memberships.map((m) => m.organisationId),
    roles: account.roles,
  };
}

export async function viewerOf(request: Request, context: PortalContext): Promise<Viewer> {
  return (await currentUser(request, context))?.viewer ?? PUBLIC_VIEWER;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request, context: PortalContext): Promise<CurrentUser> {
  const user = await currentUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
}

/**
 * Starts a session for a user and returns its Set-Cookie header. The session id is always new
 * (rotated at sign-in), and the visitor's previous session, if any, is ended.
 */
export async function signIn(request: Request, context: PortalContext, userId: number): Promise<string> {
  const previous = await sessionSecretOf(request, context);
  if (previous) await deleteSession(context.db, hashSecret(previous));
  const secret = newSecret();
  await createSession(context.db, userId, hashSecret(secret), new Date(Date.now() + SESSION_DAYS * DAY).toISOString());
  await context.db.updateTable("users").set({ last_login_at: nowIso() }).where("id", "=", userId).execute();
  return sessionCookie(context).serialize(secret);
}

export async function signOut(request: Request, context: PortalContext): Promise<string> {
  const secret = await sessionSecretOf(request, context);
  if (secret) await deleteSession(context.db, hashSecret(secret));
  return sessionCookie(context).serialize("", { maxAge: 0 });
}

/** A path on this site to return to after signing in; anything else becomes the landing page. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/me"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.includes("\\")) return fallback;
  return to;
}

// Throttling: after this many failed sign-ins within the window, further tries answer 429.
export const THROTTLE = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 20 };

function subjects(email: string, address: string) {
  return { account: `account:${email.trim().toLowerCase()}`, address: `address:${address}` };
}

export async function isThrottled(context: PortalContext, email: string): Promise<boolean> {
  const since = new Date(Date.now() - THROTTLE.windowMs).toISOString();
  const s = subjects(email, context.clientAddress);
  const [account, address] = await Promise.all([
    countAuthFailures(context.db, s.account, since),
    countAuthFailures(context.db, s.address, since),
  ]);
  return account >= THROTTLE.perAccount || address >= THROTTLE.perAddress;
}

export async function noteFailedSignIn(context: PortalContext, email: string): Promise<void> {
  const s = subjects(email, context.clientAddress);
  await recordAuthFailure(context.db, [s.account, s.address]);
}

export async function noteSuccessfulSignIn(context: PortalContext, email: string): Promise<void> {
  await clearAuthFailures(context.db, subjects(email, context.clientAddress).account);
}
