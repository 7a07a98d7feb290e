// Once per test run: build the portal if its build is stale (browser and HTTP tests serve the
// production build), and start one real Meilisearch on a free loopback port for every worker.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBuild } from "../../scripts/lib/build";
import { EmbeddedMeili } from "../../search/embedded-meili";

declare module "vitest" {
  export interface ProvidedContext {
    meiliUrl: string;
    meiliKey: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureBuild((m) => process.stderr.write(`${m}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-test-meili-"));
  const meili = new EmbeddedMeili({ dir });
  const url = await meili.start();
  project.provide("meiliUrl", url);
  project.provide("meiliKey", meili.masterKey);
  return async () => {
    await meili.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
