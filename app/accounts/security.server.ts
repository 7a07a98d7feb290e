// A person's own security page (/me/security): the sessions they are signed in with, ending
// them, and the second factor.
import { deleteSession, deleteSessionsOfUser, listSessionsOfUser } from "../../db/queries/sessions";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "./auth.server";
import { recoveryCodesLeft, setupView } from "./second-factor.server";

/** "Firefox on Windows": enough to tell one's devices apart, never the whole header. */
export function describeUserAgent(agent: string | null): { browser: string | null; system: string | null } {
  if (!agent) return { browser: null, system: null };
  const browser = /Edg\//.test(agent)
    ? "Edge"
    : /Firefox\//.test(agent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(agent)
        ? "Chrome"
        : /Safari\//.test(agent)
          ? "Safari"
          : null;
  const system = /Android/.test(agent)
    ? "Android"
    : /iPhone|iPad/.test(agent)
      ? "iOS"
      : /Windows/.test(agent)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(agent)
          ? "macOS"
          : /Linux/.test(agent)
            ? "Linux"
            : null;
  return { browser, system };
}

/**
 * What names a session in the page's forms: a prefix of the stored hash (itself a hash of the
 * cookie), so nothing that opens a session ever reaches the page.
 */
function keyOf(idHash: string): string {
  return idHash.slice(0, 16);
}

export async function loadSecurityPage(context: PortalContext, user: CurrentUser) {
  const sessions = await listSessionsOfUser(context.db, user.id);
  return {
    email: user.email,
    secondFactor: user.secondFactor,
    setup: user.secondFactor ? undefined : await setupView(context, user),
    recoveryCodesLeft: user.secondFactor ? await recoveryCodesLeft(context, user.id) : 0,
    administratorWaiting: user.inactiveRoles.includes("administrator"),
    sessions: sessions.map((s) => ({
      key: keyOf(s.id_hash),
      current: s.id_hash === user.session.idHash,
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      ...describeUserAgent(s.user_agent),
      secondFactor: s.second_factor_at !== null,
    })),
  };
}

/** Ends one of the person's other sessions, named by its key from the list they were shown. */
export async function endSession(context: PortalContext, user: CurrentUser, key: string): Promise<boolean> {
  const session = (await listSessionsOfUser(context.db, user.id)).find((s) => keyOf(s.id_hash) === key);
  if (!session || session.id_hash === user.session.idHash) return false;
  await deleteSession(context.db, session.id_hash);
  return true;
}

export function endOtherSessions(context: PortalContext, user: CurrentUser): Promise<number> {
  return deleteSessionsOfUser(context.db, user.id, user.session.idHash);
}
