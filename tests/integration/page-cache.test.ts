// The page cache (scripts/lib/page-cache.ts): visitors without an account get a kept page, but
// never an out-of-date one, never one with another answer's nonce, never another language's, and
// a signed-in person never gets it at all.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type OpenDatabase } from "../../db/client";
import { PageCache } from "../../scripts/lib/page-cache";
import { signedIn } from "../helpers/client";
import { makeChallenge } from "../helpers/factories";
import { resultIds, startPortalWithOwnSearch, startTestPortal, type TestPortal } from "../helpers/portal";

function nonceOf(res: Response): string {
  return /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";
}

describe("PageCache", () => {
  let database: OpenDatabase;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-page-cache-"));
    database = openDatabase(path.join(dir, "cache.sqlite"));
    database.sqlite.exec("CREATE TABLE notes (text TEXT)");
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const page = (nonce: string, text = "side") => new Response(`<p>${text}</p><script nonce="${nonce}"></script>`, { headers: { "Content-Type": "text/html" } });

  it("renders a page once for many visitors, and again after any write, from this connection or another", async () => {
    let renders = 0;
    const cache = new PageCache(database.sqlite, { seconds: 60 });
    const visit = (nonce: string) =>
      cache.serve(new Request("http://portal/challenges"), nonce, async () => {
        renders++;
        return page(nonce, `udgave ${renders}`);
      });
    expect(await (await visit("n1")).text()).toBe('<p>udgave 1</p><script nonce="n1"></script>');
    expect(await (await visit("n2")).text()).toBe('<p>udgave 1</p><script nonce="n2"></script>');
    expect(renders).toBe(1);

    database.sqlite.prepare("INSERT INTO notes VALUES ('ny')").run();
    expect(await (await visit("n3")).text()).toBe('<p>udgave 2</p><script nonce="n3"></script>');

    const other = openDatabase(path.join(dir, "cache.sqlite"));
    other.sqlite.prepare("INSERT INTO notes VALUES ('fra en anden')").run();
    await other.close();
    expect(await (await visit("n4")).text()).toBe('<p>udgave 3</p><script nonce="n4"></script>');
    expect(await (await visit("n5")).text()).toBe('<p>udgave 3</p><script nonce="n5"></script>');
    expect(renders).toBe(3);
  });

  it("renders again when the time is up, and keeps nothing for signed-in people, refusals or fallbacks", async () => {
    let now = 0;
    let renders = 0;
    const cache = new PageCache(database.sqlite, { seconds: 30, now: () => now });
    const visit = (init: { cookie?: string; status?: number; fallback?: boolean; url?: string } = {}) =>
      cache.serve(new Request(init.url ?? "http://portal/", { headers: init.cookie ? { Cookie: init.cookie } : {} }), "n", async (verdict) => {
        renders++;
        if (init.fallback) verdict.keep = false;
        return new Response("side", { status: init.status ?? 200 });
      });
    await visit();
    now = 29_000;
    await visit();
    expect(renders).toBe(1);
    now = 30_000;
    await visit();
    expect(renders).toBe(2);

    for (const init of [{ cookie: "samskab_session=abc" }, { url: "http://portal/x", status: 404 }, { url: "http://portal/y", fallback: true }]) {
      await visit(init);
      await visit(init);
    }
    expect(renders).toBe(8);
    // The language cookie picks another page, not no page.
    await visit({ cookie: "lang=en" });
    await visit({ cookie: "lang=en" });
    expect(renders).toBe(9);
  });
});

describe("the portal's pages, with the page cache on", () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal({ pageCacheSeconds: 300 });
    await portal.settled();
  });
  afterAll(() => portal.close());

  it("shows visitors a challenge as soon as it is published, and finds it as soon as it is indexed", async () => {
    const search = "/challenges?q=hulebjørne";
    expect(resultIds(await portal.html(search))).toEqual([]);
    const frontBefore = await portal.html("/");
    expect(frontBefore).not.toContain("Hulebjørne i Valby");

    const id = await makeChallenge(portal.database.db, { title: "Hulebjørne i Valby mangler vinterhi" });
    portal.indexer.nudge();
    expect(await portal.html(`/challenges/${id}`)).toContain("Hulebjørne i Valby");
    await portal.settled();
    expect(resultIds(await portal.html(search))).toEqual([id]);
  });

  it("gives every answer its own nonce, the one its policy names, on every script", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await portal.get("/solutions");
      const nonce = nonceOf(res);
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(3);
  });

  it("answers a visitor who chose English in English after a Danish visitor, and the reverse", async () => {
    expect(await portal.html("/challenges?sort=deadline")).toContain('lang="da"');
    const english = await portal.get("/challenges?sort=deadline", { headers: { Cookie: "lang=en" } });
    expect(await english.text()).toContain('lang="en"');
    expect(await portal.html("/challenges?sort=deadline")).toContain('lang="da"');
  });

  it("never gives a signed-in person the page a visitor without an account got", async () => {
    expect(await portal.html("/")).not.toContain('action="/logout"');
    const entrepreneur = await signedIn(portal, "entrepreneur@samskab.example");
    expect(await entrepreneur.html("/")).toContain('action="/logout"');
  });
});

describe("with Meilisearch stopped and started again, and nothing written meanwhile", () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it("does not keep serving the page made while search was down", async () => {
    const own = await startPortalWithOwnSearch({ pageCacheSeconds: 300 });
    cleanups.push(() => own.close());
    const { portal } = own;
    await own.stopSearch();
    expect(await portal.html("/challenges?q=ensomhed")).toContain("Søgningen er begrænset lige nu.");

    await own.restartSearch();
    expect(await portal.html("/challenges?q=ensomhed")).not.toContain("Søgningen er begrænset");
  });
});
