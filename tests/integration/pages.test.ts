// The public pages over real HTTP, served by the production build with the demo data indexed.
import { parse } from "node-html-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDemoData } from "../../db/demo";
import { createChallenge } from "../../db/queries/challenges";
import { challengeInput } from "../helpers/factories";
import { resultIds, startTestPortal, type TestPortal } from "../helpers/portal";

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal();
  await portal.settled();
});
afterAll(async () => {
  await portal?.close();
});

/** The text of every h1 on the page, as a reader sees it. */
function headings(html: string): string[] {
  return parse(html).querySelectorAll("h1").map((h) => h.text.trim());
}

async function idByTitle(table: "challenges" | "solutions", title: string): Promise<number> {
  const row = await portal.database.db.selectFrom(table).select("id").where("title", "=", title).executeTakeFirstOrThrow();
  return row.id;
}

const demo = readDemoData();
const draftChallenge = demo.challenges.find((c) => c.status === "draft" && c.description.includes("kanariefuglxyz"))!;
const publicChallenges = demo.challenges.filter((c) => c.status !== "draft");

describe("every public page answers", () => {
  it.each(["/", "/challenges", "/solutions", "/accessibility", "/challenges?q=ældre&sort=newest&page=1"])("%s answers 200", async (path) => {
    expect((await portal.get(path)).status).toBe(200);
  });

  it("shows a challenge and a solution on their own pages", async () => {
    const c = await idByTitle("challenges", publicChallenges[0]!.title);
    const html = await portal.html(`/challenges/${c}`);
    expect(html).toContain(publicChallenges[0]!.title.replace(/&/g, "&amp;"));
    expect(headings(html)).toEqual([publicChallenges[0]!.title]);
    const s = demo.solutions.find((x) => x.status === "published")!;
    expect(headings(await portal.html(`/solutions/${await idByTitle("solutions", s.title)}`))).toEqual([s.title]);
  });

  it("answers 404 inside the layout for unknown addresses and ids", async () => {
    for (const path of ["/findes-ikke", "/challenges/999999", "/challenges/abc", "/solutions/0"]) {
      const res = await portal.get(path);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain("Siden findes ikke");
      expect(html).toContain('href="/accessibility"');
    }
  });

  it("answers a malformed query string with 400 and a message, not a stack trace", async () => {
    for (const path of ["/challenges?page=abc", "/challenges?status=bogus", "/solutions?sdg=99"]) {
      const res = await portal.get(path);
      expect(res.status, path).toBe(400);
      const html = await res.text();
      expect(html).toContain("Vi forstod ikke forespørgslen");
      expect(html).not.toMatch(/at \w+ \(.*:\d+:\d+\)/);
    }
  });
});

describe("language", () => {
  it("is Danish by default, whatever the browser asks for", async () => {
    const html = await (await portal.get("/challenges", { headers: { "Accept-Language": "en-GB,en;q=0.9" } })).text();
    expect(html).toContain('<html lang="da"');
    expect(html).toContain("Udfordringer");
  });

  it("switches to English with a plain form post, remembers it, and returns to the same page", async () => {
    const res = await portal.post("/language", { lang: "en", returnTo: "/challenges?q=mad" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/challenges?q=mad");
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const html = await (await portal.get("/challenges?q=mad", { headers: { Cookie: cookie } })).text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("Search challenges");
  });

  it("never redirects off the site after a language switch", async () => {
    const res = await portal.post("/language", { lang: "en", returnTo: "//evil.example/" });
    expect(res.headers.get("location")).toBe("/");
  });

  it("marks content written in the other language with its own lang", async () => {
    const english = publicChallenges.find((c) => c.language === "en")!;
    const html = await portal.html(`/challenges/${await idByTitle("challenges", english.title)}`);
    expect(html).toMatch(/<h1 id="detail-title" lang="en">/);
  });
});

describe("browsing challenges", () => {
  it("finds the loneliness challenge despite a typo", async () => {
    const ids = resultIds(await portal.html("/challenges?q=ensomhd"));
    const loneliness = demo.challenges.find((c) => c.key === "c01")!;
    expect(ids.slice(0, 3)).toContain(await idByTitle("challenges", loneliness.title));
  });

  it("says so when nothing matches, with no filter button that has nothing to filter", async () => {
    const html = await portal.html("/challenges?q=xyzzyqwerty");
    expect(resultIds(html)).toEqual([]);
    expect(html).toContain("Ingen resultater passer til din søgning.");
    expect(html).toContain("Der er intet at afgrænse efter i disse resultater.");
    expect(html).not.toContain("Opdater resultater");
    // With results, the filters and their button are there.
    expect(await portal.html("/challenges?q=ensomhed")).toContain("Opdater resultater");
  });

  it("pages through all public challenges and never shows a draft", async () => {
    const first = resultIds(await portal.html("/challenges"));
    const second = resultIds(await portal.html("/challenges?page=2"));
    expect(first).toHaveLength(20);
    const all = new Set([...first, ...second]);
    expect(all.size).toBe(publicChallenges.length);
    expect(all).not.toContain(await idByTitle("challenges", draftChallenge.title));
  });

  it("counts a facet's other values while one of them is selected", async () => {
    const html = await portal.html("/challenges?adm=SUF");
    const ids = resultIds(html);
    const suf = publicChallenges.filter((c) => c.administration === "SUF" || c.coOwners.includes("SUF")).length;
    expect(ids.length).toBe(Math.min(20, suf));
    expect(html.match(/<input[^>]*value="SUF"[^>]*>/)?.[0]).toContain("checked");
    // Other administrations still show with their own counts.
    const bif = publicChallenges.filter((c) => c.administration === "BIF" || c.coOwners.includes("BIF")).length;
    expect(html).toContain(`Beskæftigelses- og Integrationsforvaltningen</span> <span class="count">(${bif})`);
  });

  it("combines facets: values of one facet widen, different facets narrow", async () => {
    const count = (html: string) => Number(/(\d+) resultat/.exec(html)![1]);
    const nb = count(await portal.html("/challenges?district=noerrebro"));
    const both = count(await portal.html("/challenges?district=noerrebro&district=valby"));
    const narrowed = count(await portal.html("/challenges?district=noerrebro&district=valby&status=open"));
    expect(both).toBeGreaterThan(nb);
    expect(narrowed).toBeLessThan(both);
    const expected = publicChallenges.filter((c) => c.districts.includes("noerrebro") || c.districts.includes("valby")).length;
    expect(both).toBe(expected);
  });

  it("sorts by deadline, soonest first", async () => {
    const ids = resultIds(await portal.html("/challenges?sort=deadline"));
    const rows = await portal.database.db.selectFrom("challenges").select(["id", "deadline"]).where("id", "in", ids).execute();
    const deadlines = ids.map((id) => rows.find((r) => r.id === id)!.deadline).filter((d): d is string => d !== null);
    expect(deadlines.length).toBeGreaterThan(5);
    expect([...deadlines].sort()).toEqual(deadlines);
  });

  it("keeps a draft's words out of public search results and facet counts", async () => {
    const html = await portal.html("/challenges?q=kanariefuglxyz");
    expect(resultIds(html)).toEqual([]);
    expect(html).not.toMatch(/<span class="count">\(\d+\)/);
    expect(resultIds(await portal.html("/challenges?status=draft"))).toEqual([]);
    const draftId = await idByTitle("challenges", draftChallenge.title);
    expect((await portal.get(`/challenges/${draftId}`)).status).toBe(404);
  });

  it("escapes what users typed, even inside search highlights", async () => {
    const id = await createChallenge(
      portal.database.db,
      await challengeInput(portal.database.db, { title: "Uheldig <script>alert(1)</script> titel om zebraer", summary: "<b>fed</b> zebra" }),
    );
    portal.indexer.nudge();
    await portal.settled();
    const html = await portal.html("/challenges?q=zebraer");
    expect(resultIds(html)).toContain(id);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("<mark>zebraer</mark>");
  });
});

describe("user-written Markdown", () => {
  it("is rendered without raw HTML or script links", async () => {
    const id = await createChallenge(
      portal.database.db,
      await challengeInput(portal.database.db, {
        title: "Markdown med fælder",
        description: "## Overskrift\n\nTekst med **fed** og [et link](https://kk.example) og [en fælde](javascript:alert(1)).\n\n<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>",
      }),
    );
    const html = await portal.html(`/challenges/${id}`);
    expect(html).toContain("<strong>fed</strong>");
    expect(html).toContain('href="https://kk.example"');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toContain("<script>alert(2)</script>");
    expect(html).not.toMatch(/<img[^>]*onerror/i);
  });
});

describe("browsing solutions", () => {
  it("filters by stage, counting archived solutions too, marked as archived", async () => {
    const running = demo.solutions.filter((s) => s.status !== "draft" && s.stage === "running");
    const html = await portal.html("/solutions?stage=running");
    expect(Number(/(\d+) resultat/.exec(html)![1])).toBe(running.length);
    const archived = running.filter((s) => s.status === "archived").length;
    expect(archived).toBeGreaterThan(0);
    const archivedHtml = await portal.html("/solutions?stage=running&status=archived");
    expect(resultIds(archivedHtml)).toHaveLength(archived);
    expect(archivedHtml.match(/class="badge status-archived">Arkiveret</g)).toHaveLength(archived);
    expect(resultIds(await portal.html("/solutions?status=draft"))).toEqual([]);
  });
});
