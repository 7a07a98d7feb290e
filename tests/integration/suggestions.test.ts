// The matcher's suggestions on the pages, over HTTP against a portal with the demo data matched:
// who sees them (the challenge's staff, its organisation's members, community managers,
// administrators), who never does (the public above all: a public ranking of suppliers would
// breach equal treatment, DOMAIN.md), and that they come from SQLite while search is down.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDemoData } from "../../db/demo";
import { EmbeddedMeili, freePort } from "../../search/embedded-meili";
import { signedIn } from "../helpers/client";
import { organisationOf } from "../helpers/factories";
import { startTestPortal, type TestPortal } from "../helpers/portal";

const demo = readDemoData();
const loneliness = demo.challenges.find((c) => c.key === "c01")!;

let portal: TestPortal;
const ids = { loneliness: 0, ownSolution: 0, otherSolution: 0 };

async function idByTitle(p: TestPortal, table: "challenges" | "solutions", title: string): Promise<number> {
  return (await p.database.db.selectFrom(table).select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The suggestion section of a detail page, or undefined when the page has none. */
function section(html: string): string | undefined {
  const start = html.indexOf('id="suggestions"');
  if (start < 0) return undefined;
  return html.slice(start, html.indexOf("</section>", start));
}

/** One record's group on /me: from its marker to the next group or the end of its section. */
function group(html: string, id: number): string | undefined {
  const start = html.indexOf(`data-suggestions-for="${id}"`);
  if (start < 0) return undefined;
  const rest = html.slice(start);
  const ends = [rest.indexOf("data-suggestions-for=", 1), rest.indexOf("</section>")].filter((i) => i > 0);
  return rest.slice(0, Math.min(...ends));
}

function cardIds(html: string): number[] {
  return [...html.matchAll(/data-suggestion-id="(\d+)"/g)].map((m) => Number(m[1]));
}

async function titlesOf(p: TestPortal, table: "challenges" | "solutions", list: number[]): Promise<string[]> {
  if (list.length === 0) return [];
  return (await p.database.db.selectFrom(table).select("title").where("id", "in", list).execute()).map((r) => r.title);
}

beforeAll(async () => {
  portal = await startTestPortal();
  await portal.settled();
  ids.loneliness = await idByTitle(portal, "challenges", loneliness.title);
  const own = await organisationOf(portal.database.db, "entrepreneur@samskab.example");
  const other = await organisationOf(portal.database.db, "entrepreneur2@samskab.example");
  const published = async (org: number) =>
    (await portal.database.db.selectFrom("solutions").select("id").where("organisation_id", "=", org).where("status", "=", "published").orderBy("id").executeTakeFirstOrThrow()).id;
  ids.ownSolution = await published(own);
  ids.otherSolution = await published(other);
});
afterAll(async () => {
  await portal?.close();
});

describe("on a challenge's page", () => {
  it("the matcher has stored suggestions for the loneliness challenge", async () => {
    const rows = await portal.database.db.selectFrom("match_suggestions").select("solution_id").where("challenge_id", "=", ids.loneliness).execute();
    expect(rows.length).toBeGreaterThan(0);
  });

  it("shows its owning staff suggested solutions, each with a link, a score and why", async () => {
    const html = await (await signedIn(portal, "suf@kk.example")).html(`/challenges/${ids.loneliness}`);
    const list = section(html);
    expect(list, "a suggestion section").toBeDefined();
    expect(list).toContain("Løsninger, der kan passe");
    expect(list).toContain("aldrig offentligt");
    const cards = cardIds(list!);
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.length).toBeLessThanOrEqual(10);
    expect(list).toContain(`href="/solutions/${cards[0]}"`);
    expect(list).toMatch(/Match \d{1,3}\s%/);
    expect(list).toMatch(/<meter[^>]*value="\d{1,3}"/);
    expect(list).toContain("Derfor:");
    expect(list).toMatch(/Fælles emner:|Fælles begreber:|Semantisk nærhed/);
    // The scores read best first.
    const scores = [...list!.matchAll(/Match (\d{1,3})\s%/g)].map((m) => Number(m[1]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s >= 20)).toBe(true);
  });

  it("shows a community manager the same suggestions, in English too", async () => {
    const staff = cardIds(section(await (await signedIn(portal, "suf@kk.example")).html(`/challenges/${ids.loneliness}`))!);
    const curator = await signedIn(portal, "community@samskab.example");
    const html = await curator.html(`/challenges/${ids.loneliness}`);
    expect(cardIds(section(html)!)).toEqual(staff);

    expect((await curator.post("/language", { lang: "en", returnTo: "/" })).status).toBe(302);
    const english = section(await curator.html(`/challenges/${ids.loneliness}`))!;
    expect(english).toContain("Solutions that may fit");
    expect(english).toMatch(/Match \d{1,3}%/);
    expect(english).toContain("Why:");
    // A Danish challenge's words keep their language on an English page.
    expect(english).toMatch(/lang="da"/);
  });

  it("keeps them out of the public page: no section, no suggested titles, not in the loader data", async () => {
    const suggested = cardIds(section(await (await signedIn(portal, "suf@kk.example")).html(`/challenges/${ids.loneliness}`))!);
    const titles = await titlesOf(portal, "solutions", suggested);
    expect(titles.length).toBeGreaterThan(0);
    const html = await portal.html(`/challenges/${ids.loneliness}`);
    expect(html).toContain(escapeHtml(loneliness.title));
    expect(section(html)).toBeUndefined();
    expect(html).not.toContain("data-suggestion-id");
    expect(html).not.toContain("Løsninger, der kan passe");
    for (const title of titles) {
      expect(html, title).not.toContain(escapeHtml(title));
      expect(html, title).not.toContain(JSON.stringify(title).slice(1, -1));
    }
    // Remix's single-fetch data route answers the loader's data: the staff's holds the
    // suggestions, the public's none.
    const quoted = (t: string) => JSON.stringify(t).slice(1, -1);
    const staffData = await (await (await signedIn(portal, "suf@kk.example")).get(`/challenges/${ids.loneliness}.data`)).text();
    expect(staffData).toContain(quoted(titles[0]!));
    const data = await (await portal.get(`/challenges/${ids.loneliness}.data`)).text();
    expect(data).toContain(quoted(loneliness.title));
    for (const title of titles) expect(data, title).not.toContain(quoted(title));
  });

  it("shows another administration's staff none", async () => {
    for (const email of ["buf@kk.example", "sof@kk.example"]) {
      const html = await (await signedIn(portal, email)).html(`/challenges/${ids.loneliness}`);
      expect(section(html), email).toBeUndefined();
      expect(html, email).not.toContain("data-suggestion-id");
    }
  });

  it("shows an entrepreneur none on a challenge's page", async () => {
    const html = await (await signedIn(portal, "entrepreneur@samskab.example")).html(`/challenges/${ids.loneliness}`);
    expect(section(html)).toBeUndefined();
  });

  it("drops a suggested solution that is no longer published, even before the matcher catches up", async () => {
    const staff = await signedIn(portal, "suf@kk.example");
    const before = cardIds(section(await staff.html(`/challenges/${ids.loneliness}`))!);
    const gone = before[0]!;
    const db = portal.database.db;
    // Behind the portal's back (no outbox row): the stored suggestion is still there.
    await db.updateTable("solutions").set({ status: "archived" }).where("id", "=", gone).execute();
    try {
      const after = cardIds(section(await staff.html(`/challenges/${ids.loneliness}`))!);
      expect(after).not.toContain(gone);
      // The rest move up, and the next best fills the tenth place.
      expect(after.slice(0, before.length - 1)).toEqual(before.filter((id) => id !== gone));
    } finally {
      await db.updateTable("solutions").set({ status: "published" }).where("id", "=", gone).execute();
    }
  });
});

describe("on a solution's page and in /me", () => {
  it("shows an entrepreneur suggested challenges on their own solution's page", async () => {
    const html = await (await signedIn(portal, "entrepreneur@samskab.example")).html(`/solutions/${ids.ownSolution}`);
    const list = section(html);
    expect(list).toBeDefined();
    expect(list).toContain("Udfordringer, der kan passe");
    const cards = cardIds(list!);
    expect(cards.length).toBeGreaterThan(0);
    expect(list).toContain(`href="/challenges/${cards[0]}"`);
    expect(list).toMatch(/Match \d{1,3}\s%/);
  });

  it("shows an entrepreneur none on another organisation's solution, nor the public", async () => {
    const entrepreneur = await signedIn(portal, "entrepreneur@samskab.example");
    const other = await entrepreneur.html(`/solutions/${ids.otherSolution}`);
    expect(section(other)).toBeUndefined();
    expect(other).not.toContain("data-suggestion-id");
    const pub = await portal.html(`/solutions/${ids.ownSolution}`);
    expect(section(pub)).toBeUndefined();
    expect(pub).not.toContain("data-suggestion-id");
    const staff = await (await signedIn(portal, "suf@kk.example")).html(`/solutions/${ids.ownSolution}`);
    expect(section(staff)).toBeUndefined();
  });

  it("shows a community manager a solution's suggested challenges", async () => {
    const html = await (await signedIn(portal, "community@samskab.example")).html(`/solutions/${ids.ownSolution}`);
    expect(cardIds(section(html)!).length).toBeGreaterThan(0);
  });

  it("gives an entrepreneur 'Udfordringer til mine løsninger' with at most three per published solution", async () => {
    const html = await (await signedIn(portal, "entrepreneur@samskab.example")).html("/me");
    expect(html).toContain("Udfordringer til mine løsninger");
    expect(html).not.toContain("Løsninger til mine udfordringer");
    const cards = cardIds(group(html, ids.ownSolution)!);
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.length).toBeLessThanOrEqual(3);
    expect(html).toMatch(/Match \d{1,3}\s%/);
  });

  it("gives staff 'Løsninger til mine udfordringer' with the loneliness challenge's best three", async () => {
    const staff = await signedIn(portal, "suf@kk.example");
    const detail = cardIds(section(await staff.html(`/challenges/${ids.loneliness}`))!);
    const html = await staff.html("/me");
    expect(html).toContain("Løsninger til mine udfordringer");
    expect(cardIds(group(html, ids.loneliness)!)).toEqual(detail.slice(0, 3));
  });

  it("gives the public nothing: /me asks them to sign in", async () => {
    expect((await portal.get("/me")).status).toBe(302);
  });
});

describe("with Meilisearch stopped", () => {
  it("still answers the challenge page with the stored suggestions", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-suggestions-outage-"));
    const meili = new EmbeddedMeili({ dir, port: await freePort(), supervise: false });
    let down: TestPortal | undefined;
    try {
      const url = await meili.start();
      down = await startTestPortal({ meiliUrl: url, meiliMasterKey: meili.masterKey });
      await down.settled();
      const id = await idByTitle(down, "challenges", loneliness.title);
      const staff = await signedIn(down, "suf@kk.example");
      const before = cardIds(section(await staff.html(`/challenges/${id}`))!);
      expect(before.length).toBeGreaterThan(0);
      await meili.stop();

      const res = await staff.get(`/challenges/${id}`);
      expect(res.status).toBe(200);
      const list = section(await res.text());
      expect(cardIds(list!)).toEqual(before);
      expect(list).toMatch(/Match \d{1,3}\s%/);
    } finally {
      await down?.close();
      await meili.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
