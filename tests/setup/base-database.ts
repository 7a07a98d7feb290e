// The databases every test file starts from, built once per run by the global setup and copied
// by each file (as the Epic Stack copies its base database): migrating, seeding the demo data
// (argon2 hashes), fitting the matcher and storing its suggestions took every portal start
// ~20 s of CPU on two cores. Built fresh each run from this run's code, in a temporary folder the
// teardown removes, so a stale copy can never be reused.
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../../db/client";
import { silentLogger } from "../../db/log";
import { migrateToLatest } from "../../db/migrate";
import { loadReferenceData } from "../../db/reference";
import type { Config } from "../../scripts/lib/config";
import { startPortal } from "../../scripts/lib/portal";
import { dropIndexes } from "../../search/client";
import { waitUntil } from "../helpers/search";

export interface BaseDatabases {
  /** Migrated, with the reference data: what createTestDatabase gives. */
  migrated: string;
  /** What a portal with demo data holds once its first start has settled: the demo content, the fitted model, every suggestion. */
  demo: string;
}

/** SQLite keeps recent writes in the -wal file until a checkpoint: fold them in, so one file is the whole database. */
function checkpoint(file: string): void {
  const opened = openDatabase(file);
  opened.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  opened.sqlite.close();
  for (const extra of [`${file}-wal`, `${file}-shm`]) fs.rmSync(extra, { force: true });
}

export async function buildBaseDatabases(dir: string, meili: { url: string; masterKey: string }): Promise<BaseDatabases> {
  const migrated = path.join(dir, "migrated.sqlite");
  const opened = openDatabase(migrated);
  await migrateToLatest(opened.db);
  await loadReferenceData(opened.db);
  await opened.close();
  checkpoint(migrated);

  // The demo database is made by a real portal start, the same path every test portal took
  // before: demo data into the empty database, then the outbox (indexing, the first fit, every
  // suggestion) drained. A portal started on a copy rebuilds its own empty search index from it.
  const dataDir = path.join(dir, "demo");
  const config: Config = {
    dataDir,
    databasePath: path.join(dataDir, "samskab.sqlite"),
    port: 0,
    host: "127.0.0.1",
    publicBaseUrl: "http://127.0.0.1",
    meiliUrl: meili.url,
    meiliMasterKey: meili.masterKey,
    meiliIndexPrefix: "test_base_",
    demoData: true,
    logLevel: "warn",
    mailFrom: "Samskab <noreply@samskab.example>",
    trustedProxies: [],
    securityContact: "mailto:security@samskab.example",
    // No notification round: each copy's portal makes its own first one, as a fresh portal does.
    notifyCheckMs: 0,
  };
  const portal = await startPortal(config, { log: silentLogger });
  try {
    await waitUntil(
      async () => (await portal.database.db.selectFrom("outbox").select("id").where("status", "=", "pending").limit(1).execute()).length === 0,
      180_000,
      "the base database's outbox to drain",
    );
  } finally {
    await portal.stop();
    await dropIndexes(portal.search);
  }
  checkpoint(config.databasePath);
  return { migrated, demo: config.databasePath };
}
