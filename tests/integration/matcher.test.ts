// The matcher against a real SQLite file and a real Meilisearch: stored suggestions follow
// writes through the outbox, both sides' lists are kept, dismissed pairs never come back, a
// record that leaves play takes its suggestions along, and an outage leaves everything stored.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { updateChallenge, findChallengeRecord } from "../../db/queries/challenges";
import { listStoredSuggestions } from "../../db/queries/matcher";
import { createSolution } from "../../db/queries/solutions";
import { createSearchContext, dropIndexes, type SearchContext } from "../../search/client";
import { SearchIndexer } from "../../search/indexer";
import { Matcher } from "../../search/matcher/engine";
import { createHttpEmbedder } from "../../search/matcher/http-embedder";
import { MatchWorker } from "../../search/matcher/worker";
import { ensureIndex } from "../../search/settings";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { challengeInput, makeChallenge, makeSolution, solutionInput } from "../helpers/factories";
import { testSearchContext } from "../helpers/search";
import { inject } from "vitest";

let t: TestDatabase;
let search: SearchContext;

beforeAll(() => {
  search = testSearchContext("matcher");
});
afterEach(async () => {
  await t?.destroy();
  await dropIndexes(search);
});

const LONELINESS = {
  title: "Ensomhed blandt ældre i Bispebjerg",
  summary: "Mange ældre sidder alene. Vi søger fællesskaber, som ældre selv har lyst til.",
  description: "Ældre borgere er uønsket alene. Vi vil gerne have besøgsvenner, fællesspisning og mødesteder, hvor ensomme ældre kan komme.",
  targetGroups: ["aeldre"],
  districts: ["bispebjerg"],
};

async function setup(options: { search?: SearchContext; matcher?: (db: TestDatabase["db"], s: SearchContext) => Matcher } = {}) {
  t = await createTestDatabase();
  const ctx = options.search ?? search;
  await ensureIndex(ctx, "challenges");
  await ensureIndex(ctx, "solutions");
  const indexer = new SearchIndexer(t.db, ctx);
  const matcher = options.matcher ? options.matcher(t.db, ctx) : new Matcher(t.db, ctx);
  const worker = new MatchWorker(t.db, matcher, { refitCheckMs: 1 });
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await indexer.drain();
      await worker.drain();
    }
    await indexer.drain();
  };
  return { db: t.db, indexer, matcher, worker, settle };
}

async function seedCorpus(db: TestDatabase["db"]) {
  const challenge = await makeChallenge(db, LONELINESS);
  const visitors = await makeSolution(db, {
    title: "Besøgsvenner og fællesspisning for ensomme ældre",
    description: "Frivillige besøgsvenner besøger ældre, der sidder alene, og vi holder fællesspisning hver uge i Bispebjerg.",
    targetGroups: ["aeldre", "frivillige"],
    districts: ["bispebjerg"],
  });
  const youth = await makeSolution(db, {
    title: "Fællesskab for ensomme unge",
    description: "Unge, der er ensomme, mødes om gaming, sport og lektier i et ungefællesskab.",
    targetGroups: ["unge"],
  });
  const bikes = await makeSolution(db, { title: "Cykelværksted med ledige", description: "Ledige reparerer cykler og lærer mekanik i vores værksted på Amager." });
  const english = await makeSolution(db, {
    title: "Visiting friends for lonely older people",
    description: "Volunteers visit older people who live alone and share a meal with them every week.",
    language: "en",
    targetGroups: ["aeldre"],
  });
  for (let i = 0; i < 6; i++) {
    await makeSolution(db, { title: `Genbrug af byggematerialer ${i}`, description: "Vi genbruger mursten, vinduer og træ fra nedrivninger i nye byggerier." });
  }
  return { challenge, visitors, youth, bikes, english };
}

describe("the matcher", () => {
  it("stores ranked suggestions with reasons for an open challenge, the answer first and the cross-language one before unrelated work", async () => {
    const { db, settle } = await setup();
    const ids = await seedCorpus(db);
    await settle();
    const stored = await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 });
    const order = stored.map((s) => s.solutionId);
    expect(order[0]).toBe(ids.visitors);
    // The English answer must be there at all, and ahead of the unrelated bicycle workshop if that made the list.
    expect(order).toContain(ids.english);
    expect(order.indexOf(ids.english)).toBeLessThan(order.indexOf(ids.bikes) === -1 ? Infinity : order.indexOf(ids.bikes));
    expect(order.indexOf(ids.visitors)).toBeLessThan(order.indexOf(ids.youth));
    const reasons = JSON.parse(stored[0]!.reasons) as Array<{ kind: string; terms?: string[]; codes?: string[] }>;
    expect(reasons.find((r) => r.kind === "topics")?.terms).toEqual(expect.arrayContaining(["besøgsvenner"]));
    expect(reasons.find((r) => r.kind === "targetGroups")?.codes).toEqual(["aeldre"]);
    for (const s of stored) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it("offers a new solution to the challenges it fits, without recomputing them", async () => {
    const { db, settle } = await setup();
    const ids = await seedCorpus(db);
    await settle();
    const before = await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 });
    const late = await createSolution(
      db,
      await solutionInput(db, {
        title: "Ældrecafé mod ensomhed i Bispebjerg",
        description: "En café hvor ensomme ældre mødes til fællesspisning, og besøgsvenner henter dem, der sidder alene.",
        targetGroups: ["aeldre"],
        districts: ["bispebjerg"],
      }),
    );
    await settle();
    const after = await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 });
    expect(before.map((s) => s.solutionId)).not.toContain(late);
    expect(after.slice(0, 3).map((s) => s.solutionId)).toContain(late);
    const forSolution = await listStoredSuggestions(db, "solution", late, { minScore: 0, limit: 5 });
    expect(forSolution[0]?.challengeId).toBe(ids.challenge);
  });

  it("drops a challenge's suggestions when it closes, and never suggests a dismissed pair again", async () => {
    const { db, settle } = await setup();
    const ids = await seedCorpus(db);
    await settle();
    await db.insertInto("match_decisions").values({ challenge_id: ids.challenge, solution_id: ids.visitors, decision: "dismissed", reason: "already_known" }).execute();
    const challenge = (await findChallengeRecord(db, ids.challenge))!;
    await updateChallenge(db, ids.challenge, challenge.version, await challengeInput(db, { ...LONELINESS, description: `${LONELINESS.description} Også i Nordvest.` }));
    await settle();
    const stored = await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 });
    expect(stored.map((s) => s.solutionId)).not.toContain(ids.visitors);
    expect(await db.selectFrom("match_decisions").selectAll().execute()).toHaveLength(1);

    const current = (await findChallengeRecord(db, ids.challenge))!;
    await updateChallenge(db, ids.challenge, current.version, await challengeInput(db, { ...LONELINESS, status: "closed" }));
    await settle();
    expect(await db.selectFrom("match_suggestions").select("solution_id").where("challenge_id", "=", ids.challenge).execute()).toEqual([]);
    // The decision is the curator's and stays.
    expect(await db.selectFrom("match_decisions").selectAll().execute()).toHaveLength(1);
  });

  it("keeps stored suggestions and pending refreshes while Meilisearch is unreachable", async () => {
    const { db, settle } = await setup();
    const ids = await seedCorpus(db);
    await settle();
    const stored = await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 });
    const unreachable = createSearchContext({ url: "http://127.0.0.1:9", apiKey: "x".repeat(16), indexPrefix: search.indexPrefix, timeoutMs: 500 });
    const offline = new MatchWorker(db, new Matcher(db, unreachable), { refitCheckMs: 0 });
    await makeSolution(db, { title: "Endnu en café for ældre", description: "Ensomme ældre mødes til kaffe." });
    const round = await offline.runOnce();
    expect(round.unreachable).toBe(true);
    expect(await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 })).toEqual(stored);
    const pending = await db.selectFrom("outbox").select("id").where("topic", "=", "match.refresh").where("status", "=", "pending").execute();
    expect(pending.length).toBeGreaterThan(0);
  });

  it("refits the model when enough of the corpus changed, and re-embeds every record under the new version", async () => {
    const { db, settle, worker, matcher } = await setup();
    await seedCorpus(db);
    await settle();
    const first = (await matcher.model()).version;
    expect(await worker.refitIfDue()).toBe(false);
    for (let i = 0; i < 6; i++) await makeSolution(db, { title: `Madspild ${i}`, description: "Overskudsmad fra butikker deles ud i boligområder." });
    expect(await worker.refitIfDue(new Date(Date.now() + 1000))).toBe(true);
    await settle();
    const second = (await matcher.model()).version;
    expect(second).not.toBe(first);
    const versions = await db.selectFrom("match_features").select("model_version").distinct().execute();
    expect(versions.map((v) => v.model_version)).toEqual([second]);
  });
});

/** A tiny OpenAI-shaped embedding service on loopback: a hashed bag of words in 16 dimensions. */
function startEmbeddingServer(): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      state.requests++;
      const { input } = JSON.parse(body) as { input: string[] };
      const data = input.map((text, index) => {
        const v = new Array(16).fill(0);
        for (const w of text.toLowerCase().match(/[\p{L}]+/gu) ?? []) v[[...w].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 16, 7)] += 1;
        return { index, embedding: v };
      });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        get requests() {
          return state.requests;
        },
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

describe("the matcher with an embedding service", () => {
  it("uses the service's vectors, of the service's size, in SQLite and Meilisearch, and still ranks the answer first", async () => {
    const service = await startEmbeddingServer();
    try {
      const embedder = await createHttpEmbedder({ url: service.url, model: "tiny" });
      const ctx = createSearchContext({ url: inject("meiliUrl"), apiKey: inject("meiliKey"), indexPrefix: `${search.indexPrefix}emb_`, vectorDimensions: embedder.dimensions });
      const { db, settle } = await setup({ search: ctx, matcher: (d, s) => new Matcher(d, s, { embedder }) });
      const ids = await seedCorpus(db);
      await settle();
      const settings = await ctx.client.index(`${ctx.indexPrefix}solutions`).getSettings();
      expect(settings.embedders?.lsa).toMatchObject({ source: "userProvided", dimensions: 16 });
      const features = await db.selectFrom("match_features").select(["model_version", "embedding"]).execute();
      for (const f of features) {
        expect(f.model_version).toContain("+http:openai:tiny:16");
        expect(f.embedding.byteLength).toBe(16 * 4);
      }
      expect(service.requests).toBeGreaterThan(1);
      const stored = await listStoredSuggestions(db, "challenge", ids.challenge, { minScore: 0, limit: 20 });
      expect(stored[0]?.solutionId).toBe(ids.visitors);
      await dropIndexes(ctx);
    } finally {
      await service.close();
    }
  });
});
