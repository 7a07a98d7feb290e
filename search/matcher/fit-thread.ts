// Fitting the matcher's model in a worker thread, so that the portal keeps answering while it
// runs: at 20,000 records a fit takes over a minute of CPU, and in the server's own thread every
// request would wait for it. The thread reads the matcher's own lexicon from its files (a
// lexicon holds functions, which cannot be sent to a thread), fits, embeds and encodes every
// record, and sends back the model and the rows to store: strings and bytes cross cheaply, where
// the analysed texts' Maps would take seconds to rebuild on this side.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FeatureRow, RecordKind } from "../../db/queries/matcher";
import type { MatchModel } from "./model";
import type { MatchText } from "./types";

export interface FitRequest {
  records: Array<{ kind: RecordKind; id: number; text: MatchText }>;
  options: { seed?: number; now?: Date };
}

/** The fitted model and every record's stored form under it (LSA vectors included). */
export interface FitResult {
  model: MatchModel;
  rows: FeatureRow[];
}

export function fitInThread(request: FitRequest): Promise<FitResult> {
  return new Promise((resolve, reject) => {
    // The thread loads TypeScript the way the portal does, through tsx, registered in the
    // thread itself (a loader given on the command line does not reach worker threads). The
    // path is tsx's ESM API, named by file: its "require" export cannot register ESM hooks.
    const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href;
    const entry = new URL("./fit-thread-entry.ts", import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: request });
    let settled = false;
    worker.once("message", (fitted: FitResult) => {
      settled = true;
      // A Buffer arrives as a plain Uint8Array; SQLite's binding wants a Buffer (a view, no copy).
      for (const row of fitted.rows) row.embedding = Buffer.from(row.embedding.buffer, row.embedding.byteOffset, row.embedding.byteLength);
      resolve(fitted);
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the fitting thread stopped with exit code ${code}`));
    });
  });
}
