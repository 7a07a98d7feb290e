// Sign-in, sessions and who is asking. Passwords are argon2id hashes (db/passwords.ts); sessions
// live in SQLite behind an HttpOnly, SameSite=Lax cookie that is Secure when the portal is served
// over https; only a SHA-256 of the cookie's value is stored. A session ends when it is idle too
// long or reaches its absolute end, both shorter for administrators and community managers; an
// administrator's role acts only in a session that proved a second factor.
import { createCookie, redirect } from "@remix-run/node";
import { nowIso } from "../../db/client";
import { hashPassword, verifyPassword } from "../../db/passwords";
import { createSession, deleteSession, findSession, touchSession, type SessionRow } from "../../db/queries/sessions";
import { loadAccount, recordSignIn, type Account } from "../../db/queries/users";
import type { GlobalRole } from "../../db/schema";
import { hashSecret, newSecret } from "../../db/tokens";
import { PUBLIC_VIEWER, type Viewer } from "../../db/visibility";
import type { PortalContext } from "../context.server";
import { canCurate } from "../lib/permissions";
import { safeRedirect } from "../lib/redirects";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long sessions live (README: Security). */
export const SESSION_LIFETIMES = {
  standard: { idleMs: 7 * DAY, absoluteMs: 30 * DAY },
  /** Administrators and community managers: they see and change more. */
  privileged: { idleMs: 1 * HOUR, absoluteMs: 12 * HOUR },
  /** Between a right password and the second factor. */
  awaitingSecondFactorMs: 10 * MINUTE,
} as const;

/** last_seen_at is written at most this often; the idle limit is counted from it. */
const TOUCH_EVERY_MS = MINUTE;

export const SESSION_COOKIE = "samskab_session";

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
    maxAge: SESSION_LIFETIMES.standard.absoluteMs / 1000,
  });
}

async function sessionSecretOf(request: Request, context: PortalContext): Promise<string | undefined> {
  const value = await sessionCookie(context).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 && value.length < 100 ? value : undefined;
}

function isPrivileged(roles: GlobalRole[]): boolean {
  return roles.includes("administrator") || roles.includes("community_manager");
}

/** Whether a session is past its idle or absolute limit for an account with these roles. */
export function sessionHasLapsed(session: Pick<SessionRow, "created_at" | "last_seen_at">, roles: GlobalRole[], now: number = Date.now()): boolean {
  const life = isPrivileged(roles) ? SESSION_LIFETIMES.privileged : SESSION_LIFETIMES.standard;
  return now - Date.parse(session.created_at) > life.absoluteMs || now - Date.parse(session.last_seen_at) > life.idleMs;
}

export interface CurrentUser extends Account {
  viewer: Viewer;
  session: { idHash: string; secondFactorAt: string | null };
  /** Roles the account holds that do not act in this session: an administrator's, until a second factor is proved. */
  inactiveRoles: GlobalRole[];
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
      if (!session || session.awaiting_second_factor) return null;
      const account = await loadAccount(context.db, session.user_id);
      if (!account) return null;
      const now = Date.now();
      if (sessionHasLapsed(session, account.roles, now)) {
        await deleteSession(context.db, idHash);
        return null;
      }
      if (now - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) await touchSession(context.db, idHash);
      const inactiveRoles: GlobalRole[] = account.roles.includes("administrator") && !(account.secondFactor && session.second_factor_at) ? ["administrator"] : [];
      const acting = { ...account, roles: account.roles.filter((r) => !inactiveRoles.includes(r)) };
      return { ...acting, viewer: viewerFor(acting), session: { idHash, secondFactorAt: session.second_factor_at }, inactiveRoles };
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
  throw redirect(`/login?redirectTo=${encodeURIComponent(safeRedirect(`${url.pathname}${url.search}`, "/me"))}`);
}

/** The signed-in community manager or administrator (the workbench and the overview), else 403. */
export async function requireCurator(request: Request, context: PortalContext): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  if (!canCurate(user)) throw new Response("Forbidden", { status: 403 });
  return user;
}

function userAgentOf(request: Request): string | null {
  // eslint-disable-next-line no-control-regex
  const agent = request.headers.get("User-Agent")?.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);
  return agent ? agent : null;
}

async function newSessionCookie(
  request: Request,
  context: PortalContext,
  userId: number,
  kind: { awaitingSecondFactor: true } | { awaitingSecondFactor: false; secondFactorAt: string | null },
): Promise<string> {
  // The session id is always new (rotated at sign-in), and the visitor's previous one ends.
  const previous = await sessionSecretOf(request, context);
  if (previous) await deleteSession(context.db, hashSecret(previous));
  const secret = newSecret();
  const lifetime = kind.awaitingSecondFactor ? SESSION_LIFETIMES.awaitingSecondFactorMs : SESSION_LIFETIMES.standard.absoluteMs;
  await createSession(context.db, {
    userId,
    idHash: hashSecret(secret),
    expiresAt: new Date(Date.now() + lifetime).toISOString(),
    userAgent: userAgentOf(request),
    awaitingSecondFactor: kind.awaitingSecondFactor,
    secondFactorAt: kind.awaitingSecondFactor ? null : kind.secondFactorAt,
  });
  if (!kind.awaitingSecondFactor) await recordSignIn(context.db, userId);
  return sessionCookie(context).serialize(secret);
}

/**
 * Signs a person in after a right password, or after a mailed link that proved the address,
 * and sends them on to `next` (a path of this site). An account with a second factor gets a
 * session that opens nothing until the code is given on /login/second-factor.
 */
export async function startSession(request: Request, context: PortalContext, userId: number, next: string): Promise<Response> {
  const target = safeRedirect(next);
  const account = await loadAccount(context.db, userId);
  if (account?.secondFactor) {
    const cookie = await newSessionCookie(request, context, userId, { awaitingSecondFactor: true });
    return redirect(`/login/second-factor?redirectTo=${encodeURIComponent(target)}`, { headers: { "Set-Cookie": cookie } });
  }
  const cookie = await newSessionCookie(request, context, userId, { awaitingSecondFactor: false, secondFactorAt: null });
  return redirect(target, { headers: { "Set-Cookie": cookie } });
}

/** The sign-in waiting for its second factor, from this browser's cookie. */
export async function awaitingSignIn(request: Request, context: PortalContext): Promise<{ idHash: string; account: Account } | null> {
  const secret = await sessionSecretOf(request, context);
  if (!secret) return null;
  const idHash = hashSecret(secret);
  const session = await findSession(context.db, idHash);
  if (!session?.awaiting_second_factor) return null;
  const account = await loadAccount(context.db, session.user_id);
  return account ? { idHash, account } : null;
}

/** The second factor was right: the waiting session is replaced by a full one. */
export async function completeSignIn(request: Request, context: PortalContext, userId: number, next: string): Promise<Response> {
  const cookie = await newSessionCookie(request, context, userId, { awaitingSecondFactor: false, secondFactorAt: nowIso() });
  return redirect(safeRedirect(next), { headers: { "Set-Cookie": cookie } });
}

export async function signOut(request: Request, context: PortalContext): Promise<string> {
  const secret = await sessionSecretOf(request, context);
  if (secret) await deleteSession(context.db, hashSecret(secret));
  return sessionCookie(context).serialize("", { maxAge: 0 });
}
