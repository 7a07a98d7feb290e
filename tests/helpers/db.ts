// A real, migrated SQLite file with the reference data loaded, one per test file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type OpenDatabase } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { loadReferenceData } from "../../db/reference";

export interface TestDatabase extends OpenDatabase {
  file: string;
  dir: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-test-db-"));
  const file = path.join(dir, "test.sqlite");
  const opened = openDatabase(file);
  await migrateToLatest(opened.db);
  await loadReferenceData(opened.db);
  return {
    ...opened,
    file,
    dir,
    async destroy() {
      await opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
