// Runs the migrations in db/migrations/ in order. The list is static so a bundler sees every
// migration and no file-system scanning happens at run time.
import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { DB } from "./client";
import * as m0001 from "./migrations/0001-initial";
import * as m0002 from "./migrations/0002-accounts";
import * as m0003 from "./migrations/0003-matcher";
import * as m0004 from "./migrations/0004-curation";
import * as m0005 from "./migrations/0005-trust";
import * as m0006 from "./migrations/0006-counts";

const migrations: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-accounts": m0002,
  "0003-matcher": m0003,
  "0004-curation": m0004,
  "0005-trust": m0005,
  "0006-counts": m0006,
};

const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

export async function migrateToLatest(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export async function migrateDown(db: DB): Promise<string | undefined> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateDown();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results?.[0]?.migrationName;
}
