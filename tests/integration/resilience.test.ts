// What happens when things die: Meilisearch stopped or killed while the portal runs, and the
// portal itself killed with -9 while writes wait in the outbox.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { createChallenge } from "../../db/queries/challenges";
import { indexName } from "../../search/client";
import { freePort, readRuntime } from "../../search/embedded-meili";
import { challengeInput } from "../helpers/factories";
import { resultIds, startPortalWithOwnSearch, startTestPortal, type TestPortal } from "../helpers/portal";
import { waitUntil } from "../helpers/search";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function portalWith(overrides: Parameters<typeof startTestPortal>[0]): Promise<TestPortal> {
  const portal = await startTestPortal(overrides);
  cleanups.push(() => portal.close());
  return portal;
}

async function writeFive(portal: TestPortal, word: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const input = await challengeInput(portal.database.db, { title: `Skrevet under nedbrud nr. ${i} om ${word}` });
    ids.push(await createChallenge(portal.database.db, input));
  }
  portal.indexer.nudge();
  return ids;
}

async function searchHits(portal: TestPortal, q: string): Promise<number> {
  const result = await portal.search.client.index(indexName(portal.search, "challenges")).search(q);
  return result.estimatedTotalHits ?? 0;
}

describe("with Meilisearch stopped", () => {
  it("answers list and detail pages from SQLite with a notice, keeps writes, and indexes them when search is back", async () => {
    const own = await startPortalWithOwnSearch();
    cleanups.push(() => own.close());
    const { portal } = own;
    await own.stopSearch();

    for (const p of ["/", "/challenges", "/solutions", "/challenges?q=ældre&district=bispebjerg", "/challenges/1"]) {
      expect((await portal.get(p)).status, p).toBe(200);
    }
    const list = await portal.html("/challenges?q=ensomhed");
    expect(list).toContain("Søgningen er begrænset lige nu.");
    expect(resultIds(list).length).toBeGreaterThan(0);

    const ids = await writeFive(portal, "pindsvin");
    const fallback = await portal.html("/challenges?q=pindsvin");
    expect(resultIds(fallback).sort()).toEqual([...ids].sort());
    const pending = await portal.database.db.selectFrom("outbox").select("id").where("status", "=", "pending").where("topic", "=", "search.index").execute();
    expect(pending).toHaveLength(5);

    await own.restartSearch();
    await waitUntil(async () => (await searchHits(portal, "pindsvin")) === 5, 10_000, "the five writes to be searchable");
    // A visitor searching now gets the five from Meilisearch again: without the notice, and
    // through its typo tolerance, which the database fallback does not have.
    const back = await portal.html("/challenges?q=pindsvin");
    expect(back).not.toContain("Søgningen er begrænset");
    expect(resultIds(back).sort()).toEqual([...ids].sort());
    const typo = await portal.html("/challenges?q=pindsvn");
    expect(typo).not.toContain("Søgningen er begrænset");
    expect(resultIds(typo).sort()).toEqual([...ids].sort());
  });
});

describe("with the embedded Meilisearch killed", () => {
  it("restarts it and indexes the writes made meanwhile within 10 s of it being healthy", async () => {
    const portal = await portalWith({ meiliUrl: undefined, meiliMasterKey: undefined, demoData: false });
    await createChallenge(portal.database.db, await challengeInput(portal.database.db, { title: "Fra før nedbruddet" }));
    await portal.settled();
    const pid = portal.meili!.pid!;
    const healthy = new Promise<number>((resolve) => portal.meili!.once("restarted", () => resolve(Date.now())));
    process.kill(pid, "SIGKILL");
    expect((await portal.get("/challenges")).status).toBe(200);
    const ids = await writeFive(portal, "egern");
    await healthy;
    expect(portal.meili!.pid).not.toBe(pid);
    await waitUntil(async () => (await searchHits(portal, "egern")) === 5, 10_000, "the five writes to be searchable");
    // What a visitor sees: the five found by search, and no notice that search is limited.
    const html = await portal.html("/challenges?q=egern");
    expect(html).not.toContain("Søgningen er begrænset");
    expect(resultIds(html).sort()).toEqual([...ids].sort());
  });

  it("lets two portals with their own data folders and ports run side by side", async () => {
    const a = await portalWith({ meiliUrl: undefined, meiliMasterKey: undefined, demoData: false });
    const b = await portalWith({ meiliUrl: undefined, meiliMasterKey: undefined, demoData: true });
    expect(a.dataDir).not.toBe(b.dataDir);
    expect(resultIds(await a.html("/challenges"))).toEqual([]);
    expect(resultIds(await b.html("/challenges")).length).toBeGreaterThan(0);
    // A write to one is found by search in that one only: each has its own database and index.
    const [only] = await writeFive(a, "gnavertrold");
    await a.settled();
    await waitUntil(async () => (await searchHits(a, "gnavertrold")) === 5, 10_000, "a's writes to be searchable");
    expect(resultIds(await a.html("/challenges?q=gnavertrold"))).toContain(only);
    expect(resultIds(await b.html("/challenges?q=gnavertrold"))).toEqual([]);
    expect(resultIds(await a.html("/challenges?q=ensomhed"))).toEqual([]);
    // Stopping one (and its Meilisearch) leaves the other searching.
    await a.stop();
    const still = await b.html("/challenges?q=ensomhed");
    expect(still).not.toContain("Søgningen er begrænset");
    expect(resultIds(still).length).toBeGreaterThan(0);
  });
});

describe("the portal killed with -9", () => {
  function start(env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    child.on("exit", (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
    });
    return child;
  }

  async function healthz(port: number) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return (await res.json()) as { search: string; outbox: { pending: number } };
  }

  it("delivers every row that was pending when it died, after a restart", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-kill9-"));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: "off", LOG_LEVEL: "warn", MEILI_URL: "", MEILI_MASTER_KEY: "" };
    const first = start(env);
    await waitUntil(async () => (await healthz(port)).search === "up", 60_000, "the portal to start");

    // Freeze Meilisearch so deliveries hang, then write behind the portal's back.
    const meiliDir = path.join(dataDir, "meili");
    const meiliPid = readRuntime(meiliDir)!.pid;
    process.kill(meiliPid, "SIGSTOP");
    const other = openDatabase(path.join(dataDir, "samskab.sqlite"));
    const titles: string[] = [];
    for (let i = 1; i <= 5; i++) {
      titles.push(`Ventende skrivning ${i} om vandløb`);
      await createChallenge(other.db, await challengeInput(other.db, { title: titles[i - 1] }));
    }
    await other.close();
    await new Promise((r) => setTimeout(r, 500));
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    process.kill(meiliPid, "SIGCONT");

    const second = start(env);
    await waitUntil(async () => (await healthz(port)).outbox.pending === 0, 60_000, "the outbox to drain after restart");
    // The Meilisearch the dead portal left behind was stopped, not doubled.
    expect(() => process.kill(meiliPid, 0)).toThrow();
    const html = await (await fetch(`http://127.0.0.1:${port}/challenges?q=vandløb`)).text();
    expect(resultIds(html)).toHaveLength(5);
    expect(html).not.toContain("Søgningen er begrænset");

    // SIGTERM stops the portal and its Meilisearch.
    const newMeili = readRuntime(meiliDir)!.pid;
    second.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => second.once("exit", r));
    expect(code).toBe(0);
    expect(() => process.kill(newMeili, 0)).toThrow();
  }, 120_000);
});
