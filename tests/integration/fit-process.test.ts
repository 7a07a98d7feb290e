// The portal refits the matcher in a process of its own, on the same SQLite file, so that
// requests keep being answered and the fit's memory is not the server's. The process must store
// exactly what fitting in place would: the same model and the same features for every record;
// the portal then ranks with the new model and queues every record's new document and
// suggestions; a fit that fails leaves the current model in place; and a portal that stops
// stops its refit instead of waiting for it.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findCurrentModelInfo } from "../../db/queries/matcher";
import type { SearchContext } from "../../search/client";
import { Matcher } from "../../search/matcher/engine";
import { fitAndStore } from "../../search/matcher/fit";
import { fitInProcess } from "../../search/matcher/fit-process";
import { matcherLexicon } from "../../search/matcher/resources";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeChallenge, makeSolution } from "../helpers/factories";

const topics = [
  ["Ensomme ældre i Bispebjerg", "Mange ældre borgere sidder alene og savner fællesskab, spisevenner og besøg."],
  ["Unge uden job", "Unge ledige har brug for praktik, mentorer og en vej ind på arbejdsmarkedet."],
  ["Madspild i skolekøkkener", "Skolernes køkkener smider mad ud; overskudsmad kan blive til måltider for familier."],
  ["Lonely seniors", "Older residents living alone want company, shared meals and visiting friends."],
  ["Youth unemployment", "Young people out of work need internships, mentoring and a first job."],
];

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.destroy();
});

async function corpus(): Promise<TestDatabase> {
  const t = await createTestDatabase();
  opened.push(t);
  for (let i = 0; i < 24; i++) {
    const [title, body] = topics[i % topics.length]!;
    const text = { title: `${title} ${i}`, summary: body, description: `${body} Indsats nummer ${i}.`, language: i % 5 >= 3 ? ("en" as const) : ("da" as const) };
    if (i % 2 === 0) await makeChallenge(t.db, text);
    else await makeSolution(t.db, text);
  }
  return t;
}

function stored(t: TestDatabase) {
  return {
    models: t.sqlite.prepare("SELECT version, fitted_at, documents, meta, hex(vectors) AS vectors FROM match_models").all(),
    features: t.sqlite.prepare("SELECT record_kind, record_id, model_version, terms, surface, hex(embedding) AS embedding FROM match_features ORDER BY record_kind, record_id").all(),
  };
}

/** The matcher never reaches Meilisearch in these tests: refit only stores and queues. */
const noSearch = { client: {}, indexPrefix: "unused_" } as unknown as SearchContext;

describe("refitting in a process of its own", () => {
  const now = new Date("2026-12-01T10:00:00Z");

  it("stores the same model and features as fitting in this process", async () => {
    const there = await corpus();
    const here = await corpus();
    const outcome = await fitInProcess({ databaseFile: there.file, now: now.toISOString(), queue: false });
    await fitAndStore(here.db, { lexicon: matcherLexicon(), now, queue: false });
    expect(outcome.records).toBe(24);
    expect(outcome.peakRssKb).toBeGreaterThan(0);
    const a = stored(there);
    expect(a.models).toHaveLength(1);
    expect(a.features).toHaveLength(24);
    expect((a.models[0] as { vectors: string }).vectors.length).toBeGreaterThan(0);
    expect(a).toEqual(stored(here));
  });

  it("gives the portal the new model and queues every record's document and suggestions", async () => {
    const t = await corpus();
    const matcher = new Matcher(t.db, noSearch, { fitProcess: { databaseFile: t.file } });
    t.sqlite.prepare("DELETE FROM outbox").run();
    const fitted = await matcher.refit({ now });
    expect(fitted.records).toBe(24);
    expect(fitted.fitProcessPeakRssKb).toBeGreaterThan(0);
    expect((await matcher.model()).version).toBe((await findCurrentModelInfo(t.db))!.version);
    const queued = t.sqlite.prepare("SELECT topic, count(*) AS n FROM outbox WHERE status = 'pending' GROUP BY topic ORDER BY topic").all();
    expect(queued).toEqual([
      { topic: "match.refresh", n: 24 },
      { topic: "search.index", n: 24 },
    ]);
  });

  it("leaves the current model in place when the fit fails, and says why", async () => {
    const t = await corpus();
    const matcher = new Matcher(t.db, noSearch, { fitProcess: { databaseFile: t.file } });
    await matcher.refit({ now });
    const before = await findCurrentModelInfo(t.db);
    const broken = path.join(t.dir, "not-a-database.sqlite");
    fs.writeFileSync(broken, "this is not a database ".repeat(100));
    const failing = new Matcher(t.db, noSearch, { fitProcess: { databaseFile: broken } });
    await expect(failing.refit({ now: new Date("2026-12-02T10:00:00Z") })).rejects.toThrow(/fitting process failed: file is not a database/);
    expect(await findCurrentModelInfo(t.db)).toEqual(before);
  });

  it("stops the refit when the matcher stops, at once and with the current model in place", async () => {
    const t = await corpus();
    const matcher = new Matcher(t.db, noSearch, { fitProcess: { databaseFile: t.file } });
    await matcher.refit({ now });
    const before = await findCurrentModelInfo(t.db);
    const started = Date.now();
    const refit = matcher.refit({ now: new Date("2026-12-02T10:00:00Z") });
    matcher.stop();
    await expect(refit).rejects.toThrow(/abort/i);
    // Loading TypeScript alone takes the child longer than this: it was stopped, not waited for.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await findCurrentModelInfo(t.db)).toEqual(before);
  });
});
