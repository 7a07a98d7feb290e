// The headers a public-sector site is expected to send (scripts/lib/security-headers.ts): a
// Content-Security-Policy whose nonce is new for every answer and on every script, framing and
// sniffing refused, a referrer that leaves as the bare origin (and never from a token page), no
// powerful browser features, HSTS only over https, nothing personal stored by a cache; and the
// two files crawlers and security researchers look for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/demo";
import { Visitor } from "../helpers/client";
import { startTestPortal, type TestPortal } from "../helpers/portal";

let portal: TestPortal;
let httpsPortal: TestPortal;

beforeAll(async () => {
  [portal, httpsPortal] = await Promise.all([
    startTestPortal(),
    startTestPortal({ publicBaseUrl: "https://samskab.example", securityContact: "https://samskab.example/sikkerhed" }),
  ]);
});
afterAll(async () => {
  await portal?.close();
  await httpsPortal?.close();
});

const POLICY = (nonce: string) =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join(";");

function nonceOf(res: Response): string {
  const match = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "");
  if (!match) throw new Error(`no nonce in the policy: ${res.headers.get("content-security-policy")}`);
  return match[1]!;
}

/** The headers every answer carries, whatever made it. */
function expectHardened(res: Response) {
  expect(res.headers.get("content-security-policy")).toBe(POLICY(nonceOf(res)));
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  const permissions = res.headers.get("permissions-policy") ?? "";
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]) expect(permissions).toContain(`${feature}=()`);
  // Would make every font and asset need a Cross-Origin-Resource-Policy of its own.
  expect(res.headers.get("cross-origin-embedder-policy")).toBeNull();
  expect(res.headers.get("x-powered-by")).toBeNull();
  // The portal in the tests is plain http: telling a browser to insist on https would lock it out.
  expect(res.headers.get("strict-transport-security")).toBeNull();
}

const entryScript = (html: string) => {
  const src = /<link rel="modulepreload" href="(\/assets\/entry\.client-[^"]+\.js)"/.exec(html)?.[1];
  if (!src) throw new Error("the page names no entry.client module");
  return src;
};

describe("on a public page", () => {
  it("sends the policy and the hardening headers, and lets the page be cached as before", async () => {
    const res = await portal.get("/challenges");
    expect(res.status).toBe(200);
    expectHardened(res);
    expect(res.headers.get("cache-control") ?? "").not.toContain("no-store");
  });

  it("has a new nonce every time, and every script in the page carries this answer's", async () => {
    const [first, second] = await Promise.all([portal.get("/"), portal.get("/")]);
    const [a, b] = [nonceOf(first), nonceOf(second)];
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64").length).toBeGreaterThanOrEqual(16);
    for (const [res, nonce] of [
      [first, a],
      [second, b],
    ] as const) {
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      // Remix's context hand-over, its module loader, the scroll restoration, the data stream.
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);
    }
  });
});

describe("not found", () => {
  it("a missing page and a missing asset are hardened too", async () => {
    for (const path of ["/findes-ikke", "/assets/findes-ikke.js"]) {
      const res = await portal.get(path);
      expect(res.status, path).toBe(404);
      expectHardened(res);
    }
  });
});

describe("signed in", () => {
  let visitor: Visitor;
  beforeAll(async () => {
    visitor = new Visitor(portal);
  });

  it("the answer that signs in, and every page after it, is never stored", async () => {
    const login = await visitor.post("/login", { email: "entrepreneur@samskab.example", password: DEMO_PASSWORD });
    expect(login.status).toBe(302);
    expect(login.headers.get("set-cookie")).toMatch(/^samskab_session=/);
    expect(login.headers.get("cache-control")).toBe("no-store");
    for (const path of ["/me", "/", "/challenges", "/sitemap.xml"]) {
      const res = await visitor.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    const me = await visitor.get("/me");
    expectHardened(me);
    expect(await me.text()).toContain("Log ud");
  });

  it("the build's assets and public files keep their long caching, cookie or not", async () => {
    const html = await visitor.html("/");
    const asset = await visitor.get(entryScript(html));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const icon = await visitor.get("/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
  });
});

describe("pages opened from a mailed link", () => {
  it("are never stored and send no referrer to other sites, so the token in the address stays here", async () => {
    for (const path of ["/reset-password?token=forkert", "/verify-email?token=forkert", "/invitations/forkert", "/introductions/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]) {
      const res = await portal.get(path);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(res.headers.get("referrer-policy"), path).toBe("same-origin");
    }
  });
});

describe("over https", () => {
  it("tells browsers to use https for a year, subdomains included, and to upgrade any http address", async () => {
    const res = await httpsPortal.get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(res.headers.get("content-security-policy")).toBe(`${POLICY(nonceOf(res))};upgrade-insecure-requests`);
  });
});

describe("/.well-known/security.txt", () => {
  it("names the contact, an expiry less than a year ahead, the languages and its own address (RFC 9116)", async () => {
    const res = await httpsPortal.get("/.well-known/security.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const fields = Object.fromEntries(
      (await res.text())
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]),
    );
    expect(fields).toEqual({
      Contact: "https://samskab.example/sikkerhed",
      Expires: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/),
      "Preferred-Languages": "da, en",
      Canonical: "https://samskab.example/.well-known/security.txt",
    });
    const daysAhead = (Date.parse(fields.Expires!) - Date.now()) / 86_400_000;
    expect(daysAhead).toBeGreaterThan(360);
    expect(daysAhead).toBeLessThan(365);
  });

  it("uses the configured contact", async () => {
    expect(await portal.get("/.well-known/security.txt").then((r) => r.text())).toContain("Contact: mailto:security@samskab.example\n");
  });
});

describe("/robots.txt", () => {
  it("keeps crawlers out of what is private and points them at the sitemap", async () => {
    const res = await httpsPortal.get("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await res.text();
    const disallowed = [...text.matchAll(/^Disallow: (.*)$/gm)].map((m) => m[1]!);
    for (const path of ["/admin", "/me", "/curation", "/matches", "/login", "/signup", "/forgot-password", "/reset-password", "/verify-email", "/invitations", "/introductions", "/unsubscribe", "/language"]) {
      expect(disallowed).toContain(path);
    }
    // The public pages stay open: no rule is a prefix of them.
    for (const path of ["/", "/challenges", "/challenges/1", "/solutions?q=ensomhed", "/solutions/1", "/organisations/1", "/accessibility", "/sitemap.xml"]) {
      expect(
        disallowed.filter((rule) => path.startsWith(rule)),
        path,
      ).toEqual([]);
    }
    expect(text).toMatch(/^User-agent: \*$/m);
    expect(text).toMatch(/^Sitemap: https:\/\/samskab\.example\/sitemap\.xml$/m);
  });
});
