// What search engines and link previews read: a sitemap of exactly the public records, a
// canonical address without the query, Open Graph tags on public pages, and noindex on result
// pages (endless combinations of filters).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChallenge } from "../../db/queries/challenges";
import { challengeInput } from "../helpers/factories";
import { startTestPortal, type TestPortal } from "../helpers/portal";

let portal: TestPortal;
const ids = { published: 0, draft: 0, unpublished: 0 };

beforeAll(async () => {
  portal = await startTestPortal({ publicBaseUrl: "https://samskab.example" });
  const db = portal.database.db;
  ids.published = await createChallenge(db, await challengeInput(db, { title: "Offentlig udfordring om cykler", summary: "Flere børn skal cykle i skole.", status: "open" }));
  ids.draft = await createChallenge(db, await challengeInput(db, { title: "Kladde om cykler", status: "draft" }));
  ids.unpublished = await createChallenge(db, await challengeInput(db, { title: "Fjernet udfordring", status: "open" }));
  await db.updateTable("challenges").set({ moderated_at: new Date().toISOString(), moderation_reason: "test" }).where("id", "=", ids.unpublished).execute();
});
afterAll(async () => {
  await portal?.close();
});

describe("the sitemap", () => {
  it("lists the public pages and every published record, and no draft or unpublished one", async () => {
    const res = await portal.get("/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/xml");
    const xml = await res.text();
    expect(xml).toContain("<loc>https://samskab.example/</loc>");
    expect(xml).toContain("<loc>https://samskab.example/accessibility</loc>");
    expect(xml).toContain(`<loc>https://samskab.example/challenges/${ids.published}</loc>`);
    expect(xml).not.toContain(`/challenges/${ids.draft}<`);
    expect(xml).not.toContain(`/challenges/${ids.unpublished}<`);
    // Archived solutions stay public (db/visibility.ts); drafts and unpublished ones never are.
    const solutions = await portal.database.db.selectFrom("solutions").select(["id", "status", "moderated_at"]).execute();
    expect(solutions.some((s) => s.status === "draft")).toBe(true);
    for (const s of solutions) expect(xml.includes(`/solutions/${s.id}</loc>`)).toBe(s.status !== "draft" && s.moderated_at === null);
  });
});

describe("public pages", () => {
  it("a challenge has its canonical address and Open Graph tags with its own title and summary", async () => {
    const html = await portal.html(`/challenges/${ids.published}?from=search`);
    expect(html).toContain(`<link rel="canonical" href="https://samskab.example/challenges/${ids.published}"/>`);
    expect(html).toContain('<meta property="og:title" content="Offentlig udfordring om cykler"/>');
    expect(html).toContain('<meta property="og:description" content="Flere børn skal cykle i skole."/>');
    expect(html).toContain('<meta property="og:locale" content="da_DK"/>');
    expect(html).not.toContain('content="noindex');
  });

  it("result pages are noindex, with the list itself as canonical", async () => {
    const html = await portal.html("/challenges?q=cykler&district=noerrebro");
    expect(html).toContain('<meta name="robots" content="noindex, follow"/>');
    expect(html).toContain('<link rel="canonical" href="https://samskab.example/challenges"/>');
  });

  it("the front page has Open Graph tags", async () => {
    const html = await portal.html("/");
    expect(html).toContain('<meta property="og:url" content="https://samskab.example/"/>');
    expect(html).toContain('<meta property="og:site_name" content="Samskab"/>');
  });
});
