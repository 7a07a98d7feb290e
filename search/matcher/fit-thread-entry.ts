// The worker thread's side of fit-thread.ts: fit, embed and encode every record, answer once, end.
import { parentPort, workerData } from "node:worker_threads";
import type { FitRequest, FitResult } from "./fit-thread";
import { embedAnalyzed, fitModel } from "./model";
import { encodeFeatures, textTags } from "./records";
import { matcherLexicon } from "./resources";

const request = workerData as FitRequest;
const { model, analyzed } = fitModel(
  request.records.map((r) => r.text),
  matcherLexicon(),
  request.options,
);
const rows = request.records.map((r, i) =>
  encodeFeatures(r.kind, r.id, model.version, { ...analyzed[i]!, language: r.text.language, embedding: embedAnalyzed(model, analyzed[i]!), tags: textTags(r.text) }),
);
parentPort!.postMessage({ model, rows } satisfies FitResult);
