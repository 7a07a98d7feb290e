// A real, migrated SQLite file with the reference data loaded, one per test file: a copy of the
// one the global setup migrated for this run (tests/setup/base-database.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase, type OpenDatabase } from "../../db/client";

export interface TestDatabase extends OpenDatabase {
  file: string;
  dir: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-test-db-"));
  const file = path.join(dir, "test.sqlite");
  fs.copyFileSync(inject("baseMigratedDatabase"), file);
  const opened = openDatabase(file);
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
