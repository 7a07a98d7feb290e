// The community managers' overview: the funnel counted from a hand-made set of suggestions,
// decisions, matches and audit rows (months in Copenhagen time, steps dated as documented in
// db/queries/overview.ts), the unmet-need lists, dismissal reasons, the CSV dialect, and over
// HTTP who may see the page and its files and what a bad filter answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "../../db/client";
import {
  countDismissalReasons,
  listChallengesWithoutGoodMatch,
  listSolutionsNotFound,
  loadFunnel,
  NO_DISTRICT,
  WHOLE_CITY,
  type FunnelCounts,
} from "../../db/queries/overview";
import { monthOf, monthStart } from "../../db/rules/calendar";
import type { MatchStage } from "../../db/schema";
import { DISPLAY_THRESHOLD } from "../../search/matcher/score";
import { formatNumber } from "../../app/lib/format";
import { toCsv } from "../../app/overview/overview.server";
import { signedIn, Visitor } from "../helpers/client";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { administrationId, makeChallenge, makeSolution } from "../helpers/factories";
import { startTestPortal, type TestPortal } from "../helpers/portal";

const TZ = "Europe/Copenhagen";
const counts = (suggestions: number, matches: number, introductions: number, pilots: number, agreements: number, outcomes: number): FunnelCounts => ({
  suggestions,
  matches,
  introductions,
  pilots,
  agreements,
  outcomes,
});

describe("months in Copenhagen time", () => {
  it("puts an instant in the month it falls in locally, across midnight and the change of time", () => {
    // 23:30 UTC on 31 January is 00:30 on 1 February in Copenhagen (UTC+1).
    expect(monthOf("2026-01-31T23:30:00.000Z", TZ)).toBe("2026-02");
    expect(monthOf("2026-01-31T22:59:59.999Z", TZ)).toBe("2026-01");
    // 22:30 UTC on 31 March is 00:30 on 1 April (summer time, UTC+2, since 29 March).
    expect(monthOf("2026-03-31T22:30:00.000Z", TZ)).toBe("2026-04");
  });

  it("starts a month at local midnight", () => {
    expect(monthStart("2026-02", TZ)).toBe("2026-01-31T23:00:00.000Z");
    expect(monthStart("2026-04", TZ)).toBe("2026-03-31T22:00:00.000Z");
    expect(monthStart("2026-11", TZ)).toBe("2026-10-31T23:00:00.000Z");
  });
});

describe("the overview's queries", () => {
  let t: TestDatabase;
  const c = {} as Record<"A" | "B" | "C" | "D" | "E" | "F" | "G" | "H", number>;
  const s = {} as Record<"s1" | "s2" | "s3" | "s4" | "s5" | "s6" | "s7" | "s8", number>;
  let suf = 0;
  let sof = 0;
  const filter = { from: "2026-01", to: "2026-03", timeZone: TZ };

  beforeAll(async () => {
    t = await createTestDatabase();
    const db = t.db;
    suf = await administrationId(db, "SUF");
    sof = await administrationId(db, "SOF");
    // Created in this order, so "longest waiting first" is A, B, C, …
    c.A = await makeChallenge(db, { title: "A: to bydele", ownerOrganisationId: suf, districts: ["noerrebro", "valby"] });
    c.B = await makeChallenge(db, { title: "B: hele byen", ownerOrganisationId: sof, wholeCity: true });
    c.C = await makeChallenge(db, { title: "C: uden bydel, kun et afsluttet match", ownerOrganisationId: suf });
    c.D = await makeChallenge(db, { title: "D: ingen forslag", ownerOrganisationId: sof, districts: ["valby"] });
    c.E = await makeChallenge(db, { title: "E: kun svage forslag", ownerOrganisationId: suf, status: "in_dialogue" });
    c.F = await makeChallenge(db, { title: "F: kladde", ownerOrganisationId: suf, status: "draft" });
    c.G = await makeChallenge(db, { title: "G: lukket", ownerOrganisationId: sof, status: "closed" });
    c.H = await makeChallenge(db, { title: "H: afpubliceret", ownerOrganisationId: suf });
    await db.updateTable("challenges").set({ moderated_at: nowIso(), moderation_reason: "test" }).where("id", "=", c.H).execute();

    s.s1 = await makeSolution(db, { title: "s1" });
    s.s2 = await makeSolution(db, { title: "s2" });
    s.s3 = await makeSolution(db, { title: "s3: kun et svagt forslag og et afsluttet match" });
    s.s4 = await makeSolution(db, { title: "s4: svagt forslag, i Valby", districts: ["valby"] });
    s.s5 = await makeSolution(db, { title: "s5: kun på sin egen liste" });
    s.s6 = await makeSolution(db, { title: "s6: match med resultat" });
    s.s7 = await makeSolution(db, { title: "s7: kladde", status: "draft" });
    s.s8 = await makeSolution(db, { title: "s8: arkiveret", status: "archived" });

    const suggestion = (challenge: number, solution: number, score: number, at: string, forChallenge: 0 | 1, forSolution: 0 | 1) =>
      db
        .insertInto("match_suggestions")
        .values({
          challenge_id: challenge,
          solution_id: solution,
          score,
          features: "{}",
          reasons: "[]",
          model_version: "test",
          computed_at: at,
          for_challenge: forChallenge,
          for_solution: forSolution,
        })
        .execute();
    await suggestion(c.A, s.s1, 0.8, "2026-01-10T09:00:00.000Z", 1, 1); // January
    await suggestion(c.A, s.s2, 0.5, "2026-01-31T23:30:00.000Z", 1, 0); // February in Copenhagen
    await suggestion(c.B, s.s2, 0.6, "2026-02-05T12:00:00.000Z", 1, 1); // February
    await suggestion(c.B, s.s3, 0.1, "2026-02-05T12:00:00.000Z", 1, 1); // under the threshold
    await suggestion(c.E, s.s4, 0.15, "2026-03-01T10:00:00.000Z", 1, 1); // under the threshold
    await suggestion(c.A, s.s5, 0.3, "2025-12-20T10:00:00.000Z", 0, 1); // before the period; only in s5's own list

    const decision = (challenge: number, solution: number, decision: "accepted" | "dismissed" | "added", reason: string | null, at: string) =>
      db.insertInto("match_decisions").values({ challenge_id: challenge, solution_id: solution, decision, reason, decided_at: at }).execute();
    // Dismissing deletes the stored pair: these still count as suggestions, at the decision's date.
    await decision(c.A, s.s3, "dismissed", "wrong_target_group", "2026-03-10T10:00:00.000Z");
    await decision(c.B, s.s4, "dismissed", "not_relevant", "2026-02-20T10:00:00.000Z");
    await decision(c.A, s.s4, "dismissed", null, "2026-03-11T10:00:00.000Z");
    await decision(c.B, s.s5, "dismissed", "made_up_code", "2026-01-05T10:00:00.000Z");
    await decision(c.D, s.s6, "dismissed", "not_relevant", "2025-11-01T10:00:00.000Z"); // before the period
    // Accepted while its stored pair is still there: counted once, by the stored row.
    await decision(c.A, s.s1, "accepted", null, "2026-01-12T10:00:00.000Z");

    const match = async (
      challenge: number,
      solution: number,
      m: { origin: "suggestion" | "proposal" | "manual"; stage: MatchStage; endedAt?: MatchStage; created: string; introduced?: string; updated: string },
    ) =>
      (
        await db
          .insertInto("matches")
          .values({
            challenge_id: challenge,
            solution_id: solution,
            origin: m.origin,
            stage: m.stage,
            ended_at_stage: m.endedAt ?? null,
            introduced_at: m.introduced ?? null,
            created_at: m.created,
            updated_at: m.updated,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const move = (challenge: number, solution: number, matchId: number, from: string, to: string, at: string) =>
      db
        .insertInto("audit_log")
        .values({ at, action: "stage", challenge_id: challenge, solution_id: solution, match_id: matchId, detail: JSON.stringify({ from, to }), actor_id: null, actor_name: "Test", reason: null })
        .execute();

    // m1: made in January, introduced in February, pilot in March.
    const m1 = await match(c.A, s.s1, { origin: "suggestion", stage: "pilot", created: "2026-01-12T10:00:00.000Z", introduced: "2026-02-02T10:00:00.000Z", updated: "2026-03-05T10:00:00.000Z" });
    await move(c.A, s.s1, m1, "accepted", "introduced", "2026-02-02T10:00:00.000Z");
    await move(c.A, s.s1, m1, "introduced", "meeting", "2026-02-15T10:00:00.000Z");
    await move(c.A, s.s1, m1, "meeting", "pilot", "2026-03-05T10:00:00.000Z");
    // m2: an accepted proposal now at agreement with no audit rows: it reached introduction,
    // pilot and agreement, dated by its last change.
    await match(c.B, s.s2, { origin: "proposal", stage: "agreement", created: "2026-02-10T10:00:00.000Z", updated: "2026-03-20T10:00:00.000Z" });
    // m3: added by hand, introduced, ended at the meeting stage: no pilot.
    const m3 = await match(c.C, s.s3, { origin: "manual", stage: "ended", endedAt: "meeting", created: "2026-03-01T12:00:00.000Z", introduced: "2026-03-02T10:00:00.000Z", updated: "2026-03-25T10:00:00.000Z" });
    await move(c.C, s.s3, m3, "accepted", "introduced", "2026-03-02T10:00:00.000Z");
    await move(c.C, s.s3, m3, "introduced", "meeting", "2026-03-10T10:00:00.000Z");
    await move(c.C, s.s3, m3, "meeting", "ended", "2026-03-25T10:00:00.000Z");
    // m4: from December; skipped the pilot to agreement at 00:30 on 1 February (Copenhagen),
    // outcome at 00:30 on 1 April: after the period.
    const m4 = await match(c.B, s.s6, { origin: "manual", stage: "outcome", created: "2025-12-01T10:00:00.000Z", introduced: "2025-12-05T10:00:00.000Z", updated: "2026-03-31T22:30:00.000Z" });
    await move(c.B, s.s6, m4, "accepted", "introduced", "2025-12-05T10:00:00.000Z");
    await move(c.B, s.s6, m4, "introduced", "meeting", "2025-12-20T10:00:00.000Z");
    await move(c.B, s.s6, m4, "meeting", "agreement", "2026-01-31T23:30:00.000Z");
    await move(c.B, s.s6, m4, "agreement", "outcome", "2026-03-31T22:30:00.000Z");
    // A malformed detail is skipped, not a failure.
    await db.insertInto("audit_log").values({ at: "2026-02-01T10:00:00.000Z", action: "stage", challenge_id: c.B, solution_id: s.s6, match_id: m4, detail: "not json", actor_id: null, actor_name: null, reason: null }).execute();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  describe("the funnel", () => {
    it("counts each step in the Copenhagen month it was reached", async () => {
      const f = await loadFunnel(t.db, { ...filter, minScore: DISPLAY_THRESHOLD });
      expect(f.byMonth).toEqual([
        { period: "2026-01", counts: counts(2, 1, 0, 0, 0, 0) },
        { period: "2026-02", counts: counts(3, 1, 1, 1, 1, 0) },
        { period: "2026-03", counts: counts(2, 1, 2, 2, 1, 0) },
      ]);
      expect(f.total).toEqual(counts(7, 3, 3, 3, 2, 0));
    });

    it("groups by the owning administration, each event once", async () => {
      const f = await loadFunnel(t.db, { ...filter, minScore: DISPLAY_THRESHOLD });
      expect(Object.fromEntries(f.byAdministration)).toEqual({ [suf]: counts(4, 2, 2, 1, 0, 0), [sof]: counts(3, 1, 1, 2, 2, 0) });
    });

    it("groups by district: each named district, the whole city, and none given", async () => {
      const f = await loadFunnel(t.db, { ...filter, minScore: DISPLAY_THRESHOLD });
      expect(Object.fromEntries(f.byDistrict)).toEqual({
        noerrebro: counts(4, 1, 1, 1, 0, 0),
        valby: counts(4, 1, 1, 1, 0, 0),
        [WHOLE_CITY]: counts(3, 1, 1, 2, 2, 0),
        [NO_DISTRICT]: counts(0, 1, 1, 0, 0, 0),
      });
    });

    it("breaks down by month, administration and district", async () => {
      const f = await loadFunnel(t.db, { ...filter, minScore: DISPLAY_THRESHOLD });
      const cell = (period: string, administrationId: number, district: string) =>
        f.detail.find((x) => x.period === period && x.administrationId === administrationId && x.district === district)?.counts;
      expect(cell("2026-02", suf, "noerrebro")).toEqual(counts(1, 0, 1, 0, 0, 0));
      expect(cell("2026-02", sof, WHOLE_CITY)).toEqual(counts(2, 1, 0, 1, 1, 0));
      expect(cell("2026-03", suf, NO_DISTRICT)).toEqual(counts(0, 1, 1, 0, 0, 0));
      expect(cell("2026-01", sof, "valby")).toBeUndefined();
      expect(f.detail.map((x) => x.period)).toEqual([...f.detail.map((x) => x.period)].sort());
    });

    it("filters by administration, district and period", async () => {
      const sofOnly = await loadFunnel(t.db, { ...filter, administrationId: sof, minScore: DISPLAY_THRESHOLD });
      expect(sofOnly.total).toEqual(counts(3, 1, 1, 2, 2, 0));
      expect([...sofOnly.byAdministration.keys()]).toEqual([sof]);
      const valby = await loadFunnel(t.db, { ...filter, district: "valby", minScore: DISPLAY_THRESHOLD });
      expect(valby.total).toEqual(counts(4, 1, 1, 1, 0, 0));
      expect([...valby.byDistrict.keys()]).toEqual(["valby"]);
      const wide = await loadFunnel(t.db, { from: "2025-12", to: "2026-04", timeZone: TZ, minScore: DISPLAY_THRESHOLD });
      expect(wide.byMonth.map((m) => m.period)).toEqual(["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]);
      // December: m4's match and introduction, and the pair in s5's own list; April: m4's outcome.
      expect(wide.byMonth[0]!.counts).toEqual(counts(1, 1, 1, 0, 0, 0));
      expect(wide.byMonth[4]!.counts).toEqual(counts(0, 0, 0, 0, 0, 1));
    });
  });

  describe("unmet need", () => {
    it("lists open challenges the public sees whose best suggestion is weak or missing and that have no match under way", async () => {
      const rows = await listChallengesWithoutGoodMatch(t.db, { minScore: DISPLAY_THRESHOLD });
      expect(rows.map((r) => r.id)).toEqual([c.C, c.D, c.E]);
      expect(rows.map((r) => r.bestScore)).toEqual([null, null, 0.15]);
      expect(rows.find((r) => r.id === c.D)!.districts).toEqual(["valby"]);
      expect(rows.find((r) => r.id === c.C)!.districts).toEqual([NO_DISTRICT]);
    });

    it("narrows the unmet challenges by administration and district", async () => {
      expect((await listChallengesWithoutGoodMatch(t.db, { minScore: DISPLAY_THRESHOLD, administrationId: sof })).map((r) => r.id)).toEqual([c.D]);
      expect((await listChallengesWithoutGoodMatch(t.db, { minScore: DISPLAY_THRESHOLD, district: "valby" })).map((r) => r.id)).toEqual([c.D]);
      expect((await listChallengesWithoutGoodMatch(t.db, { minScore: DISPLAY_THRESHOLD, district: NO_DISTRICT })).map((r) => r.id)).toEqual([c.C, c.E]);
    });

    it("lists published solutions in no challenge's own list at the threshold and with no match under way", async () => {
      const rows = await listSolutionsNotFound(t.db, { minScore: DISPLAY_THRESHOLD });
      expect(rows.map((r) => r.id)).toEqual([s.s3, s.s4, s.s5]);
      // s5 is only in its own list, so no challenge has it at all.
      expect(rows.map((r) => r.bestScore)).toEqual([0.1, 0.15, null]);
      expect((await listSolutionsNotFound(t.db, { minScore: DISPLAY_THRESHOLD, district: "valby" })).map((r) => r.id)).toEqual([s.s4]);
    });
  });

  describe("dismissal reasons", () => {
    const sorted = (rows: Array<{ reason: string | null; count: number }>) => [...rows].sort((a, b) => String(a.reason).localeCompare(String(b.reason)));

    it("counts the dismissals of the period by reason, with none given and unknown codes kept", async () => {
      expect(sorted(await countDismissalReasons(t.db, filter))).toEqual([
        { reason: "made_up_code", count: 1 },
        { reason: "not_relevant", count: 1 },
        { reason: null, count: 1 },
        { reason: "wrong_target_group", count: 1 },
      ]);
    });

    it("narrows them by administration, district and period", async () => {
      expect(sorted(await countDismissalReasons(t.db, { ...filter, administrationId: suf }))).toEqual([
        { reason: null, count: 1 },
        { reason: "wrong_target_group", count: 1 },
      ]);
      expect(sorted(await countDismissalReasons(t.db, { ...filter, district: WHOLE_CITY }))).toEqual([
        { reason: "made_up_code", count: 1 },
        { reason: "not_relevant", count: 1 },
      ]);
      expect(await countDismissalReasons(t.db, { ...filter, district: NO_DISTRICT })).toEqual([]);
      expect(await countDismissalReasons(t.db, { from: "2025-11", to: "2025-11", timeZone: TZ })).toEqual([{ reason: "not_relevant", count: 1 }]);
    });
  });
});

describe("the CSV dialect", () => {
  it("starts with a byte-order mark, separates by semicolons and ends lines with CRLF", () => {
    expect(toCsv([["a", "b"], [1, null]])).toBe("\uFEFFa;b\r\n1;\r\n");
  });

  it("quotes fields with semicolons, quotes, line breaks or surrounding spaces, doubling quotes", () => {
    expect(toCsv([["x;y", 'sagde "hej"', "to\nlinjer", " luft ", "Ærø"]])).toBe('\uFEFF"x;y";"sagde ""hej""";"to\nlinjer";" luft ";Ærø\r\n');
  });

  it("keeps a spreadsheet from running text as a formula", () => {
    expect(toCsv([["=1+1", "+45", "-x", "@sum", "ok"]])).toBe("\uFEFF'=1+1;'+45;'-x;'@sum;ok\r\n");
  });
});

describe("over HTTP", () => {
  let portal: TestPortal;
  const as = {} as Record<"public" | "entrepreneur" | "staff" | "curator" | "admin", Visitor>;
  const ACCOUNTS = {
    entrepreneur: "entrepreneur@samskab.example",
    staff: "suf@kk.example",
    curator: "community@samskab.example",
    admin: "admin@samskab.example",
  } as const;
  const TRICKY = 'Ost; "skinke"\nog brød';
  const FORMULA = "=HYPERLINK(\"http://example.org\")";

  beforeAll(async () => {
    portal = await startTestPortal();
    await portal.settled();
    as.public = new Visitor(portal);
    for (const role of ["entrepreneur", "staff", "curator", "admin"] as const) {
      as[role] = await signedIn(portal, ACCOUNTS[role]);
    }
    // Written straight to the table, past the outbox, so the matcher never suggests anything
    // for them: they stay challenges with no good match.
    const db = portal.database.db;
    const sof = await administrationId(db, "SOF");
    const now = nowIso();
    for (const title of [TRICKY, FORMULA]) {
      await db
        .insertInto("challenges")
        .values({ title, summary: "Kort.", description: "Lang.", language: "da", owner_organisation_id: sof, status: "open", published_at: now, created_at: now, updated_at: now })
        .execute();
    }
  });
  afterAll(async () => {
    await portal?.close();
  });

  const PATHS = ["/curation/overview", "/curation/overview.csv?table=funnel-by-month"];

  it.each(PATHS)("sends the public from %s to sign in and back", async (path) => {
    const res = await as.public.get(path);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  });

  it.each(PATHS.flatMap((p) => [["entrepreneur", p], ["staff", p]] as const))("refuses the %s %s with 403", async (role, path) => {
    const res = await as[role].get(path);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain("Tragten");
    expect(body).not.toContain("Ost; ");
  });

  it.each(PATHS.flatMap((p) => [["curator", p], ["admin", p]] as const))("shows the %s %s", async (role, path) => {
    expect((await as[role].get(path)).status).toBe(200);
  });

  it("renders the tables with captions, headers and Danish numbers, and a CSV link for each", async () => {
    const html = await as.curator.html("/curation/overview");
    expect(html).toContain("<h1>Overblik</h1>");
    for (const id of ["funnel-by-month", "funnel-by-administration", "funnel-by-district", "unmet-challenges", "dismissals"]) {
      // Each table has its caption, and scrolls in a region named by it when it is wider than the screen.
      expect(html).toMatch(new RegExp(`<div class="table-scroll" role="region" aria-labelledby="([^"]+)" tabindex="0"><table class="data" id="${id}"><caption id="\\1">`));
      expect(html).toContain(`href="/curation/overview.csv?from=`);
      expect(html).toMatch(new RegExp(`/curation/overview\\.csv\\?[^"]*table=${id}`));
    }
    expect(html).toContain('<th scope="col">Forslag</th>');
    // An unmet challenge's row: its title links to it, then its facts and its best score.
    expect(html).toMatch(/<tr data-challenge-id="(\d+)"><th scope="row"><a [^>]*href="\/challenges\/\1"[^>]*>[^<]+<\/a><\/th>(<td>[^<]*<\/td>){4}<td>(Intet forslag|\d+ %)<\/td><\/tr>/);
    expect(html).toContain('<th scope="row">I alt</th>');
    // Headings in order: one h1, then h2s.
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    // The matcher's suggestions of the demo data, counted and written the Danish way.
    const month = monthOf(nowIso(), TZ);
    const f = await loadFunnel(portal.database.db, { from: month, to: month, timeZone: TZ, minScore: DISPLAY_THRESHOLD });
    expect(f.total.suggestions).toBeGreaterThan(0);
    expect(html).toContain(`<td>${formatNumber(f.total.suggestions, "da")}</td>`);
    expect(html).toContain("Ost; &quot;skinke&quot;");
  });

  it("speaks English when asked", async () => {
    const visitor = await signedIn(portal, ACCOUNTS.curator);
    await visitor.post("/language", { lang: "en", returnTo: "/" });
    const html = await visitor.html("/curation/overview");
    expect(html).toContain("<h1>Overview</h1>");
    expect(html).toContain('<th scope="col">Suggestions</th>');
  });

  it("serves a table as a semicolon-separated UTF-8 file with a BOM, a header row and quoted fields", async () => {
    const res = await as.curator.get("/curation/overview.csv?table=unmet-challenges");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="samskab-unmet-challenges-\d{4}-\d{2}_\d{4}-\d{2}\.csv"$/);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFFid;Udfordring;Forvaltning;Bydele;Status;Offentliggjort;Bedste forslag (%)\r\n")).toBe(true);
    expect(text).toContain(';"Ost; ""skinke""\nog brød";Socialforvaltningen;Ingen bydel angivet;Åben;');
    expect(text).toContain(`;"'=HYPERLINK(""http://example.org"")";`);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("counts dismissal reasons in the file, with the labels and a total", async () => {
    const db = portal.database.db;
    const [challenge] = await db.selectFrom("challenges").select("id").where("title", "=", TRICKY).execute();
    const solutions = await db.selectFrom("solutions").select("id").where("status", "=", "published").orderBy("id").limit(2).execute();
    for (const [i, sol] of solutions.entries()) {
      await db.insertInto("match_decisions").values({ challenge_id: challenge!.id, solution_id: sol.id, decision: "dismissed", reason: i === 0 ? "wrong_area" : 'odd;"code"' }).execute();
    }
    const text = await (await as.admin.get("/curation/overview.csv?table=dismissals")).text();
    const lines = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("Kode;Grund;Antal");
    expect(lines).toContain("wrong_area;Forkert område eller bydel;1");
    expect(lines).toContain("not_relevant;Ikke relevant;0");
    expect(lines).toContain('"odd;""code""";"odd;""code""";1');
    expect(lines).toContain(";I alt;2");
    const page = await as.admin.html("/curation/overview");
    expect(page).toMatch(/<tr data-reason="wrong_area"><th scope="row">Forkert område eller bydel<\/th><td>1<\/td><td>50 %<\/td><\/tr>/);
  });

  it.each([
    ["a month that is no month", "?from=2026-13", "Skriv en måned som åååå-mm"],
    ["a period that ends before it starts", "?from=2026-05&to=2026-01", "Til-måneden må ikke ligge før fra-måneden"],
    ["a period over ten years", "?from=2000-01&to=2026-01", "Vælg højst 120 måneder"],
    ["an unknown administration", "?administration=XYZ", "Vælg en forvaltning fra listen"],
    ["an unknown district", "?district=atlantis", "Vælg en bydel fra listen"],
    ["a value far too long", `?district=${"x".repeat(500)}`, "Værdien er for lang"],
  ])("answers %s with 400 and says what is wrong, on the page", async (_name, query, message) => {
    const res = await as.curator.get(`/curation/overview${query}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('<form method="get" action="/curation/overview"');
    expect(html).not.toContain('id="funnel-by-month"');
  });

  it("marks the wrong field invalid, describes it by its error and keeps what was typed", async () => {
    const html = await (await as.curator.get("/curation/overview?from=2026-13")).text();
    const field = html.match(/<input[^>]*id="overview-from"[^>]*>/)?.[0] ?? "";
    expect(field).toContain('aria-invalid="true"');
    expect(field).toContain('aria-describedby="overview-from-hint overview-from-error"');
    expect(field).toContain('value="2026-13"');
    expect(html).toMatch(/<p class="field-error" id="overview-from-error">.*Skriv en måned som åååå-mm/);
    expect(html).toContain('<a href="#overview-from">');
    expect(html.match(/<input[^>]*id="overview-to"[^>]*>/)?.[0]).not.toContain("aria-invalid");
  });

  it("answers a bad filter or an unknown table in the CSV route with 400 and a message", async () => {
    const bad = await as.curator.get("/curation/overview.csv?table=dismissals&to=mars");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await bad.text()).toContain("Til og med måned: Skriv en måned som åååå-mm");
    const unknown = await as.curator.get("/curation/overview.csv?table=passwords");
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Ukendt tabel");
  });

  it("keeps the filter's choices in the form and narrows the tables", async () => {
    const html = await as.curator.html("/curation/overview?from=2026-01&to=2026-03&administration=SOF&district=valby");
    expect(html).toContain('value="2026-01"');
    expect(html).toMatch(/<option value="SOF" selected="">/);
    expect(html).toContain('<time dateTime="2026-01">januar 2026</time>');
    expect(html).toContain('<time dateTime="2026-03">marts 2026</time>');
    expect(html).not.toContain('<time dateTime="2026-04">');
    expect(html).toContain("administration=SOF");
  });
});
