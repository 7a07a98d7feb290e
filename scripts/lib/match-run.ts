// `npm run match` without the command line: a throwaway SQLite database and Meilisearch index
// are filled with the given challenges and solutions through the portal's own write functions,
// and the portal's matcher (default weights, no curator data) ranks the solutions of every
// challenge. `npm run eval` and the bench call this too.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DB } from "../../db/client";
import { silentLogger, type Logger } from "../../db/log";
import { migrateToLatest } from "../../db/migrate";
import { createChallenge } from "../../db/queries/challenges";
import { createNamedOrganisation, listAdministrations } from "../../db/queries/organisations";
import { createSolution } from "../../db/queries/solutions";
import { loadReferenceData } from "../../db/reference";
import { foldText } from "../../db/fold";
import { createSearchContext, dropIndexes, indexName, waitForTask, type SearchContext } from "../../search/client";
import { buildDocuments } from "../../search/documents";
import { createReferenceEntry, listReferenceEntries, listSdgTargetIds, loadReferenceLabels, type NamedReferenceTable } from "../../db/queries/reference";
import { discardTopic } from "../../db/outbox";
import { EmbeddedMeili } from "../../search/embedded-meili";
import { detectLanguage } from "../../search/matcher/analyze";
import { Matcher } from "../../search/matcher/engine";
import { ensureIndex } from "../../search/settings";
import type { MatchInput, MatchOutputRow } from "../../search/matcher/input";

export interface RunMatchOptions {
  challenges: MatchInput[];
  solutions: MatchInput[];
  top: number;
  onProgress?: (message: string) => void;
  /** An external Meilisearch (a unique index prefix is used and deleted afterwards). */
  meiliUrl?: string;
  meiliKey?: string;
  log?: Logger;
}

/** Finds reference codes by code or by name (Danish or English, folded); unknown text is kept. */
class ReferenceResolver {
  private readonly byKey = new Map<string, string>();
  private created = 0;

  constructor(
    private readonly db: DB,
    private readonly table: NamedReferenceTable,
    rows: Array<{ code: string; name_da: string; name_en: string }>,
  ) {
    for (const r of rows) for (const k of [r.code, r.name_da, r.name_en]) this.byKey.set(keyOf(k), r.code);
  }

  async resolve(text: string): Promise<string | undefined> {
    const key = keyOf(text);
    if (key === "") return undefined;
    const known = this.byKey.get(key);
    if (known) return known;
    // Kept as text: a reference row of its own, so tags still overlap when both sides name it.
    const code = `x-${key.replace(/[^a-z0-9]+/g, "-").slice(0, 40)}-${++this.created}`;
    await createReferenceEntry(this.db, this.table, { code, name_da: text, name_en: text, sort_order: 1000 + this.created });
    this.byKey.set(key, code);
    return code;
  }
}

function keyOf(text: string): string {
  return foldText(text).replace(/\s+/g, " ").trim();
}

const WHOLE_CITY = new Set(["hele byen", "hele-byen", "whole city", "the whole city", "hele kommunen", "citywide"]);

interface Prepared {
  wholeCity: boolean;
  districts: string[];
  sdgGoals: number[];
  sdgTargets: string[];
  targetGroups: string[];
  language: "da" | "en";
}

async function prepare(db: DB, input: MatchInput, districts: ReferenceResolver, groups: ReferenceResolver, targets: Set<string>): Promise<Prepared> {
  let wholeCity = false;
  const districtCodes: string[] = [];
  for (const d of input.districts) {
    if (WHOLE_CITY.has(keyOf(d))) wholeCity = true;
    else {
      const code = await districts.resolve(d);
      if (code) districtCodes.push(code);
    }
  }
  const sdgGoals = new Set<number>();
  const sdgTargets = new Set<string>();
  for (const s of input.sdgs) {
    const text = String(s).toLowerCase();
    const goal = Number(text.split(".")[0]);
    if (!Number.isInteger(goal) || goal < 1 || goal > 17) continue;
    sdgGoals.add(goal);
    if (text.includes(".") && targets.has(text)) sdgTargets.add(text);
  }
  const targetGroups: string[] = [];
  for (const g of input.targetGroups) {
    const code = await groups.resolve(g);
    if (code) targetGroups.push(code);
  }
  return {
    wholeCity,
    districts: [...new Set(districtCodes)],
    sdgGoals: [...sdgGoals],
    sdgTargets: [...sdgTargets],
    targetGroups: [...new Set(targetGroups)],
    language: input.language ?? detectLanguage(`${input.title}\n${input.description}`),
  };
}

/** Organisations by name: an administration by code or name, anyone else created once. */
class Organisations {
  private readonly cache = new Map<string, number>();

  constructor(private readonly db: DB) {}

  async administration(name: string | undefined): Promise<number> {
    const key = keyOf(name ?? "") || "-";
    const cached = this.cache.get(`a:${key}`);
    if (cached) return cached;
    const all = await listAdministrations(this.db);
    const found = all.find((o) => [o.code, o.name, o.name_en].some((v) => v && keyOf(v) === key));
    const id = found?.id ?? (await this.create("municipal_administration", name?.trim() || "Ukendt forvaltning"));
    this.cache.set(`a:${key}`, id);
    return id;
  }

  async organisation(name: string | undefined): Promise<number> {
    const key = keyOf(name ?? "") || "-";
    const cached = this.cache.get(`o:${key}`);
    if (cached) return cached;
    const id = await this.create("social_enterprise", name?.trim() || "Ukendt organisation");
    this.cache.set(`o:${key}`, id);
    return id;
  }

  private async create(kind: "municipal_administration" | "social_enterprise", name: string): Promise<number> {
    return createNamedOrganisation(this.db, kind, name);
  }
}

const MATCH_CONCURRENCY = 3;
const INDEX_BATCH = 1000;

/**
 * Sends every document to Meilisearch, building the next batch while it indexes the last
 * (the outbox worker waits for each batch; a throwaway index need not), then clears the outbox.
 */
async function indexEverything(db: DB, search: SearchContext, ids: Record<"challenge" | "solution", number[]>): Promise<void> {
  const labels = await loadReferenceLabels(db);
  const tasks: Array<{ taskUid: number }> = [];
  for (const kind of ["challenge", "solution"] as const) {
    const index = search.client.index(indexName(search, kind === "challenge" ? "challenges" : "solutions"));
    for (let i = 0; i < ids[kind].length; i += INDEX_BATCH) {
      const batch = await buildDocuments(
        db,
        ids[kind].slice(i, i + INDEX_BATCH).map((id) => ({ kind, id })),
        labels,
      );
      const docs = kind === "challenge" ? batch.upserts.challenges : batch.upserts.solutions;
      tasks.push(await index.addDocuments(docs as unknown as Record<string, unknown>[], { primaryKey: "id" }));
    }
  }
  for (const task of tasks) {
    const done = await waitForTask(search, task, 30 * 60_000);
    if (done.status !== "succeeded") throw new Error(`Indexing failed: ${done.error?.message ?? done.status}`);
  }
  await discardTopic(db, "search.index");
}

export async function runMatch(options: RunMatchOptions): Promise<MatchOutputRow[]> {
  const progress = options.onProgress ?? (() => undefined);
  const log = options.log ?? silentLogger;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-match-"));
  const database = openDatabase(path.join(dir, "match.sqlite"));
  // A throwaway database: durability buys nothing here, speed does.
  database.sqlite.pragma("synchronous = OFF");
  let meili: EmbeddedMeili | undefined;
  let search: SearchContext | undefined;
  try {
    const db = database.db;
    await migrateToLatest(db);
    await loadReferenceData(db);
    const startedAt = Date.now();

    const districts = new ReferenceResolver(db, "districts", await listReferenceEntries(db, "districts"));
    const groups = new ReferenceResolver(db, "target_groups", await listReferenceEntries(db, "target_groups"));
    const targets = new Set(await listSdgTargetIds(db));
    const orgs = new Organisations(db);

    const challengeIds: number[] = [];
    for (const c of options.challenges) {
      const p = await prepare(db, c, districts, groups, targets);
      challengeIds.push(
        await createChallenge(db, {
          title: c.title,
          summary: "",
          description: c.description,
          ownerOrganisationId: await orgs.administration(c.department),
          coOwnerIds: [],
          outcomeHoped: null,
          outcomeMeasure: null,
          budgetMinDkk: null,
          budgetMaxDkk: null,
          procurementRoute: null,
          deadline: null,
          contactTeam: null,
          contactEmail: null,
          status: "open",
          createdBy: null,
          ...p,
        }),
      );
    }
    const solutionIds: number[] = [];
    for (const s of options.solutions) {
      const p = await prepare(db, s, districts, groups, targets);
      solutionIds.push(
        await createSolution(db, {
          title: s.title,
          summary: "",
          description: s.description,
          organisationId: await orgs.organisation(s.organization),
          stage: "running",
          evidence: null,
          priceModel: null,
          status: "published",
          createdBy: null,
          ...p,
        }),
      );
    }
    // The matcher is called directly below; the queued refreshes are not needed.
    await discardTopic(db, "match.refresh");
    progress(`stored ${options.challenges.length} challenges and ${options.solutions.length} solutions (${Date.now() - startedAt} ms)`);

    if (options.meiliUrl) {
      search = createSearchContext({ url: options.meiliUrl, apiKey: options.meiliKey, indexPrefix: `match_${crypto.randomBytes(5).toString("hex")}_` });
    } else {
      meili = new EmbeddedMeili({ dir: path.join(dir, "meili"), log, supervise: false });
      const url = await meili.start();
      search = createSearchContext({ url, apiKey: meili.masterKey, indexPrefix: "match_", timeoutMs: 60_000 });
    }
    await ensureIndex(search, "challenges");
    await ensureIndex(search, "solutions");

    const matcher = new Matcher(db, search, { log });
    const fitted = await matcher.refit({ queue: false });
    progress(`fitted the model on ${fitted.records} texts (${fitted.ms} ms)`);

    const indexStarted = Date.now();
    await indexEverything(db, search, { challenge: challengeIds, solution: solutionIds });
    progress(`indexed ${fitted.records} documents (${Date.now() - indexStarted} ms)`);

    const matchStarted = Date.now();
    const allSolutions = solutionIds.length;
    const inputOf = new Map(solutionIds.map((id, i) => [id, options.solutions[i]!.id]));
    const perChallenge: MatchOutputRow[][] = new Array(challengeIds.length);
    let next = 0;
    let done = 0;
    // A few challenges at a time, so Meilisearch answers one while this process scores another.
    const worker = async () => {
      for (let i = next++; i < challengeIds.length; i = next++) {
        const ranked = await matcher.rank("challenge", challengeIds[i]!, options.top, undefined, { fill: Math.min(options.top, allSolutions) });
        perChallenge[i] = ranked.map((r, rank) => ({
          challengeId: options.challenges[i]!.id,
          solutionId: inputOf.get(r.id)!,
          rank: rank + 1,
          score: r.score,
          reasons: r.reasons,
        }));
        if (++done % 100 === 0 || done === challengeIds.length) progress(`matched ${done}/${challengeIds.length} challenges (${Date.now() - matchStarted} ms)`);
      }
    };
    await Promise.all(Array.from({ length: MATCH_CONCURRENCY }, worker));
    return perChallenge.flat();
  } finally {
    // The command promises that its indexes are gone when it exits.
    if (search && options.meiliUrl) await dropIndexes(search).catch(() => undefined);
    await meili?.stop();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
