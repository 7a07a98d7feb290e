// Running a refit (fit.ts) in a child process. At 20,000 records a fit takes a minute of CPU
// and over a gigabyte at its peak; in a worker thread that memory was still the portal's, and
// receiving the fitted rows and storing them held the server's thread for seconds. The child
// opens the same SQLite file (WAL: the portal keeps reading and writing meanwhile), stores the
// model and the features and queues what follows itself, and answers with a few numbers.
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { FitOutcome } from "./fit";

export interface FitProcessRequest {
  databaseFile: string;
  /** ISO time the model is fitted "at" (tests); now when absent. */
  now?: string;
  /** Queue the search documents and suggestions the new model makes outdated (fit.ts). */
  queue: boolean;
}

export type FitProcessAnswer = ({ ok: true; peakRssKb: number } & FitOutcome) | { ok: false; error: string };

export interface FitProcessOutcome extends FitOutcome {
  /** The fitting process's peak resident memory, in kB. */
  peakRssKb: number;
}

/** Fits in a child process; `signal` stops it (the portal stopping), which rejects. */
export function fitInProcess(request: FitProcessRequest, signal?: AbortSignal): Promise<FitProcessOutcome> {
  // The child loads TypeScript as the portal does, through tsx, named by file so that the
  // child's working folder does not matter.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const entry = new URL("./fit-process-entry.ts", import.meta.url);
  // Stopped half-way, the child leaves the records it had not reached under the old version, as a
  // crash would (fit.ts); the next start notices and refits.
  const child = fork(entry, [JSON.stringify(request)], { execArgv: ["--import", tsx], stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "json", signal });
  return new Promise((resolve, reject) => {
    let answer: FitProcessAnswer | undefined;
    child.once("message", (message) => {
      answer = message as FitProcessAnswer;
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (answer?.ok) resolve({ version: answer.version, records: answer.records, peakRssKb: answer.peakRssKb });
      else if (answer) reject(new Error(`the fitting process failed: ${answer.error}`));
      else reject(new Error(`the fitting process stopped without an answer (${signal ?? `exit code ${code}`})`));
    });
  });
}
