// The headers every answer carries, set before anything else runs so that static files, the
// Origin check's refusals and Remix's pages all get them: a Content-Security-Policy whose script
// nonce is new for each request (Remix's inline scripts carry it: app/entry.server.tsx), helmet's
// hardening headers, a Permissions-Policy, and no caching of anything personal.
import crypto from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type express from "express";
import helmet from "helmet";
import { SESSION_COOKIE } from "../../app/accounts/auth.server";
import { ROOT } from "./build";

export interface SecurityHeaderOptions {
  publicBaseUrl: string;
  /** Served through Vite's dev server (see the policy below). */
  dev?: boolean;
}

/** The nonce of this response's Content-Security-Policy, for the load context. */
export function cspNonceOf(res: express.Response): string {
  return res.locals.cspNonce as string;
}

// Nothing the portal does needs these; denying them means injected or embedded code cannot ask.
const PERMISSIONS_POLICY = [
  "accelerometer",
  "browsing-topics",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "serial",
  "usb",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

const nonceSource = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as express.Response).locals.cspNonce}'`;

/**
 * What the pages need and no more: the build's own scripts, styles and fonts, scripts inline only
 * with this response's nonce (Remix's hand-over of the loader data, its module loader and the
 * scroll restoration; React adds the nonce to its streaming scripts), and fetches back to the
 * portal for client-side navigation. Forms only post here, and no one may frame the portal. No
 * 'strict-dynamic': every module the entry loads later comes from the portal, which 'self' allows.
 */
function policy(https: boolean) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", nonceSource],
      styleSrc: ["'self'"],
      // Nothing uses data: images today; they cannot run code, and an image drawn in the page
      // (a QR code, a chart) need not become a file of its own.
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
      // Over plain http (development, the tests) an upgrade would send the browser nowhere.
      ...(https ? { upgradeInsecureRequests: [] } : {}),
    },
  } as const;
}

// Files that are the same for everyone: the build's hashed assets and the copies of public/.
const PUBLIC_FILES = new Set(fs.readdirSync(path.join(ROOT, "public")).map((name) => `/${name}`));
const isPublicFile = (pathname: string) => pathname.startsWith("/assets/") || PUBLIC_FILES.has(pathname);

/** Pages opened from a mailed link, whose address is the authority (reset, invitation, …). */
function carriesToken(req: express.Request): boolean {
  if (/^\/(?:invitations|introductions)\//.test(req.path)) return true;
  const query = req.originalUrl.indexOf("?");
  return query >= 0 && new URLSearchParams(req.originalUrl.slice(query + 1)).has("token");
}

function hasSessionCookie(header: string | undefined): boolean {
  return header !== undefined && header.split(";").some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`));
}

function setsSessionCookie(res: ServerResponse): boolean {
  const header = res.getHeader("set-cookie");
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  return lines.some((line) => line.startsWith(`${SESSION_COOKIE}=`));
}

/**
 * No browser or proxy keeps a signed-in answer or a page whose address holds a token. Decided
 * when the headers go out, because only then is it known whether the answer signs someone in,
 * and so that it wins over what a route said.
 */
const noStoreWhenPersonal: express.RequestHandler = (req, res, next) => {
  if (isPublicFile(req.path)) return next();
  const personal = carriesToken(req) || hasSessionCookie(req.headers.cookie);
  const response: ServerResponse = res;
  const writeHead = response.writeHead;
  // Node calls writeHead for every answer, also when a body is written without it.
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if ((personal || setsSessionCookie(this)) && !/\bno-store\b/.test(String(this.getHeader("cache-control") ?? ""))) {
      this.setHeader("Cache-Control", "no-store");
    }
    return writeHead.apply(this, args as Parameters<typeof writeHead>);
  } as ServerResponse["writeHead"];
  next();
};

export function securityHeaders(options: SecurityHeaderOptions): express.RequestHandler[] {
  const https = new URL(options.publicBaseUrl).protocol === "https:";
  const headers = helmet({
    // In development Vite's client injects inline styles and scripts and talks over a WebSocket
    // for hot reload; a policy loose enough for that would only test itself, so there is none.
    contentSecurityPolicy: options.dev ? false : policy(https),
    xFrameOptions: { action: "deny" },
    // The referrer leaves the site as the bare origin; token pages send none elsewhere (below).
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // A year, and the subdomains; only where the portal is served over https, or browsers would
    // be told to refuse the plain-http portal of development and tests.
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
    // Helmet leaves Cross-Origin-Embedder-Policy off; the portal embeds nothing from elsewhere
    // that would need it, and require-corp would only add a way to break fonts and assets.
    crossOriginEmbedderPolicy: false,
  });
  return [
    (_req, res, next) => {
      res.locals.cspNonce = crypto.randomBytes(18).toString("base64");
      next();
    },
    headers,
    (req, res, next) => {
      res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
      // Not no-referrer: a form post's Origin would then be "null", and the Origin check
      // (sameOriginOnly) refuses that. same-origin keeps the token from every other site.
      if (carriesToken(req)) res.setHeader("Referrer-Policy", "same-origin");
      next();
    },
    noStoreWhenPersonal,
  ];
}
