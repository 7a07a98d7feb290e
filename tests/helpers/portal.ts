// Starts the real portal (production build, Express, outbox worker) in this process, on a free
// port, against a SQLite file of its own and the run's Meilisearch under a prefix of its own.
// With demo data, the file is a copy of the run's settled demo database (see
// tests/setup/base-database.ts): the portal finds it as it would have left a fresh one after
// its first round, and rebuilds its empty search index from it.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { Config } from "../../scripts/lib/config";
import { startPortal, type Portal } from "../../scripts/lib/portal";
import { EmbeddedMeili, freePort } from "../../search/embedded-meili";
import { silentLogger, type Logger } from "../../db/log";
import { dropIndexes } from "../../search/client";
import { waitUntil } from "./search";

export interface TestPortal extends Portal {
  dataDir: string;
  get(pathname: string, init?: RequestInit): Promise<Response>;
  /** A form post as a browser on this site sends it (with its Origin). */
  post(pathname: string, form: Record<string, string | string[]>, cookie?: string): Promise<Response>;
  html(pathname: string): Promise<string>;
  /** Waits until every outbox row is delivered. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "samskab-test-portal-"));
  return {
    dataDir,
    databasePath: path.join(dataDir, "samskab.sqlite"),
    port: 0,
    host: "127.0.0.1",
    publicBaseUrl: "http://127.0.0.1",
    meiliUrl: inject("meiliUrl"),
    meiliMasterKey: inject("meiliKey"),
    meiliIndexPrefix: `test_portal_${crypto.randomBytes(4).toString("hex")}_`,
    demoData: true,
    logLevel: "warn",
    mailFrom: "Samskab <noreply@samskab.example>",
    trustedProxies: [],
    securityContact: "mailto:security@samskab.example",
    ...overrides,
  };
}

/** Copies the base demo database where the portal will look, unless the portal would seed other content or one is there already (a restart). */
function copyBaseDatabase(config: Config): void {
  if (!config.demoData || config.embedder || config.referenceDataDir || fs.existsSync(config.databasePath)) return;
  fs.mkdirSync(path.dirname(config.databasePath), { recursive: true, mode: 0o700 });
  fs.copyFileSync(inject("baseDemoDatabase"), config.databasePath);
}

export async function startTestPortal(overrides: Partial<Config> = {}, log: Logger = silentLogger): Promise<TestPortal> {
  const config = testConfig(overrides);
  copyBaseDatabase(config);
  const portal = await startPortal(config, { log });
  const get = (pathname: string, init?: RequestInit) => fetch(`${portal.url}${pathname}`, { redirect: "manual", ...init });
  return {
    ...portal,
    dataDir: config.dataDir,
    get,
    post(pathname, form, cookie) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
      return get(pathname, {
        method: "POST",
        body,
        headers: { Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
      });
    },
    async html(pathname: string) {
      const res = await get(pathname);
      if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status}`);
      return res.text();
    },
    async settled(timeoutMs = 60_000) {
      await waitUntil(
        async () => {
          const pending = await portal.database.db.selectFrom("outbox").select("id").where("status", "=", "pending").execute();
          return pending.length === 0;
        },
        timeoutMs,
        "the outbox to drain",
      );
    },
    async close() {
      await portal.stop();
      if (config.meiliUrl) await dropIndexes(portal.search).catch(() => undefined);
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** The result ids of a list page, in order, as the page renders them. */
export function resultIds(html: string): number[] {
  return [...html.matchAll(/data-result-id="(\d+)"/g)].map((m) => Number(m[1]));
}

export interface PortalWithOwnSearch {
  portal: TestPortal;
  /** Stops its Meilisearch, as an outage would. */
  stopSearch(): Promise<void>;
  /** Starts its Meilisearch again on the same port and data. */
  restartSearch(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A settled portal on a Meilisearch of its own instead of the run's shared one, so that a test
 * can take search away and bring it back: what an outage looks like from the portal.
 */
export async function startPortalWithOwnSearch(overrides: Partial<Config> = {}): Promise<PortalWithOwnSearch> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-own-search-"));
  const port = await freePort();
  let meili = new EmbeddedMeili({ dir, port, supervise: false });
  const portal = await startTestPortal({ ...overrides, meiliUrl: await meili.start(), meiliMasterKey: meili.masterKey });
  await portal.settled();
  return {
    portal,
    stopSearch: () => meili.stop(),
    async restartSearch() {
      meili = new EmbeddedMeili({ dir, port, masterKey: meili.masterKey, supervise: false });
      await meili.start();
    },
    async close() {
      await portal.close();
      await meili.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
