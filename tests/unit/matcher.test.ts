// The matcher's pure parts: analysis (Danish and English, compounds, concepts), typo correction,
// the LSA fit, and scoring with its reasons. No Meilisearch, no SQLite.
import { describe, expect, it } from "vitest";
import { analyze, detectLanguage, stem } from "../../search/matcher/analyze";
import { truncatedSvd, type SparseRows } from "../../search/matcher/lsa";
import { conceptWeightFor, cosine, deserializeModel, embedAnalyzed, fitModel, serializeModel, TypoCorrector, withinOneEdit } from "../../search/matcher/model";
import { matcherLexicon } from "../../search/matcher/resources";
import { DEFAULT_WEIGHTS, scorePair, type RecordFeatures, type RecordTags } from "../../search/matcher/score";
import type { MatchText } from "../../search/matcher/types";

const lexicon = matcherLexicon();
const NO_TAGS: RecordTags = { districts: [], wholeCity: false, sdgGoals: [], sdgTargets: [], targetGroups: [] };

function text(title: string, body: string, language: "da" | "en" = "da", tags: Partial<RecordTags> = {}): MatchText {
  return { title, body, language, ...NO_TAGS, ...tags };
}

describe("analysis", () => {
  it.each([
    ["Ældre borgere i København", "da"],
    ["Older people living alone in the city", "en"],
    ["Vi søger en partner, der kan hjælpe os med at nå de unge", "da"],
    ["We are looking for a partner who can reach the young people", "en"],
  ] as const)("reads the language of %j as %s", (t, language) => {
    expect(detectLanguage(t)).toBe(language);
  });

  it("meets inflections and spellings without æ/ø/å in one stem", () => {
    expect(stem("ældres", "da")).toBe(stem("aeldre", "da"));
    expect(stem("frivillige", "da")).toBe(stem("frivillig", "da"));
    expect(stem("volunteers", "en")).toBe(stem("volunteering", "en"));
  });

  it("adds the parts of a Danish compound, so a part written alone meets the whole word", () => {
    const a = analyze("", "Sunde måltider fra skolekøkkenet", "da", lexicon);
    const b = analyze("", "Et køkken hvor eleverne laver mad", "da", lexicon);
    const shared = [...a.terms.keys()].filter((t) => b.terms.has(t) && !t.startsWith("~"));
    expect(shared).toContain(stem("køkken", "da"));
  });

  it("gives a Danish and an English text about the same thing shared concept tokens", () => {
    const da = analyze("Ensomhed blandt ældre", "Mange ældre er ensomme og savner fællesskab.", "da", lexicon);
    const en = analyze("Loneliness among older people", "Many older people are lonely and miss a community.", "en", lexicon);
    const shared = [...da.terms.keys()].filter((t) => t.startsWith("~") && en.terms.has(t));
    expect(shared.length).toBeGreaterThanOrEqual(2);
  });

  it("drops stop words and counts title words double", () => {
    const a = analyze("Cykler", "og i at det cykler", "da", lexicon);
    expect(a.terms.has("og")).toBe(false);
    expect(a.terms.get(stem("cykler", "da"))).toBe(3);
  });

  it("keeps the word as written for explanations", () => {
    const a = analyze("", "Besøgsvenner besøger ensomme ældre", "da", lexicon);
    expect(a.surface.get(stem("ældre", "da"))).toBe("ældre");
  });
});

describe("typo correction", () => {
  it.each([
    ["ensomhed", "ensomhd", true],
    ["ensomhed", "ensomehd", true],
    ["ensomhed", "ensomed", true],
    ["ensomhed", "ensomhedx", true],
    ["ensomhed", "ensmhd", false],
  ])("%s and %s are within one edit: %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });

  it("corrects a rare word to the common word one edit away, and leaves common and short words alone", () => {
    const corrector = new TypoCorrector(new Map([["ensomhed", 12], ["ensomme", 5], ["fald", 9]]));
    expect(corrector.correct("ensomhd")).toBe("ensomhed");
    expect(corrector.correct("ensomme")).toBe("ensomme");
    expect(corrector.correct("fad")).toBe("fad");
    expect(corrector.correct("cykelværksted")).toBe("cykelværksted");
  });
});

describe("LSA", () => {
  it("recovers the singular values of a small matrix", () => {
    // diag(3, 2, 1) padded: singular values are 3, 2, 1.
    const a: SparseRows = { rows: 3, cols: 4, ptr: Int32Array.from([0, 1, 2, 3]), idx: Int32Array.from([0, 1, 2]), val: Float32Array.from([3, 2, 1]) };
    const svd = truncatedSvd(a, 2, { powerIterations: 3 });
    expect(svd.sigma[0]).toBeCloseTo(3, 4);
    expect(svd.sigma[1]).toBeCloseTo(2, 4);
  });

  it("puts texts about one topic nearer each other than texts about another, even without shared words", () => {
    const corpus = [
      text("Besøgsvenner", "frivillige besøgsvenner besøger ensomme ældre og drikker kaffe"),
      text("Café for ældre", "ensomme ældre mødes til kaffe og fællesspisning"),
      text("Fællesspisning", "fællesspisning for ensomme pensionister med kaffe"),
      text("Cykelværksted", "unge reparerer cykler i værkstedet og lærer mekanik"),
      text("Cykler", "cykelreparation og mekanik for unge i værksted"),
      text("Mekanik", "unge lærer at reparere cykler"),
    ];
    const { model, analyzed } = fitModel(corpus, lexicon, { now: new Date("2026-01-01T00:00:00Z") });
    const v = analyzed.map((a) => embedAnalyzed(model, a));
    // "Besøgsvenner" and "Fællesspisning" share no title word, but the topic.
    expect(cosine(v[0]!, v[2]!)).toBeGreaterThan(cosine(v[0]!, v[4]!));
    expect(cosine(v[3]!, v[4]!)).toBeGreaterThan(cosine(v[3]!, v[1]!));
  });

  it("stores and restores a model without changing its vectors", () => {
    const { model, analyzed } = fitModel([text("a", "ensomme ældre kaffe"), text("b", "cykler unge værksted"), text("c", "ældre kaffe fællesskab")], lexicon);
    const restored = deserializeModel(serializeModel(model));
    expect(Array.from(embedAnalyzed(restored, analyzed[0]!))).toEqual(Array.from(embedAnalyzed(model, analyzed[0]!)));
    expect(restored.version).toBe(model.version);
  });

  it("weighs concept tokens fully only when the corpus mixes languages", () => {
    expect(conceptWeightFor([{ language: "da" }, { language: "da" }])).toBe(0.5);
    expect(conceptWeightFor([...Array(9).fill({ language: "da" }), { language: "en" }])).toBe(1);
  });
});

describe("scoring", () => {
  const corpus = [
    text("Ensomhed blandt ældre i Bispebjerg", "Mange ældre borgere er ensomme. Vi søger fællesskaber, besøgsvenner og fællesspisning.", "da", {
      districts: ["bispebjerg"],
      sdgGoals: [3, 10],
      targetGroups: ["aeldre"],
    }),
    text("Besøgsvenner for ældre", "Frivillige besøgsvenner besøger ensomme ældre, og vi holder fællesspisning hver uge.", "da", {
      districts: ["bispebjerg"],
      sdgGoals: [3],
      targetGroups: ["aeldre", "frivillige"],
    }),
    text("Ensomme unge", "Unge der er ensomme mødes i et fællesskab om gaming og sport.", "da", { targetGroups: ["unge"], sdgGoals: [3] }),
    text("Cykelværksted", "Vi reparerer cykler med ledige og lærer dem mekanik.", "da", { targetGroups: ["ledige"], sdgGoals: [8] }),
    text("Visiting friends for older people", "Volunteers visit lonely older people at home and share a meal every week.", "en", { targetGroups: ["aeldre"] }),
  ];
  const { model, analyzed } = fitModel(corpus, lexicon);
  const f: RecordFeatures[] = analyzed.map((a, i) => ({ ...a, language: corpus[i]!.language, embedding: embedAnalyzed(model, a), tags: corpus[i]! }));

  it("ranks the solution that answers the challenge above a look-alike and an unrelated one", () => {
    const [answer, lookAlike, unrelated] = [1, 2, 3].map((i) => scorePair(f[0]!, f[i]!, model).score);
    expect(answer).toBeGreaterThan(lookAlike!);
    expect(lookAlike).toBeGreaterThan(unrelated!);
  });

  it("finds the English solution for the Danish challenge above the unrelated Danish one", () => {
    expect(scorePair(f[0]!, f[4]!, model).score).toBeGreaterThan(scorePair(f[0]!, f[3]!, model).score);
  });

  it("keeps the score in [0, 1] and its reasons' shares within it", () => {
    for (let i = 1; i < f.length; i++) {
      const p = scorePair(f[0]!, f[i]!, model);
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(1);
      // Each share is rounded to four decimals on its own.
      expect(p.reasons.reduce((s, r) => s + r.score, 0)).toBeLessThanOrEqual(p.score + 1e-3);
    }
  });

  it("explains a match with the shared words as written, the shared tags and the semantic closeness", () => {
    const p = scorePair(f[0]!, f[1]!, model);
    const kinds = p.reasons.map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(["topics", "targetGroups", "districts", "sdgs"]));
    const topics = p.reasons.find((r) => r.kind === "topics");
    expect(topics && "terms" in topics ? topics.terms : []).toEqual(expect.arrayContaining(["besøgsvenner"]));
    const groups = p.reasons.find((r) => r.kind === "targetGroups");
    expect(groups && "codes" in groups ? groups.codes : []).toEqual(["aeldre"]);
  });

  it("treats a tag kind one side left empty as neither a match nor a mismatch", () => {
    const without = { ...f[1]!, tags: NO_TAGS };
    const mismatch = { ...f[1]!, tags: { ...NO_TAGS, targetGroups: ["unge"], districts: ["valby"], sdgGoals: [14] } };
    const s = (x: RecordFeatures) => scorePair(f[0]!, x, model, DEFAULT_WEIGHTS).score;
    expect(s(f[1]!)).toBeGreaterThan(s(without));
    expect(s(without)).toBeGreaterThan(s(mismatch));
  });
});
