// Hostile input, found by crawling: each role walks the portal from its own pages and sends
// every form and query parameter it met hostile variants (see tests/helpers/crawler.ts). No
// answer may be a server error, show a stack trace, a file path or an error class, or redirect
// off the site. The crawl must also find what each role is known to have, or a broken sign-in
// or parser would let this test pass on nothing.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/build";
import {
  crawl,
  ensureSignedIn,
  formBatches,
  formatFailure,
  malformedUrls,
  openSession,
  pageVariants,
  paramVariants,
  patternOf,
  prototypePollution,
  ROLES,
  sendAll,
  staticRoutePaths,
  type Failure,
  trace,
  type Role,
} from "../helpers/crawler";
import { startTestPortal, type TestPortal } from "../helpers/portal";

let portal: TestPortal;
let staticPaths: string[];
const started = Date.now();
const report: string[] = [];
const totals = { pages: 0, forms: 0, requests: 0 };

beforeAll(async () => {
  portal = await startTestPortal();
  // The matcher's first round would otherwise compete with the crawl for the two cores.
  await portal.settled();
  staticPaths = await staticRoutePaths();
});
afterAll(async () => {
  await portal?.close();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`hostile input: ${totals.pages} pages, ${totals.forms} forms, ${totals.requests} requests, ${seconds} s`);
  // The whole list, for whoever fixes the portal: the assertion output is per role.
  const dir = path.join(ROOT, "tests", ".artifacts");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "hostile-input.txt"), `${report.join("\n")}\n`);
  if (trace) fs.writeFileSync(path.join(dir, "hostile-input-trace.txt"), `${trace.join("\n")}\n`);
});

/** What each role's crawl must find, so a crawl that found nothing cannot pass. */
const MUST_FIND: Record<Role, { pages: number; forms: string[] }> = {
  public: { pages: 8, forms: ["/login", "/signup", "/forgot-password", "/language"] },
  entrepreneur: { pages: 12, forms: ["/solutions/new", "/solutions/:id/edit", "/me"] },
  staff: { pages: 12, forms: ["/challenges/new", "/challenges/:id/edit", "/me"] },
  community: { pages: 12, forms: ["/curation"] },
  admin: { pages: 12, forms: ["/admin/invitations", "/admin/reference"] },
};

// Parameters, encodings and methods mostly do not depend on who asks: the first role to meet
// one tries it, and later roles spend their time on what only they can reach.
const tried = new Set<string>();

describe("hostile input, found by crawling the portal's own pages", () => {
  it.each(ROLES)(
    "as %s, no answer is a server error, shows internals, or leaves the site",
    async (role) => {
      const session = await openSession(portal, role);
      const found = await crawl(portal, session, staticPaths);

      expect(found.pages.length, `pages ${role} crawled`).toBeGreaterThanOrEqual(MUST_FIND[role].pages);
      const patterns = new Set(found.forms.map((f) => f.pattern));
      for (const form of MUST_FIND[role].forms) expect([...patterns], `forms ${role} found`).toContain(form);

      const batches = formBatches(portal, session, found.forms, tried);
      const params = found.params.filter((p) => !tried.has(`GET ${p.pattern}?${p.name}`));
      for (const p of params) tried.add(`GET ${p.pattern}?${p.name}`);
      batches.push({ probes: params.flatMap(paramVariants) });
      const byPattern = new Map<string, string>();
      for (const target of found.targets) {
        const pattern = patternOf(target.split("?")[0]!);
        if (!tried.has(`GET ${pattern}`)) {
          tried.add(`GET ${pattern}`);
          byPattern.set(pattern, target);
        }
      }
      batches.push({ probes: [...byPattern.values()].flatMap((t) => pageVariants(portal, t)) });
      batches.push({ probes: malformedUrls() });
      // What the variants stored may break the pages that show it: every page once more.
      batches.push({ probes: found.targets.map((t) => ({ method: "GET", path: t, label: `GET ${patternOf(t.split("?")[0]!)} (after the variants)` })) });

      const sent = await sendAll(portal, session, batches);
      const polluted = prototypePollution();
      await ensureSignedIn(portal, session);

      const failures: Failure[] = [...found.failures, ...sent.failures];
      for (const key of polluted) failures.push({ role, label: "a hostile field name", example: "", status: 0, reason: `Object.prototype.${key} was set in the portal's process` });
      const lines = [...new Set(failures.map(formatFailure))].sort();

      totals.pages += found.pages.length;
      totals.forms += found.forms.length;
      totals.requests += sent.requests + found.targets.length;
      console.log(
        `as ${role}: ${found.pages.length} pages, ${found.forms.length} forms, ${params.length} new parameters, ${sent.requests + found.targets.length} requests, ${failures.length} failures, signed in ${session.signIns} time(s)`,
      );
      report.push(`## as ${role} (${lines.length})`, ...lines, "");
      expect(lines, `hostile requests as ${role} that were answered badly`).toEqual([]);
    },
    180_000,
  );
});
