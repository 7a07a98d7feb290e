// `npm run bench`: how fast the portal indexes and matches at city scale, with figures for the
// README. It generates a synthetic corpus (scripts/lib/synthetic.ts), stores it through the
// portal's own write functions into a throwaway SQLite file, fits the matcher and fills a
// Meilisearch index the way `npm run match` does (scripts/lib/match-run.ts), then times
// "matches for one challenge" against the floor of one raw Meilisearch search.
//
//   npm run bench -- [--solutions N] [--challenges N] [--queries N] [--seed N]
//
// Meilisearch is embedded in a temporary folder unless MEILI_URL (and MEILI_MASTER_KEY) is set;
// then the bench uses indexes under a unique prefix and deletes them afterwards. Progress goes
// to stderr, the results to stdout. Exit codes: 0 done, 1 the run failed, 2 the arguments are wrong.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { openDatabase, type OpenDatabase } from "../db/client";
import { createLogger } from "../db/log";
import { migrateToLatest } from "../db/migrate";
import { createChallenge } from "../db/queries/challenges";
import { listEmbeddings } from "../db/queries/matcher";
import { createNamedOrganisation, listAdministrations } from "../db/queries/organisations";
import { discardTopic, outboxStats } from "../db/outbox";
import { createSolution } from "../db/queries/solutions";
import { loadReferenceData } from "../db/reference";
import { createSearchContext, dropIndexes, indexName, type SearchContext } from "../search/client";
import { words } from "../search/danish";
import { EmbeddedMeili } from "../search/embedded-meili";
import { SearchIndexer } from "../search/indexer";
import { loadStopWords } from "../search/lexicon";
import { EMBEDDER_NAME, Matcher } from "../search/matcher/engine";
import { bufferToEmbedding } from "../search/matcher/records";
import { ensureIndex } from "../search/settings";
import { loadConfigOrExit } from "./lib/config";
import { keepHeapLean } from "./lib/heap";
import { localMeiliPid, procStatusKb } from "./lib/processes";
import { hash32, SeededRandom, SyntheticCorpus, type SyntheticChallenge, type SyntheticSolution } from "./lib/synthetic";

const USAGE = `usage: npm run bench -- [--solutions N] [--challenges N] [--queries N] [--seed N]
  --solutions N    solutions to generate and index (default 20000)
  --challenges N   challenges to generate and index (default 2000)
  --queries N      challenges to time "matches for one challenge" on (default 200, after 20 warm-up)
  --seed N         seed of the synthetic corpus and of the query sample (default 1)
  MEILI_URL and MEILI_MASTER_KEY: use that Meilisearch instead of an embedded one`;

const WARM_UP = 20;
const TOP = 10;

class UsageError extends Error {}

interface Options {
  solutions: number;
  challenges: number;
  queries: number;
  seed: number;
}

function parseOptions(argv: string[]): Options | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        solutions: { type: "string" },
        challenges: { type: "string" },
        queries: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const whole = (name: string, fallback: number, min: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}`);
    return n;
  };
  return { solutions: whole("solutions", 20_000, 1), challenges: whole("challenges", 2_000, 1), queries: whole("queries", 200, 1), seed: whole("seed", 1, 0) };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const runStarted = performance.now();

function progress(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - runStarted) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

interface Summary {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles. */
function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, max: sorted[sorted.length - 1]! };
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const megabytes = (kb: number | undefined) => (kb === undefined ? "n/a" : `${int(kb / 1024)} MB`);

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** Time covered by the intervals, overlaps counted once (the tasks of one batch share their times). */
function busyMs(intervals: Array<[number, number]>): number {
  const sorted = intervals.filter(([a, b]) => b >= a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  let start = -Infinity;
  for (const [a, b] of sorted) {
    if (a > end) {
      if (end > start) total += end - start;
      start = a;
      end = b;
    } else end = Math.max(end, b);
  }
  if (end > start) total += end - start;
  return total;
}

/** A short keyword query: the first three distinctive words of the challenge's title (then its text). */
function keywordQuery(c: SyntheticChallenge, stopWords: Set<string>): string {
  const picked: string[] = [];
  for (const w of [...words(c.title), ...words(c.description)]) {
    if (w.length < 4 || stopWords.has(w) || /^\d+$/.test(w) || picked.includes(w)) continue;
    picked.push(w);
    if (picked.length === 3) break;
  }
  return picked.join(" ");
}

// ---------------------------------------------------------------------------------------------
// The run

interface Corpus {
  challengeIds: number[];
  /** The generated challenges, only what the queries need. */
  challengeQueries: Map<number, SyntheticChallenge>;
  organisations: number;
  words: { challenges: number; solutions: number };
  english: { challenges: number; solutions: number };
  generateMs: number;
  storeMs: number;
}

/** Generates and stores the corpus record by record; only the portal's writes are timed as "store". */
async function storeCorpus(database: OpenDatabase, options: Options, queryIndexes: Set<number>): Promise<Corpus> {
  const db = database.db;
  const corpus = new SyntheticCorpus({ seed: options.seed });
  const administrations = new Map(
    (await listAdministrations(db)).map((a) => [a.code!, a.id]),
  );
  const organisationIds = new Map<string, number>();
  let generateMs = 0;
  let storeMs = 0;
  const counted = { words: { challenges: 0, solutions: 0 }, english: { challenges: 0, solutions: 0 } };
  const countWords = (t: string) => t.split(/\s+/).filter(Boolean).length;

  const challengeIds: number[] = [];
  const challengeQueries = new Map<number, SyntheticChallenge>();
  for (let i = 0; i < options.challenges; i++) {
    let t = performance.now();
    const c = corpus.challenge(i);
    generateMs += performance.now() - t;
    counted.words.challenges += countWords(c.description);
    if (c.language === "en") counted.english.challenges++;
    t = performance.now();
    const ownerOrganisationId = administrations.get(c.administration);
    if (ownerOrganisationId === undefined) throw new Error(`unknown administration ${c.administration}`);
    const id = await createChallenge(db, {
      title: c.title,
      summary: c.summary,
      description: c.description,
      language: c.language,
      ownerOrganisationId,
      coOwnerIds: [],
      outcomeHoped: c.outcomeHoped,
      outcomeMeasure: c.outcomeMeasure,
      budgetMinDkk: c.budgetMinDkk,
      budgetMaxDkk: c.budgetMaxDkk,
      procurementRoute: null,
      deadline: null,
      contactTeam: null,
      contactEmail: null,
      status: c.status,
      createdBy: null,
      wholeCity: c.wholeCity,
      districts: c.districts,
      sdgGoals: c.sdgGoals,
      sdgTargets: c.sdgTargets,
      targetGroups: c.targetGroups,
    });
    storeMs += performance.now() - t;
    challengeIds.push(id);
    if (queryIndexes.has(i)) challengeQueries.set(id, c);
    if ((i + 1) % 500 === 0 || i + 1 === options.challenges) progress(`stored ${int(i + 1)}/${int(options.challenges)} challenges`);
  }

  const storeSolution = async (s: SyntheticSolution) => {
    let organisationId = organisationIds.get(s.organisation.name);
    if (organisationId === undefined) {
      organisationId = await createNamedOrganisation(db, s.organisation.kind, s.organisation.name);
      organisationIds.set(s.organisation.name, organisationId);
    }
    await createSolution(db, {
      title: s.title,
      summary: s.summary,
      description: s.description,
      language: s.language,
      organisationId,
      stage: s.stage,
      evidence: s.evidence,
      priceModel: s.priceModel,
      status: s.status,
      createdBy: null,
      wholeCity: s.wholeCity,
      districts: s.districts,
      sdgGoals: s.sdgGoals,
      sdgTargets: s.sdgTargets,
      targetGroups: s.targetGroups,
    });
  };
  for (let i = 0; i < options.solutions; i++) {
    let t = performance.now();
    const s = corpus.solution(i);
    generateMs += performance.now() - t;
    counted.words.solutions += countWords(s.description);
    if (s.language === "en") counted.english.solutions++;
    t = performance.now();
    await storeSolution(s);
    storeMs += performance.now() - t;
    if ((i + 1) % 2000 === 0 || i + 1 === options.solutions) progress(`stored ${int(i + 1)}/${int(options.solutions)} solutions`);
  }
  // As in runMatch: the matcher is called directly, the queued refreshes are not needed.
  const t = performance.now();
  await discardTopic(db, "match.refresh");
  storeMs += performance.now() - t;
  return { challengeIds, challengeQueries, organisations: organisationIds.size, ...counted, generateMs, storeMs };
}

/** Times one call per item after the warm-up; `run` returns how many results it got. */
async function timeEach<T>(items: T[], warmUp: T[], run: (item: T) => Promise<number>): Promise<{ ms: number[]; results: number }> {
  for (const item of warmUp) await run(item);
  const ms: number[] = [];
  let results = 0;
  for (const item of items) {
    const t = performance.now();
    results += await run(item);
    ms.push(performance.now() - t);
  }
  return { ms, results };
}

async function main(options: Options): Promise<void> {
  // The portal's heap setting (as `npm start` makes it), so its peak memory is what a portal's is.
  keepHeapLean();
  const config = loadConfigOrExit();
  const log = createLogger("warn");
  const date = new Date();
  // Other work on the machine skews every figure; the block says how busy it was.
  const loadAtStart = os.loadavg()[0]!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-bench-"));
  const sqliteFile = path.join(dir, "bench.sqlite");
  const database = openDatabase(sqliteFile);
  // A throwaway database: durability buys nothing here, speed does (as in runMatch).
  database.sqlite.pragma("synchronous = OFF");
  let meili: EmbeddedMeili | undefined;
  let search: SearchContext | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (search && config.meiliUrl) await dropIndexes(search).catch(() => undefined);
    await meili?.stop();
    await database.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = () => {
    progress("interrupted; cleaning up");
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const db = database.db;
    await migrateToLatest(db);
    await loadReferenceData(db);

    // The challenges to time, drawn before storing so only their texts are kept.
    const rng = new SeededRandom(hash32(`bench-queries:${options.seed}`));
    const order = rng.shuffle(Array.from({ length: options.challenges }, (_, i) => i));
    const wanted = WARM_UP + options.queries;
    const sample = Array.from({ length: wanted }, (_, i) => order[i % order.length]!);
    const reused = wanted > order.length;

    progress(`generating and storing ${int(options.challenges)} challenges and ${int(options.solutions)} solutions (seed ${options.seed})`);
    const corpus = await storeCorpus(database, options, new Set(sample));
    const records = options.challenges + options.solutions;
    // maxRSS never goes down: read after each phase, it says which phase set the peak.
    const peakKb = { stored: process.resourceUsage().maxRSS, fitted: 0, indexed: 0 };
    progress(`stored ${int(records)} records in ${seconds(corpus.storeMs)} (generating them took ${seconds(corpus.generateMs)}); peak RSS ${megabytes(peakKb.stored)}`);

    let meiliPid: number | undefined;
    let meiliKind: string;
    if (config.meiliUrl) {
      search = createSearchContext({ url: config.meiliUrl, apiKey: config.meiliMasterKey, indexPrefix: `bench_${crypto.randomBytes(5).toString("hex")}_`, timeoutMs: 60_000 });
      meiliPid = new URL(config.meiliUrl).hostname.match(/^(127\.|localhost$|\[::1\]$)/) ? localMeiliPid() : undefined;
      meiliKind = `external at ${new URL(config.meiliUrl).host}`;
    } else {
      meili = new EmbeddedMeili({ dir: path.join(dir, "meili"), log, supervise: false });
      const url = await meili.start();
      search = createSearchContext({ url, apiKey: meili.masterKey, indexPrefix: "bench_", timeoutMs: 60_000 });
      meiliPid = meili.pid;
      meiliKind = "embedded";
    }
    const version = (await search.client.getVersion()).pkgVersion;
    let t = performance.now();
    await ensureIndex(search, "challenges");
    await ensureIndex(search, "solutions");
    const settingsMs = performance.now() - t;
    progress(`Meilisearch ${version} (${meiliKind}${meiliPid ? `, pid ${meiliPid}` : ""}) ready; index settings applied in ${seconds(settingsMs)}`);

    progress("fitting the matcher's model and every record's features");
    // As the portal fits: in a process of its own on the same SQLite file. How long this (the
    // server's) thread is held up meanwhile, loading the new model and queueing work included,
    // says whether requests keep being answered.
    const matcher = new Matcher(db, search, { log, fitProcess: { databaseFile: sqliteFile } });
    // A 10 ms ticker: the longest gap between its ticks is how long the thread was held up.
    // (perf_hooks' monitorEventLoopDelay reported 20 ms across a measured 558 ms block here.)
    let lastTick = performance.now();
    let longestGapMs = 0;
    const loopTicker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - lastTick);
      lastTick = now;
    }, 10);
    t = performance.now();
    const fitted = await matcher.refit();
    clearInterval(loopTicker);
    longestGapMs = Math.max(longestGapMs, performance.now() - lastTick);
    await discardTopic(db, "match.refresh");
    const fitMs = performance.now() - t;
    peakKb.fitted = process.resourceUsage().maxRSS;
    progress(`fitted the model on ${int(fitted.records)} texts in ${seconds(fitMs)}; peak RSS ${megabytes(peakKb.fitted)}, of the fitting process ${megabytes(fitted.fitProcessPeakRssKb)}`);

    progress("indexing in Meilisearch (documents with vectors)");
    const pendingDocuments = async () => (await outboxStats(db, "search.index")).pending;
    const ticker = setInterval(() => {
      void pendingDocuments().then((n) => progress(`  ${int(records - n)}/${int(records)} documents sent`));
    }, 15_000);
    const indexStarted = new Date();
    t = performance.now();
    try {
      await new SearchIndexer(db, search, { log, batchSize: 2000 }).drain(30 * 60_000);
    } finally {
      clearInterval(ticker);
    }
    const indexMs = performance.now() - t;
    const left = await pendingDocuments();
    if (left > 0) throw new Error(`${left} documents were not indexed`);
    const solutionsIndex = search.client.index(indexName(search, "solutions"));
    const indexed = (await solutionsIndex.getStats()).numberOfDocuments + (await search.client.index(indexName(search, "challenges")).getStats()).numberOfDocuments;
    const tasks = await search.client.tasks.getTasks({
      indexUids: [indexName(search, "challenges"), indexName(search, "solutions")],
      types: ["documentAdditionOrUpdate"],
      afterEnqueuedAt: indexStarted.toISOString(),
      limit: 1000,
    });
    const meiliBusyMs = busyMs(
      tasks.results.filter((task) => task.startedAt && task.finishedAt).map((task) => [Date.parse(task.startedAt!), Date.parse(task.finishedAt!)]),
    );
    peakKb.indexed = process.resourceUsage().maxRSS;
    progress(`indexed ${int(indexed)} documents in ${seconds(indexMs)} (Meilisearch busy ${seconds(meiliBusyMs)}); peak RSS ${megabytes(peakKb.indexed)}`);

    // Timed: the same challenges for every measure, after the same warm-up.
    const warmIds = sample.slice(0, WARM_UP).map((i) => corpus.challengeIds[i]!);
    const timedIds = sample.slice(WARM_UP).map((i) => corpus.challengeIds[i]!);
    const allIds = [...warmIds, ...timedIds];

    progress(`timing matcher.rank("challenge", id, ${TOP}) on ${timedIds.length} challenges`);
    const rankRun = await timeEach(timedIds, warmIds, async (id) => (await matcher.rank("challenge", id, TOP)).length);

    const stopWords = new Set(loadStopWords());
    const queryOf = new Map(allIds.map((id) => [id, keywordQuery(corpus.challengeQueries.get(id)!, stopWords)]));
    progress("timing one raw keyword search per challenge");
    const keywordRun = await timeEach(timedIds, warmIds, async (id) => (await solutionsIndex.search(queryOf.get(id)!, { limit: TOP })).hits.length);

    const embeddings = await listEmbeddings(db, "challenge", allIds);
    const vectorOf = new Map<number, number[]>();
    for (const [id, buffer] of embeddings) {
      const v = Array.from(bufferToEmbedding(buffer));
      if (v.some((x) => x !== 0)) vectorOf.set(id, v);
    }
    const withVector = (ids: number[]) => ids.filter((id) => vectorOf.has(id));
    progress("timing one raw vector search per challenge");
    const vectorRun = await timeEach(
      withVector(timedIds),
      withVector(warmIds),
      async (id) => (await solutionsIndex.search(null, { vector: vectorOf.get(id)!, hybrid: { embedder: EMBEDDER_NAME, semanticRatio: 1 }, limit: TOP })).hits.length,
    );

    const portalPeakKb = process.resourceUsage().maxRSS;
    const meiliPeakKb = meiliPid ? procStatusKb(meiliPid, "VmHWM") : undefined;
    const meiliNowKb = meiliPid ? procStatusKb(meiliPid, "VmRSS") : undefined;
    const sqliteBytes = [sqliteFile, `${sqliteFile}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
    const meiliBytes = meili ? directoryBytes(path.join(dir, "meili", "data.ms")) : undefined;
    const totalMs = performance.now() - runStarted;

    // -----------------------------------------------------------------------------------------
    const rank = summarise(rankRun.ms);
    const keyword = summarise(keywordRun.ms);
    const vector = vectorRun.ms.length > 0 ? summarise(vectorRun.ms) : undefined;
    const cpus = os.cpus();
    const pipelineMs = corpus.storeMs + fitMs + indexMs;
    const row = (label: string, ms: number, count: number, note = "") =>
      `  ${label.padEnd(46)}${seconds(ms).padStart(9)}${int((count / ms) * 1000).padStart(9)} docs/s${note ? `   ${note}` : ""}`;
    const timing = (label: string, s: Summary) =>
      `  ${label.padEnd(44)}p50 ${millis(s.p50).padStart(9)}   p95 ${millis(s.p95).padStart(9)}   mean ${millis(s.mean).padStart(9)}   max ${millis(s.max).padStart(9)}   (n=${s.n})`;
    const lines = [
      "",
      `Samskab bench, ${date.toISOString().slice(0, 10)} (${date.toISOString()})`,
      `  machine   ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
      `  load      1-minute load average ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end (${cpus.length} CPUs)`,
      `  search    Meilisearch ${version}, ${meiliKind}`,
      `  corpus    ${int(options.solutions)} solutions (mean ${int(corpus.words.solutions / options.solutions)} words, ${((corpus.english.solutions / options.solutions) * 100).toFixed(0)}% English), ` +
        `${int(options.challenges)} challenges (mean ${int(corpus.words.challenges / options.challenges)} words, ${((corpus.english.challenges / options.challenges) * 100).toFixed(0)}% English), ` +
        `${int(corpus.organisations)} organisations; seed ${options.seed}; generated in ${seconds(corpus.generateMs)} (not counted below)`,
      "",
      `${`Indexing ${int(records)} records`.padEnd(48)}${"time".padStart(9)}${"rate".padStart(9)}`,
      row("store in SQLite (createChallenge/-Solution)", corpus.storeMs, records),
      row("fit matcher model + features (refit)", fitMs, fitted.records, `in its own process; longest the server's thread was held up meanwhile ${int(longestGapMs)} ms`),
      row("Meilisearch incl. vectors (drain)", indexMs, indexed, `Meilisearch busy ${seconds(meiliBusyMs)}, index settings ${seconds(settingsMs)} before`),
      row("total", pipelineMs, records),
      "",
      `Matches for one challenge: matcher.rank("challenge", id, ${TOP}), ${rank.n} challenges after ${warmIds.length} warm-up${reused ? " (challenges reused: fewer than asked)" : ""}`,
      timing("matcher.rank", rank) + `   ${(rankRun.results / rank.n).toFixed(1)} partners each`,
      `Raw Meilisearch, one search on the solutions index (${int(options.solutions)} documents), same challenges`,
      timing("keyword: 3 words of the title, limit 10", keyword) + `   ${(keywordRun.results / keyword.n).toFixed(1)} hits each`,
      vector
        ? timing("vector: the stored embedding, limit 10", vector) + `   ${(vectorRun.results / vector.n).toFixed(1)} hits each`
        : "  vector: no challenge had a non-zero embedding",
      `  matcher p95 / raw keyword p95: ${(rank.p95 / keyword.p95).toFixed(1)}×` + (vector ? `   (matcher p95 / raw vector p95: ${(rank.p95 / vector.p95).toFixed(1)}×)` : ""),
      "",
      "Memory",
      `  portal process, peak RSS (maxRSS)     ${megabytes(portalPeakKb).padStart(9)}   (peak so far after storing ${megabytes(peakKb.stored)}, after refit ${megabytes(peakKb.fitted)}, after indexing ${megabytes(peakKb.indexed)})`,
      `  fitting process, peak RSS (maxRSS)    ${megabytes(fitted.fitProcessPeakRssKb).padStart(9)}   (a child of the portal's, only during a refit)`,
      `  Meilisearch process, peak RSS (VmHWM) ${megabytes(meiliPeakKb).padStart(9)}${meiliNowKb ? `   (now ${megabytes(meiliNowKb)})` : meiliPid ? "" : "   (not on this machine, or not found)"}`,
      `  on disk: SQLite ${int(sqliteBytes / 1024 ** 2)} MB${meiliBytes !== undefined ? `, Meilisearch ${int(meiliBytes / 1024 ** 2)} MB` : ""}`,
      "",
      `Whole run ${duration(totalMs)} (generation, indexing, timing; clean-up not included)`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await cleanup();
  }
}

let options: Options | "help";
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  throw error;
}
if (options === "help") {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    await main(options);
  } catch (error) {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
}
