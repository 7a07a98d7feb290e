// Every route, every role. The table below names each route of the build's route manifest: a
// new route that is not in it fails the suite. Each role then tries every page and every
// mutation, with other organisations' and administrations' ids guessed into the URLs; the
// answer is the expected status, and a refused page never shows the private text. A second
// table asks who sees the matcher's suggestions on a matched challenge and solution.
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, readDemoData } from "../../db/demo";
import { createChallenge } from "../../db/queries/challenges";
import { createProposal } from "../../db/queries/proposals";
import { createSolution } from "../../db/queries/solutions";
import { SERVER_BUILD } from "../../scripts/lib/build";
import { Visitor } from "../helpers/client";
import { challengeInput, solutionInput } from "../helpers/factories";
import { startTestPortal, type TestPortal } from "../helpers/portal";

const ROLES = ["public", "entrepreneur", "otherEntrepreneur", "staff", "otherStaff", "curator", "admin"] as const;
type Role = (typeof ROLES)[number];

const ACCOUNTS: Record<Exclude<Role, "public">, string> = {
  entrepreneur: "entrepreneur@samskab.example",
  otherEntrepreneur: "entrepreneur2@samskab.example",
  staff: "suf@kk.example",
  otherStaff: "sof@kk.example",
  curator: "community@samskab.example",
  admin: "admin@samskab.example",
};

let portal: TestPortal;
const visitors = {} as Record<Role, Visitor>;
const ids = { draftChallenge: 0, openChallenge: 0, draftSolution: 0, organisation: 0, otherOrganisation: 0, proposal: 0, matchedChallenge: 0, matchedSolution: 0, match: 0 };
const SECRET_CHALLENGE = "Hemmelig kladde om vandværker";
const SECRET_SOLUTION = "Hemmelig løsningskladde om bier";

beforeAll(async () => {
  portal = await startTestPortal();
  const db = portal.database.db;
  const org = async (email: string) =>
    (await db.selectFrom("memberships").innerJoin("users", "users.id", "memberships.user_id").select("memberships.organisation_id").where("users.email", "=", email).executeTakeFirstOrThrow())
      .organisation_id;
  ids.organisation = await org(ACCOUNTS.entrepreneur);
  ids.otherOrganisation = await org(ACCOUNTS.otherEntrepreneur);
  const suf = await org(ACCOUNTS.staff);
  ids.draftChallenge = await createChallenge(db, await challengeInput(db, { title: SECRET_CHALLENGE, ownerOrganisationId: suf, status: "draft" }));
  ids.openChallenge = await createChallenge(db, await challengeInput(db, { title: "Åben udfordring til forslag", ownerOrganisationId: suf, status: "open" }));
  ids.draftSolution = await createSolution(db, await solutionInput(db, { title: SECRET_SOLUTION, organisationId: ids.organisation, status: "draft" }));
  const published = await createSolution(db, await solutionInput(db, { title: "Offentlig løsning til forslag", organisationId: ids.organisation, status: "published" }));
  ids.proposal = await createProposal(db, { challengeId: ids.openChallenge, solutionId: published, pitch: "Et forslag til tabellen.", by: null });
  for (const role of ROLES) {
    visitors[role] = new Visitor(portal);
    if (role !== "public") await visitors[role].signIn(ACCOUNTS[role], DEMO_PASSWORD);
  }
  // The matcher's work is done (its rows no longer move the outbox counts below), and the demo
  // records have their suggestions: the loneliness challenge (SUF's, co-owned by KFF) and the
  // entrepreneur's first published solution.
  await portal.settled();
  const loneliness = readDemoData().challenges.find((c) => c.key === "c01")!;
  ids.matchedChallenge = (await db.selectFrom("challenges").select("id").where("title", "=", loneliness.title).executeTakeFirstOrThrow()).id;
  ids.matchedSolution = (
    await db.selectFrom("solutions").select("id").where("organisation_id", "=", ids.organisation).where("status", "=", "published").orderBy("id").executeTakeFirstOrThrow()
  ).id;
  // A match between them: its parties are SUF's staff and the entrepreneur's organisation.
  ids.match = (
    await db.insertInto("matches").values({ challenge_id: ids.matchedChallenge, solution_id: ids.matchedSolution, origin: "manual", score: null, reasons: null, proposal_id: null, curator_id: null, ended_at_stage: null, end_reason: null, procurement_route_code: null, agreement_note: null, outcome_result: null, next_step: null, next_step_due: null, introduced_at: null }).returning("id").executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await portal?.close();
});

type Expect = Record<Role, number>;
const every = (status: number): Expect => Object.fromEntries(ROLES.map((r) => [r, status])) as Expect;
/** Signed-in people get `signedIn`; the public is sent to the sign-in page. */
const signedIn = (status: number, overrides: Partial<Expect> = {}): Expect => ({ ...every(status), public: 302, ...overrides });
const adminOnly: Expect = signedIn(403, { admin: 200 });

interface Probe {
  path: () => string;
  get?: Expect;
  /** Text that must not appear in any answer that is not 200 for that role. */
  secret?: string;
  posts?: Array<{ name: string; form: () => Record<string, string | string[]>; expect: Expect }>;
}

// A refused mutation changes nothing; these forms are invalid for whoever may post them, so the
// allowed roles get 400 (they passed the permission check) and nothing is written either.
const table: Record<string, Probe> = {
  root: { path: () => "/", get: every(200) },
  "routes/_index": { path: () => "/", get: every(200) },
  "routes/$": { path: () => "/findes-ikke", get: every(404) },
  "routes/accessibility": { path: () => "/accessibility", get: every(200) },
  "routes/healthz": { path: () => "/healthz", get: every(200) },
  "routes/sitemap[.]xml": { path: () => "/sitemap.xml", get: every(200) },
  "routes/robots[.]txt": { path: () => "/robots.txt", get: every(200) },
  "routes/[.]well-known.security[.]txt": { path: () => "/.well-known/security.txt", get: every(200) },
  "routes/language": { path: () => "/language", get: every(302), posts: [{ name: "switch", form: () => ({ lang: "xx" }), expect: every(400) }] },
  "routes/challenges._index": { path: () => "/challenges", get: every(200) },
  "routes/solutions._index": { path: () => "/solutions", get: every(200) },
  "routes/challenges.$id": {
    path: () => `/challenges/${ids.draftChallenge}`,
    get: { public: 404, entrepreneur: 404, otherEntrepreneur: 404, staff: 200, otherStaff: 404, curator: 200, admin: 200 },
    secret: SECRET_CHALLENGE,
    posts: [
      { name: "follow", form: () => ({ intent: "bogus" }), expect: every(400) },
      {
        name: "answer a proposal",
        form: () => ({ intent: "answer", proposal: String(ids.proposal), decision: "accepted", answer: "" }),
        expect: { public: 302, entrepreneur: 403, otherEntrepreneur: 403, staff: 400, otherStaff: 403, curator: 403, admin: 403 },
      },
      {
        name: "unpublish",
        form: () => ({ intent: "unpublish", reason: "" }),
        expect: { public: 302, entrepreneur: 403, otherEntrepreneur: 403, staff: 403, otherStaff: 403, curator: 403, admin: 400 },
      },
      {
        name: "propose",
        form: () => ({ intent: "propose", solution: "", pitch: "" }),
        expect: { public: 302, entrepreneur: 400, otherEntrepreneur: 400, staff: 403, otherStaff: 403, curator: 403, admin: 403 },
      },
    ],
  },
  "routes/solutions.$id": {
    path: () => `/solutions/${ids.draftSolution}`,
    get: { public: 404, entrepreneur: 200, otherEntrepreneur: 404, staff: 404, otherStaff: 404, curator: 200, admin: 200 },
    secret: SECRET_SOLUTION,
    posts: [
      { name: "report", form: () => ({ intent: "report", reason: "" }), expect: every(400) },
      {
        name: "unpublish",
        form: () => ({ intent: "unpublish", reason: "" }),
        expect: { public: 302, entrepreneur: 403, otherEntrepreneur: 403, staff: 403, otherStaff: 403, curator: 403, admin: 400 },
      },
    ],
  },
  "routes/challenges.new": {
    path: () => "/challenges/new",
    get: signedIn(403, { staff: 200, otherStaff: 200 }),
    posts: [{ name: "create", form: () => ({ title: "" }), expect: signedIn(403, { staff: 400, otherStaff: 400 }) }],
  },
  "routes/challenges_.$id.edit": {
    path: () => `/challenges/${ids.draftChallenge}/edit`,
    get: signedIn(403, { staff: 200 }),
    secret: SECRET_CHALLENGE,
    posts: [
      { name: "save", form: () => ({ title: "" }), expect: signedIn(403, { staff: 400 }) },
      { name: "status", form: () => ({ intent: "status", status: "bogus" }), expect: signedIn(403, { staff: 400 }) },
    ],
  },
  "routes/solutions.new": {
    path: () => "/solutions/new",
    // Without an organisation, the way forward is registering one.
    get: signedIn(302, { entrepreneur: 200, otherEntrepreneur: 200 }),
    posts: [{ name: "create", form: () => ({ title: "" }), expect: signedIn(403, { entrepreneur: 400, otherEntrepreneur: 400 }) }],
  },
  "routes/solutions_.$id.edit": {
    path: () => `/solutions/${ids.draftSolution}/edit`,
    get: signedIn(403, { entrepreneur: 200 }),
    secret: SECRET_SOLUTION,
    posts: [{ name: "save", form: () => ({ title: "" }), expect: signedIn(403, { entrepreneur: 400 }) }],
  },
  "routes/organisations.new": {
    path: () => "/organisations/new",
    get: signedIn(200),
    posts: [{ name: "register", form: () => ({ name: "" }), expect: signedIn(400) }],
  },
  "routes/organisations.$id": {
    path: () => `/organisations/${ids.organisation}`,
    get: every(200),
    // Members' e-mail addresses are for the organisation and administrators only.
    secret: ACCOUNTS.entrepreneur,
    posts: [
      { name: "invite", form: () => ({ intent: "invite", email: "" }), expect: signedIn(403, { entrepreneur: 400, admin: 400 }) },
      {
        name: "remove another organisation's member",
        form: () => ({ intent: "remove", userId: "999999" }),
        expect: signedIn(403, { entrepreneur: 404, admin: 404 }),
      },
    ],
  },
  "routes/me": {
    path: () => "/me",
    get: signedIn(200),
    posts: [
      { name: "unknown", form: () => ({ intent: "bogus" }), expect: signedIn(400) },
      { name: "notifications", form: () => ({ intent: "notifications", matching_challenges: "daily" }), expect: signedIn(400) },
    ],
  },
  "routes/admin": { path: () => "/admin", get: adminOnly },
  "routes/admin._index": { path: () => "/admin", get: adminOnly },
  "routes/admin.reports": { path: () => "/admin/reports", get: adminOnly, posts: [{ name: "dismiss", form: () => ({ intent: "x" }), expect: signedIn(403, { admin: 400 }) }] },
  "routes/admin.organisations": {
    path: () => "/admin/organisations",
    get: adminOnly,
    posts: [{ name: "confirm", form: () => ({ intent: "x" }), expect: signedIn(403, { admin: 400 }) }],
  },
  "routes/admin.invitations": {
    path: () => "/admin/invitations",
    get: adminOnly,
    posts: [{ name: "invite", form: () => ({ email: "" }), expect: signedIn(403, { admin: 400 }) }],
  },
  "routes/admin.reference": {
    path: () => "/admin/reference",
    get: adminOnly,
    posts: [{ name: "save", form: () => ({ code: "" }), expect: signedIn(403, { admin: 400 }) }],
  },
  "routes/admin.mail": { path: () => "/admin/mail", get: adminOnly, secret: "Nulstil" },
  // Signed-in people are sent on to their page, even after a post.
  "routes/login": { path: () => "/login", get: signedIn(302, { public: 200 }), posts: [{ name: "sign in", form: () => ({}), expect: signedIn(302, { public: 400 }) }] },
  "routes/logout": { path: () => "/logout", get: every(302) },
  "routes/signup": { path: () => "/signup", get: signedIn(302, { public: 200 }), posts: [{ name: "sign up", form: () => ({}), expect: signedIn(302, { public: 400 }) }] },
  "routes/signup_.check-email": { path: () => "/signup/check-email", get: every(200) },
  // A link nobody holds: the page says so, with 404.
  "routes/verify-email": { path: () => "/verify-email?token=forkert", get: every(404), posts: [{ name: "confirm", form: () => ({ token: "A".repeat(43) }), expect: every(404) }] },
  // A well-formed token nobody holds; a malformed one is a 400.
  "routes/unsubscribe": {
    path: () => `/unsubscribe?token=${"A".repeat(43)}`,
    get: every(404),
    posts: [{ name: "one-click", form: () => ({ "List-Unsubscribe": "One-Click" }), expect: every(404) }],
  },
  "routes/forgot-password": { path: () => "/forgot-password", get: every(200), posts: [{ name: "ask", form: () => ({}), expect: every(400) }] },
  "routes/forgot-password_.sent": { path: () => "/forgot-password/sent", get: every(200) },
  "routes/reset-password": { path: () => "/reset-password?token=forkert", get: every(200), posts: [{ name: "reset", form: () => ({}), expect: every(400) }] },
  "routes/curation._index": {
    path: () => "/curation",
    get: signedIn(403, { curator: 200, admin: 200 }),
    posts: [{ name: "decide", form: () => ({ intent: "accept", challenge: "", solution: "" }), expect: signedIn(403, { curator: 400, admin: 400 }) }],
  },
  "routes/curation.overview": { path: () => "/curation/overview", get: signedIn(403, { curator: 200, admin: 200 }) },
  "routes/curation.overview[.]csv": { path: () => "/curation/overview.csv?table=funnel-by-month", get: signedIn(403, { curator: 200, admin: 200 }) },
  "routes/matches._index": { path: () => "/matches", get: signedIn(200) },
  "routes/matches.$id": {
    path: () => `/matches/${ids.match}`,
    get: { public: 302, entrepreneur: 200, otherEntrepreneur: 404, staff: 200, otherStaff: 404, curator: 200, admin: 200 },
    posts: [
      {
        name: "act",
        form: () => ({ intent: "bogus" }),
        expect: { public: 302, entrepreneur: 403, otherEntrepreneur: 404, staff: 403, otherStaff: 404, curator: 400, admin: 400 },
      },
    ],
  },
  "routes/introductions.$token": {
    path: () => "/introductions/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    get: every(404),
    posts: [{ name: "confirm", form: () => ({}), expect: every(404) }],
  },
  "routes/invitations.$token": { path: () => "/invitations/forkert", get: every(404), posts: [{ name: "accept", form: () => ({ intent: "accept" }), expect: every(404) }] },
  // Without a sign-in waiting for its code, the second step sends everyone back to the first.
  "routes/login_.second-factor": { path: () => "/login/second-factor", get: every(302), posts: [{ name: "code", form: () => ({ code: "123456" }), expect: every(302) }] },
  "routes/me_.security": {
    path: () => "/me/security",
    get: signedIn(200),
    posts: [
      { name: "unknown", form: () => ({ intent: "bogus" }), expect: signedIn(400) },
      { name: "end another's session", form: () => ({ intent: "end-session", session: "0123456789abcdef" }), expect: signedIn(404) },
    ],
  },
  "routes/admin.users": {
    path: () => "/admin/users",
    get: adminOnly,
    secret: ACCOUNTS.otherEntrepreneur,
    posts: [{ name: "deactivate without a reason", form: () => ({ intent: "deactivate", user: "1", reason: "" }), expect: signedIn(403, { admin: 400 }) }],
  },
  "routes/admin.audit": { path: () => "/admin/audit", get: adminOnly },
  // The page for requests the server refuses; open to all, it only explains.
  "routes/refused": { path: () => "/refused?status=415", get: every(415) },
};

describe("the authorization table", () => {
  it("covers every route of the build", async () => {
    const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
    const missing = Object.keys(build.routes).filter((id) => !(id in table));
    expect(missing, "routes missing from the authorization table").toEqual([]);
  });

  const probes = Object.entries(table).flatMap(([route, probe]) => [
    ...(probe.get ? ROLES.map((role) => ({ route, role, label: `GET`, run: () => visitors[role].get(probe.path()), expected: probe.get![role], probe })) : []),
    ...(probe.posts ?? []).flatMap((post) =>
      ROLES.map((role) => ({ route, role, label: `POST ${post.name}`, run: () => visitors[role].post(probe.path(), post.form()), expected: post.expect[role], probe })),
    ),
  ]);

  it.each(probes.map((p) => [`${p.route} ${p.label} as ${p.role} → ${p.expected}`, p] as const))("%s", async (_name, p) => {
    const before = await portal.database.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const res = await p.run();
    expect(res.status).toBe(p.expected);
    const body = await res.text();
    // Whoever may not see the page, never sees its private text, whatever the request.
    if (p.probe.secret && p.probe.get?.[p.role] !== 200) expect(body).not.toContain(p.probe.secret);
    if (p.probe.secret && p.label === "GET" && res.status === 200 && p.route === "routes/organisations.$id") {
      const mayKnow = p.role === "entrepreneur" || p.role === "admin";
      expect(body.includes(p.probe.secret)).toBe(mayKnow);
    }
    if (res.status === 302 && p.role === "public" && !["routes/language", "routes/logout", "routes/login", "routes/signup", "routes/login_.second-factor"].includes(p.route)) {
      expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    }
    if (p.label.startsWith("POST") && res.status >= 400) {
      const after = await portal.database.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    }
  });
});

// Who sees the matcher's suggestions: the record's own people, community managers and
// administrators; never the public, another administration or another organisation (DOMAIN.md:
// a public ranking of suppliers would breach equal treatment). Each page answers 200 to all.
const suggestionTable: Record<string, { path: () => string; partners: "challenges" | "solutions"; sees: Record<Role, boolean> }> = {
  "a matched challenge": {
    path: () => `/challenges/${ids.matchedChallenge}`,
    partners: "solutions",
    sees: { public: false, entrepreneur: false, otherEntrepreneur: false, staff: true, otherStaff: false, curator: true, admin: true },
  },
  "a matched solution": {
    path: () => `/solutions/${ids.matchedSolution}`,
    partners: "challenges",
    sees: { public: false, entrepreneur: true, otherEntrepreneur: false, staff: false, otherStaff: false, curator: true, admin: true },
  },
};

describe("the matcher's suggestions", () => {
  const suggested = (html: string) => [...html.matchAll(/data-suggestion-id="(\d+)"/g)].map((m) => Number(m[1]));
  const partnerTitles = async (page: (typeof suggestionTable)[string]) => {
    const shown = suggested(await visitors.admin.html(page.path()));
    expect(shown.length, "the administrator sees suggestions to compare with").toBeGreaterThan(0);
    return (await portal.database.db.selectFrom(page.partners).select("title").where("id", "in", shown).execute()).map((r) => r.title);
  };

  const ownSolutionTitles = async (email: string) =>
    (
      await portal.database.db
        .selectFrom("solutions")
        .innerJoin("memberships", "memberships.organisation_id", "solutions.organisation_id")
        .innerJoin("users", "users.id", "memberships.user_id")
        .select("solutions.title")
        .where("users.email", "=", email)
        .execute()
    ).map((r) => r.title);

  const cases = Object.entries(suggestionTable).flatMap(([name, page]) => ROLES.map((role) => ({ name, page, role, sees: page.sees[role] })));
  it.each(cases.map((c) => [`on ${c.name} as ${c.role}: ${c.sees ? "shown" : "never shown"}`, c] as const))("%s", async (_name, c) => {
    const res = await visitors[c.role].get(c.page.path());
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(suggested(html).length > 0).toBe(c.sees);
    expect(html.includes('id="suggestions"')).toBe(c.sees);
    if (!c.sees) {
      // Neither in the page nor in the loader's data, asked for directly.
      const data = await (await visitors[c.role].get(`${c.page.path()}.data`)).text();
      // An entrepreneur's own solutions are on a challenge's page anyway, in the proposal form.
      const own = c.role === "public" ? [] : await ownSolutionTitles(ACCOUNTS[c.role]);
      for (const title of (await partnerTitles(c.page)).filter((t) => !own.includes(t))) {
        const escaped = title.replace(/&/g, "&amp;");
        const quoted = JSON.stringify(title).slice(1, -1);
        expect(html.includes(escaped) || html.includes(quoted), title).toBe(false);
        expect(data.includes(quoted), title).toBe(false);
      }
    }
  });
});
