import { beforeAll, describe, expect, it } from "vitest";
import { CompoundSplitter, danishCompoundSplitter, foldedVariants, markdownToText } from "../../search/danish";
import { glossaryDanishWords, loadGlossary, synonymsFromGlossary } from "../../search/lexicon";

let splitter: CompoundSplitter;
beforeAll(() => {
  splitter = danishCompoundSplitter(glossaryDanishWords(loadGlossary()));
});

describe("compound splitting", () => {
  it.each([
    ["skolekøkken", ["skole", "køkken"]],
    ["skolekøkkenet", ["skole", "køkkenet", "køkken"]],
    ["madspild", ["mad", "spild"]],
    ["beskæftigelsesindsats", ["beskæftigelse", "indsats"]],
    ["arbejdsmarkedet", ["arbejde", "markedet", "marked"]],
    ["byhaver", ["by", "haver", "have"]],
    ["affaldssortering", ["affald", "sortering"]],
    ["ældrepleje", ["ældre", "pleje"]],
  ])("splits %s", (word, parts) => {
    expect(splitter.split(word)).toEqual(parts);
  });

  it.each(["ensomhed", "fællesskab", "forældre", "København", "Nørrebro", "integration", "virksomheder", "overskud"])(
    "leaves %s whole: its pieces are not the words it is made of",
    (word) => {
      expect(splitter.split(word)).toEqual([]);
    },
  );
});

describe("folding", () => {
  it("spells æ, ø and å the ways people type them without a Danish keyboard", () => {
    expect(foldedVariants("København, Ældre på Åboulevarden")).toEqual(["kobenhavn", "koebenhavn", "aeldre", "paa", "aaboulevarden"]);
    expect(foldedVariants("plain words only")).toEqual([]);
  });
});

describe("markdown to text", () => {
  it("keeps the words and drops the markup and raw HTML", () => {
    expect(markdownToText("## Mål\n\nVi vil **hjælpe** [her](https://x.example).\n\n<script>alert(1)</script>")).toBe(
      "Mål\nVi vil hjælpe her.",
    );
  });
});

describe("the glossary", () => {
  it("makes every term of an entry find the others, across languages", () => {
    const synonyms = synonymsFromGlossary({ entries: [{ da: ["Ældre", "seniorer"], en: ["older people"] }] });
    expect(synonyms).toEqual({
      "older people": ["seniorer", "ældre"],
      seniorer: ["older people", "ældre"],
      ældre: ["older people", "seniorer"],
    });
  });

  it("has about a hundred entries and puts no term in two of them", () => {
    const glossary = loadGlossary();
    expect(glossary.entries.length).toBeGreaterThanOrEqual(100);
    const seen = new Map<string, number>();
    glossary.entries.forEach((e, i) => {
      for (const term of [...e.da, ...e.en]) {
        const t = term.toLowerCase();
        expect(seen.has(t), `"${t}" is in entries ${seen.get(t)} and ${i}`).toBe(false);
        seen.set(t, i);
      }
    });
  });
});
