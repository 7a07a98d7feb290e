import fs from "node:fs";
import { openDatabase, type OpenDatabase } from "../../db/client";
import { isEmpty, seedDemoData } from "../../db/demo";
import { migrateToLatest } from "../../db/migrate";
import { loadReferenceData } from "../../db/reference";
import type { Logger } from "../../db/log";
import type { Config } from "./config";

/** Prepares SQLite: migrations, reference data, and the demo content into an empty database. */
export async function prepareDatabase(config: Config, log: Logger): Promise<OpenDatabase> {
  // The data folder (database, Meilisearch's data and key) is the portal's user's alone.
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(config.dataDir, 0o700);
  const database = openDatabase(config.databasePath);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) log.info("database migrated", { applied: applied.join(",") });
  await loadReferenceData(database.db, config.referenceDataDir);
  if (config.demoData && (await isEmpty(database.db))) {
    const seeded = await seedDemoData(database.db);
    log.info("demo data loaded", { ...seeded });
  }
  return database;
}
