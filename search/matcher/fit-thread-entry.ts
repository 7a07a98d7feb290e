// The worker thread's side of fit-thread.ts: fit, answer once, end.
import { parentPort, workerData } from "node:worker_threads";
import type { FitRequest } from "./fit-thread";
import { fitModel } from "./model";
import { matcherLexicon } from "./resources";

const request = workerData as FitRequest;
parentPort!.postMessage(fitModel(request.texts, matcherLexicon(), request.options));
