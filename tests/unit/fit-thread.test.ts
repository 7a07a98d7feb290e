// The portal fits the matcher's model in a worker thread so requests keep being answered during a
// refit. The thread must fit exactly what the server's own thread would: the same vocabulary,
// document frequencies, vectors and analysed texts.
import { describe, expect, it } from "vitest";
import { fitModelInThread } from "../../search/matcher/fit-thread";
import { fitModel } from "../../search/matcher/model";
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
  it("gives the same model and analysed texts as fitting in this thread", async () => {
    const now = new Date("2026-12-01T10:00:00Z");
    const here = fitModel(texts(), matcherLexicon(), { now });
    const there = await fitModelInThread({ texts: texts(), options: { now } });
    expect(there.model.version).toBe(here.model.version);
    expect([...there.model.df]).toEqual([...here.model.df]);
    expect([...there.model.lsa.termIndex]).toEqual([...here.model.lsa.termIndex]);
    expect(Array.from(there.model.lsa.vectors)).toEqual(Array.from(here.model.lsa.vectors));
    expect(there.analyzed.map((a) => [...a.terms])).toEqual(here.analyzed.map((a) => [...a.terms]));
    expect(there.model.lsa.vectors.length).toBeGreaterThan(0);
  });
});
