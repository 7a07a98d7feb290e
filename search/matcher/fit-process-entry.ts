// The fitting process's side of fit-process.ts: open the database, fit and store, answer once
// with the outcome and this process's peak memory, end.
import { openDatabase, type OpenDatabase } from "../../db/client";
import { fitAndStore } from "./fit";
import type { FitProcessAnswer, FitProcessRequest } from "./fit-process";
import { matcherLexicon } from "./resources";

const request = JSON.parse(process.argv[2] ?? "{}") as FitProcessRequest;
// A portal that went away before the answer wants no more writes from here.
let answered = false;
process.once("disconnect", () => {
  if (!answered) process.exit(1);
});
let database: OpenDatabase | undefined;
let answer: FitProcessAnswer;
try {
  database = openDatabase(request.databaseFile);
  const outcome = await fitAndStore(database.db, { lexicon: matcherLexicon(), now: request.now ? new Date(request.now) : undefined, queue: request.queue });
  answer = { ok: true, ...outcome, peakRssKb: process.resourceUsage().maxRSS };
} catch (error) {
  answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
} finally {
  await database?.close();
}
answered = true;
process.send!(answer, () => process.disconnect());
