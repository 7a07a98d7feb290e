// The portal fits the matcher's model in a worker thread so requests keep being answered during a
// refit. The thread must fit exactly what the server's own thread would: the same vocabulary,
// document frequencies and LSA vectors, and the same stored features for every record.
import { describe, expect, it } from "vitest";
import { fitInThread } from "../../search/matcher/fit-thread";
import { embedAnalyzed, fitModel } from "../../search/matcher/model";
import { encodeFeatures, textTags } from "../../search/matcher/records";
import { matcherLexicon } from "../../search/matcher/resources";
import type { MatchText } from "../../search/matcher/types";

const topics = [
  ["Ensomme ældre i Bispebjerg", "Mange ældre borgere sidder alene og savner fællesskab, spisevenner og besøg."],
  ["Unge uden job", "Unge ledige har brug for praktik, mentorer og en vej ind på arbejdsmarkedet."],
  ["Madspild i skolekøkkener", "Skolernes køkkener smider mad ud; overskudsmad kan blive til måltider for familier."],
  ["Lonely seniors", "Older residents living alone want company, shared meals and visiting friends."],
  ["Youth unemployment", "Young people out of work need internships, mentoring and a first job."],
];

function texts(): MatchText[] {
  return Array.from({ length: 30 }, (_, i) => {
    const [title, body] = topics[i % topics.length]!;
    return { title: `${title} ${i}`, body: `${body} Indsats nummer ${i}.`, language: i % 5 >= 3 ? "en" : "da", districts: [], wholeCity: false, sdgGoals: [], sdgTargets: [], targetGroups: [] };
  });
}

describe("fitting in a worker thread", () => {
  it("gives the same model and stored features as fitting in this thread", async () => {
    const now = new Date("2026-12-01T10:00:00Z");
    const here = fitModel(texts(), matcherLexicon(), { now });
    const records = texts().map((text, i) => ({ kind: i % 2 === 0 ? ("challenge" as const) : ("solution" as const), id: i + 1, text }));
    const there = await fitInThread({ records, options: { now } });
    expect(there.model.version).toBe(here.model.version);
    expect([...there.model.df]).toEqual([...here.model.df]);
    expect([...there.model.lsa.termIndex]).toEqual([...here.model.lsa.termIndex]);
    expect(Array.from(there.model.lsa.vectors)).toEqual(Array.from(here.model.lsa.vectors));
    expect(there.model.lsa.vectors.length).toBeGreaterThan(0);
    const rows = records.map((r, i) =>
      encodeFeatures(r.kind, r.id, here.model.version, { ...here.analyzed[i]!, language: r.text.language, embedding: embedAnalyzed(here.model, here.analyzed[i]!), tags: textTags(r.text) }),
    );
    expect(there.rows.map((r) => [r.kind, r.id, r.modelVersion, r.terms, r.surface])).toEqual(rows.map((r) => [r.kind, r.id, r.modelVersion, r.terms, r.surface]));
    expect(there.rows.map((r) => Buffer.from(r.embedding).toString("hex"))).toEqual(rows.map((r) => r.embedding.toString("hex")));
  });
});
