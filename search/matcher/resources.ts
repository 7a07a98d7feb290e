// The data files the matcher's analysis reads, loaded once per process: stop words, the
// Danish–English glossary (also Meilisearch's synonyms) and the matcher's larger bilingual
// lexicon (search/data/lexicon-da-en.json), and the Danish compound splitter.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { danishCompoundSplitter } from "../danish";
import { glossaryDanishWords, glossarySchema, loadGlossary, loadStopWords, type Glossary } from "../lexicon";
import { buildConceptIndex, extraStopWords, type Lexicon } from "./analyze";

let cached: Lexicon | undefined;

export function loadBilingualLexicon(): Glossary {
  const file = fileURLToPath(new URL("../data/lexicon-da-en.json", import.meta.url));
  return glossarySchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

export function matcherLexicon(): Lexicon {
  if (cached) return cached;
  const glossary = loadGlossary();
  const bilingual = loadBilingualLexicon();
  cached = {
    stopWords: new Set([...loadStopWords(), ...extraStopWords()]),
    concepts: buildConceptIndex([glossary, bilingual]),
    splitter: danishCompoundSplitter([...glossaryDanishWords(glossary), ...glossaryDanishWords(bilingual)]),
  };
  return cached;
}
