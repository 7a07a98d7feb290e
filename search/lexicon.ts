// The words search knows about beyond the text itself: Danish and English stop words and the
// Danish–English domain glossary, both data files in search/data/. The glossary feeds
// Meilisearch synonyms (every term of an entry finds the others) and the compound splitter.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const glossarySchema = z.object({
  description: z.string().optional(),
  entries: z
    .array(
      z.object({
        da: z.array(z.string().min(1)).default([]),
        en: z.array(z.string().min(1)).default([]),
      }),
    )
    .min(1),
});
export type Glossary = z.infer<typeof glossarySchema>;

const stopWordsSchema = z.object({ da: z.array(z.string()), en: z.array(z.string()) });

function readJson(relative: string): unknown {
  return JSON.parse(fs.readFileSync(fileURLToPath(new URL(relative, import.meta.url)), "utf8"));
}

export function loadGlossary(): Glossary {
  return glossarySchema.parse(readJson("./data/glossary.json"));
}

export function loadStopWords(): string[] {
  const { da, en } = stopWordsSchema.parse(readJson("./data/stopwords.json"));
  return [...new Set([...da, ...en])].sort();
}

function normalizeTerm(term: string): string {
  return term.toLocaleLowerCase("da").replace(/\s+/g, " ").trim();
}

/** Meilisearch's synonym map: each term of an entry lists every other term of that entry. */
export function synonymsFromGlossary(glossary: Glossary): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const entry of glossary.entries) {
    const terms = [...new Set([...entry.da, ...entry.en].map(normalizeTerm))].filter(Boolean);
    for (const term of terms) {
      const others = map.get(term) ?? new Set<string>();
      for (const other of terms) if (other !== term) others.add(other);
      map.set(term, others);
    }
  }
  const out: Record<string, string[]> = {};
  for (const [term, others] of [...map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (others.size > 0) out[term] = [...others].sort();
  }
  return out;
}

/** Danish glossary terms, so the compound splitter knows domain words the dictionary lacks. */
export function glossaryDanishWords(glossary: Glossary): string[] {
  return glossary.entries.flatMap((e) => e.da.map(normalizeTerm));
}
