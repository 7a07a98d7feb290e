import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { updateChallenge } from "../../db/queries/challenges";
import { enqueue, listDue, outboxStats } from "../../db/outbox";
import { createSearchContext, dropIndexes, indexName, type SearchContext } from "../../search/client";
import { buildDocuments } from "../../search/documents";
import { SearchIndexer } from "../../search/indexer";
import { reindexAll } from "../../search/reindex";
import { ensureIndex } from "../../search/settings";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { challengeInput, makeChallenge, makeSolution } from "../helpers/factories";
import { testSearchContext } from "../helpers/search";

let t: TestDatabase;
let search: SearchContext;

beforeAll(async () => {
  search = testSearchContext("outbox");
});
afterEach(async () => {
  await t?.destroy();
  await dropIndexes(search);
});
afterAll(async () => {
  await dropIndexes(search);
});

async function fresh() {
  t = await createTestDatabase();
  return t;
}

async function searchTitles(kind: "challenges" | "solutions", q: string): Promise<string[]> {
  const result = await search.client.index(indexName(search, kind)).search(q, { attributesToRetrieve: ["title"] });
  return result.hits.map((h) => String(h.title));
}

const fastRetry = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

describe("the outbox", () => {
  it("coalesces several writes to one record into one pending row", async () => {
    const { db } = await fresh();
    const input = await challengeInput(db, { title: "Første udgave" });
    const id = await makeChallenge(db, input);
    await updateChallenge(db, id, 1, { ...input, title: "Anden udgave" });
    await updateChallenge(db, id, 2, { ...input, title: "Tredje udgave" });
    const rows = await db.selectFrom("outbox").selectAll().where("record_key", "=", `challenge:${id}`).orderBy("topic").execute();
    // One pending row per consumer (the matcher's and the index's), each coalesced three times.
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ status: "pending", revision: 3 });
  });

  it("delivers writes to the index, and the index shows the latest version", async () => {
    const { db } = await fresh();
    const input = await challengeInput(db, { title: "Cykelværksted i Sydhavnen" });
    const id = await makeChallenge(db, input);
    await updateChallenge(db, id, 1, { ...input, title: "Cykelværksted i Valby" });
    await makeSolution(db, { title: "Mobilt cykelværksted" });
    const indexer = new SearchIndexer(db, search);
    await indexer.drain();
    expect(await outboxStats(db, "search.index")).toEqual({ pending: 0, done: 2, dead: 0 });
    expect(await searchTitles("challenges", "cykelværksted")).toEqual(["Cykelværksted i Valby"]);
    expect(await searchTitles("solutions", "cykelværksted")).toEqual(["Mobilt cykelværksted"]);
  });

  it("does not mark a row done when a newer write coalesced into it during delivery", async () => {
    const { db } = await fresh();
    const input = await challengeInput(db, { title: "Gammel titel om bistader" });
    const id = await makeChallenge(db, input);
    let wrote = false;
    // The newer write lands after the documents were read, before the row is marked done.
    const indexer = new SearchIndexer(db, search, {
      documents: async (d, refs, labels) => {
        const batch = await buildDocuments(d, refs, labels);
        if (!wrote) {
          wrote = true;
          await updateChallenge(db, id, 1, { ...input, title: "Ny titel om bistader" });
        }
        return batch;
      },
    });
    await indexer.runOnce();
    expect((await listDue(db, "search.index", 10)).map((m) => m.recordKey)).toEqual([`challenge:${id}`]);
    await indexer.drain();
    expect(await searchTitles("challenges", "bistader")).toEqual(["Ny titel om bistader"]);
  });

  it("dead-letters a document the index rejects, without holding back the others", async () => {
    const { db } = await fresh();
    const poison = await makeChallenge(db, { title: "Giftig post" });
    await makeChallenge(db, { title: "Sund post om svampe" });
    await makeChallenge(db, { title: "Endnu en sund post om svampe" });
    // An id Meilisearch refuses fails the whole task, as a real bad document would.
    const indexer = new SearchIndexer(db, search, {
      retry: fastRetry,
      documents: async (d, refs, labels) => {
        const batch = await buildDocuments(d, refs, labels);
        for (const doc of batch.upserts.challenges) if (doc.id === poison) (doc as { id: unknown }).id = "ikke gyldig!";
        return batch;
      },
    });
    await indexer.drain();
    expect(await searchTitles("challenges", "svampe")).toHaveLength(2);
    await indexer.drain();
    await indexer.drain();
    const rows = await db.selectFrom("outbox").select(["record_key", "status", "attempts", "last_error"]).execute();
    const dead = rows.filter((r) => r.status === "dead");
    expect(dead.map((r) => r.record_key)).toEqual([`challenge:${poison}`]);
    expect(dead[0]!.attempts).toBe(3);
    expect(dead[0]!.last_error).toMatch(/document/i);
    expect(rows.filter((r) => r.status === "done")).toHaveLength(2);
  });

  it("keeps rows pending while Meilisearch is unreachable, without spending their attempts, and delivers when it is back", async () => {
    const { db } = await fresh();
    await makeChallenge(db, { title: "Skrevet under nedbrud om humlebier" });
    const down = createSearchContext({ url: "http://127.0.0.1:9", apiKey: "x".repeat(16), indexPrefix: search.indexPrefix, timeoutMs: 500 });
    const offline = new SearchIndexer(db, down);
    const round = await offline.runOnce();
    expect(round.unreachable).toBe(true);
    expect(offline.healthy).toBe(false);
    const [row] = await db.selectFrom("outbox").select(["status", "attempts"]).execute();
    expect(row).toEqual({ status: "pending", attempts: 0 });

    await new SearchIndexer(db, search).drain();
    expect(await searchTitles("challenges", "humlebier")).toEqual(["Skrevet under nedbrud om humlebier"]);
  });

  it("deletes a record from the index when it no longer exists in SQLite", async () => {
    const { db } = await fresh();
    const id = await makeChallenge(db, { title: "Kortlivet udfordring om vandrør" });
    const indexer = new SearchIndexer(db, search);
    await indexer.drain();
    expect(await searchTitles("challenges", "vandrør")).toHaveLength(1);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom("challenges").where("id", "=", id).execute();
      await enqueue(trx, "search.index", `challenge:${id}`, { kind: "challenge", id });
    });
    await indexer.drain();
    expect(await searchTitles("challenges", "vandrør")).toHaveLength(0);
  });
});

describe("index settings", () => {
  it("are applied once and left alone when the server already has them", async () => {
    await fresh();
    const first = await ensureIndex(search, "challenges");
    expect(first.length).toBeGreaterThan(0);
    expect(await ensureIndex(search, "challenges")).toEqual([]);
  });
});

describe("reindexing", () => {
  it("builds fresh indexes from SQLite and swaps them in, losing no write made during the build", async () => {
    const { db } = await fresh();
    for (let i = 0; i < 30; i++) await makeChallenge(db, { title: `Eksisterende udfordring nummer ${i} om vindmøller` });
    const indexer = new SearchIndexer(db, search);
    await indexer.drain();
    // Something the index has that SQLite does not: the rebuild must drop it.
    await search.client.index(indexName(search, "challenges")).addDocuments([{ id: 999999, title: "Spøgelse om vindmøller" }]).waitTask();
    // Written before the snapshot and not yet delivered: the rebuild covers it.
    const waiting = await makeChallenge(db, { title: "Ventende før genopbygningen om vindmøller" });

    let during = 0;
    const result = await reindexAll(db, search, {
      batchSize: 7,
      onBuilt: async () => {
        // Writes that land after the snapshot, while the old indexes are still live.
        during = await makeChallenge(db, { title: "Skrevet under genopbygningen om vindmøller" });
        const existing = await db.selectFrom("challenges").select(["id"]).orderBy("id").executeTakeFirstOrThrow();
        await db.updateTable("challenges").set({ title: "Omdøbt under genopbygningen om vindmøller" }).where("id", "=", existing.id).execute();
        await enqueue(db, "search.index", `challenge:${existing.id}`, { kind: "challenge", id: existing.id });
      },
    });
    expect(result.documents.challenges).toBe(31);
    expect(result.replayed).toBe(2);
    const waitingRow = await db.selectFrom("outbox").select("status").where("record_key", "=", `challenge:${waiting}`).executeTakeFirstOrThrow();
    expect(waitingRow.status).toBe("done");
    await indexer.drain();

    const titles = await searchTitles("challenges", "vindmøller");
    const all = await search.client.index(indexName(search, "challenges")).search("vindmøller", { limit: 100, attributesToRetrieve: ["title", "id"] });
    expect(all.estimatedTotalHits).toBe(32);
    expect(all.hits.map((h) => h.id)).toContain(waiting);
    expect(all.hits.map((h) => h.id)).toContain(during);
    expect(all.hits.map((h) => h.title)).toContain("Omdøbt under genopbygningen om vindmøller");
    expect(titles).not.toContain("Spøgelse om vindmøller");
    // Only this file's indexes: other files' portals share the server and may be rebuilding now.
    const leftovers = (await search.client.getIndexes({ limit: 1000 })).results.filter((i) => i.uid.startsWith(search.indexPrefix) && i.uid.includes("__rebuild_"));
    expect(leftovers).toEqual([]);
  });
});
