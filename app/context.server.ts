// What every loader and action receives as `context`: handles created once by the portal's
// server (scripts/lib/portal.ts), never by a route.
import type { DB } from "../db/client";
import type { SearchContext } from "../search/client";
import type { Logger } from "../db/log";
import type { CvrRegister } from "./organisations/cvr-register.server";

export interface PortalContext {
  db: DB;
  search: SearchContext;
  /** The portal's address as users reach it, for links in e-mails and canonical URLs. */
  publicBaseUrl: string;
  log: Logger;
  /** Wakes the outbox workers after a write, so the index and mail follow within milliseconds. */
  afterWrite(): void;
  /** The address the request came from, for throttling sign-in attempts. */
  clientAddress: string;
  /** Whether mail goes to a real SMTP server; without one, mails go to the log and /admin/mail. */
  mailServer: boolean;
  /** The company register, when one is configured. */
  cvrRegister: CvrRegister | undefined;
  /** Where security problems are reported (/.well-known/security.txt). */
  securityContact: string;
  /** This response's Content-Security-Policy nonce, for the scripts the server renders. */
  cspNonce: string;
  /**
   * Says this answer is a stand-in (search was down and the database answered): the page cache
   * (scripts/lib/page-cache.ts) must not serve it again once search is back.
   */
  degraded(): void;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends PortalContext {}
}
