// Once per test run: build the portal if its build is stale (browser and HTTP tests serve the
// production build), start one real Meilisearch on a free loopback port for every worker, and
// build the base databases the test files copy (tests/setup/base-database.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBuild } from "../../scripts/lib/build";
import { EmbeddedMeili } from "../../search/embedded-meili";
import { buildBaseDatabases } from "./base-database";

declare module "vitest" {
  export interface ProvidedContext {
    meiliUrl: string;
    meiliKey: string;
    /** A migrated database with the reference data, to copy. */
    baseMigratedDatabase: string;
    /** A settled demo database (content, fitted model, suggestions), to copy. */
    baseDemoDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureBuild((m) => process.stderr.write(`${m}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-test-meili-"));
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-test-base-"));
  const meili = new EmbeddedMeili({ dir });
  const stop = async () => {
    await meili.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(baseDir, { recursive: true, force: true });
  };
  try {
    const url = await meili.start();
    const base = await buildBaseDatabases(baseDir, { url, masterKey: meili.masterKey });
    project.provide("meiliUrl", url);
    project.provide("meiliKey", meili.masterKey);
    project.provide("baseMigratedDatabase", base.migrated);
    project.provide("baseDemoDatabase", base.demo);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
