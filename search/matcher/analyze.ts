// Text analysis for the matcher: a text becomes a bag of terms that Danish and English texts can
// share. Pure and deterministic; the corpus model (model.ts) supplies the one thing that depends
// on other texts: which rare words are typos of common ones.
//
// Terms are of three kinds:
// - word stems, folded (æ → ae, ø → oe, å → aa) after Snowball stemming in the text's language,
//   so "ældres" and "aeldre" meet, and "volunteers" and "volunteering" meet;
// - compound parts of Danish words ("skolekøkken" also yields "skol", "køkken"), so a part
//   written alone meets the compound;
// - concept tokens ("~17") for every glossary or lexicon entry the text mentions, in either
//   language, so "loneliness" meets "ensomhed" and "older people" meets "ældre".
import snowball from "snowball-stemmers";
import type { CompoundSplitter } from "../danish";
import type { Glossary } from "../lexicon";
import type { MatchLanguage } from "./types";

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

// The portal's search stop words plus the function words and fillers of long English and Danish
// prose, which carry no topic (the search list is kept short on purpose: queries are short).
const EXTRA_STOP = {
  en: "about above after again against all also am any because before being below between both can cannot could did do does doing down during each even every few further had has have having here hers herself him himself i itself just let me more most much must my myself no nor now off once only other ought ours ourselves out over own same shall should some such then there thereby therefore thus too under until up very via we will would yet one two three many may might us well get got make made use used using within without across per like e g eg etc".split(" "),
  da: "kan kunne vil skal også mere mest flere fx f eks ca mv bl a samt både hver hvert enten nogen ingen andre andet anden man får få fik gøre gør gjort giver give gav går gå gik kommer komme kom ser se så lige helt godt bedre god gode meget mange mere nye ny nyt sammen igen altid aldrig allerede stadig ofte gang gange år året dag dage uge ugen ugens måned måneder tid sted først sidste hele del dele ved også mellem uden inden hvordan hvorfor hvornår hvilke hvilken hvem blandt gennem omkring cirka særligt især derfor dermed både ca kun kr ét én tre fire fem seks syv otte ni ti".split(" "),
};

export interface Lexicon {
  /** Stop words of either language (lower case, unfolded). */
  stopWords: Set<string>;
  /** Concept entries: every term of an entry, in both languages, shares the concept's token. */
  concepts: ConceptIndex;
  splitter?: CompoundSplitter;
}

/** A phrase (stems joined by spaces) → concept token, with the longest phrase length. */
export interface ConceptIndex {
  phrases: Map<string, string>;
  /** First stems of the phrases of two or more words, so most words skip the longer lookups. */
  phraseStarts: Set<string>;
  /** A readable name of each concept for explanations: its first Danish and English term. */
  names: Map<string, { da: string; en: string }>;
  maxWords: number;
}

const stemmers = { da: snowball.newStemmer("danish"), en: snowball.newStemmer("english") };

export function fold(word: string): string {
  return word.replace(/[æä]/g, "ae").replace(/[øö]/g, "oe").replace(/å/g, "aa").replace(/[éè]/g, "e").replace(/ü/g, "u");
}

// Snowball in JavaScript takes several microseconds a word; texts repeat their words, so the
// stems are remembered (bounded, so a stream of unusual words cannot grow it without end).
const stemCache = { da: new Map<string, string>(), en: new Map<string, string>() };

export function stem(word: string, language: MatchLanguage): string {
  const cache = stemCache[language];
  let s = cache.get(word);
  if (s === undefined) {
    const once = stemmers[language].stem(word);
    // Danish Snowball takes one ending per call, so "køkkenet" stops at "køkken" while
    // "køkken" becomes "køk"; a second pass lets the definite forms meet the bare ones.
    s = fold(language === "da" ? stemmers.da.stem(once) : once);
    if (cache.size > 500_000) cache.clear();
    cache.set(word, s);
  }
  return s;
}

export function rawWords(text: string): string[] {
  return (text.toLocaleLowerCase("da").match(WORD) ?? []).map((w) => w.replace(/['’]s$/, ""));
}

/**
 * The text's language by its function words. Danish and English share few of them, so counting
 * is enough; a tie (no function words at all) is read as Danish, the portal's first language.
 */
export function detectLanguage(text: string): MatchLanguage {
  let da = 0;
  let en = 0;
  for (const w of rawWords(text).slice(0, 400)) {
    if (DA_MARKERS.has(w)) da++;
    else if (EN_MARKERS.has(w)) en++;
  }
  return en > da ? "en" : "da";
}
const DA_MARKERS = new Set("og i at det en den til er som på de med af for ikke der vi har om et kan vil skal fra eller også blev være efter hvor når ved".split(" "));
const EN_MARKERS = new Set("the and of to in is that for it with as are on be by this we our or from at an not have can will which who their more".split(" "));

export function buildConceptIndex(glossaries: Glossary[]): ConceptIndex {
  const phrases = new Map<string, string>();
  const phraseStarts = new Set<string>();
  const names = new Map<string, { da: string; en: string }>();
  let maxWords = 1;
  let n = 0;
  for (const glossary of glossaries) {
    for (const entry of glossary.entries) {
      // An entry whose terms already name an existing concept joins it, so the glossary and the
      // lexicon can overlap without splitting one concept in two.
      const keyed = [
        ...entry.da.map((t) => ({ key: phraseKey(t, "da"), words: rawWords(t).length })),
        ...entry.en.map((t) => ({ key: phraseKey(t, "en"), words: rawWords(t).length })),
      ].filter((k) => k.key !== "");
      if (keyed.length === 0) continue;
      const existing = keyed.map((k) => phrases.get(k.key)).find((c) => c !== undefined);
      const token = existing ?? `~${++n}`;
      if (!existing) names.set(token, { da: entry.da[0] ?? entry.en[0]!, en: entry.en[0] ?? entry.da[0]! });
      for (const k of keyed) {
        if (!phrases.has(k.key)) phrases.set(k.key, token);
        if (k.words > 1) phraseStarts.add(k.key.split(" ", 1)[0]!.slice(3));
        maxWords = Math.max(maxWords, k.words);
      }
    }
  }
  return { phrases, phraseStarts, names, maxWords: Math.min(maxWords, 4) };
}

/**
 * The lookup key of a term in one language. Keys carry the language, so a Danish stem never
 * meets an English word ("far" is a father only in Danish). A single word whose stem is short is
 * looked up as written: "ledige" and "leder" share the stem "led", "demens" stems to "dem".
 */
function phraseKey(term: string, language: MatchLanguage): string {
  const words = rawWords(term);
  if (words.length === 1) return wordKey(words[0]!, stem(words[0]!, language), language);
  return `${language}:${words.map((w) => stem(w, language)).join(" ")}`;
}

const MIN_STEM_KEY = 4;

function wordKey(word: string, stemmed: string, language: MatchLanguage): string {
  return stemmed.length >= MIN_STEM_KEY ? `${language}:${stemmed}` : `${language}=${fold(word)}`;
}

/** A text as the matcher reads it. */
export interface AnalyzedText {
  /** term → weighted frequency (title words count double). */
  terms: Map<string, number>;
  /** Sum of the weights: the document length BM25 normalises by. */
  length: number;
  /** term → the word as it was most often written, to show in explanations. */
  surface: Map<string, string>;
}

export interface AnalyzeOptions {
  /** Replaces a rare word with the common word it is probably a typo of (model.ts). */
  correct?: (word: string) => string;
  /** The weight of a concept token against a word (model.ts sets it from the corpus). */
  conceptWeight?: number;
}

const TITLE_WEIGHT = 2;
const MIN_PART = 4;
const PART_WEIGHT = 0.5;

/**
 * Analyses title and body in the given language. Stop words are dropped before stemming;
 * numbers are kept only when they look like codes (SDG "11.a" is not split here).
 */
export function analyze(title: string, body: string, language: MatchLanguage, lexicon: Lexicon, options: AnalyzeOptions = {}): AnalyzedText {
  const conceptWeight = options.conceptWeight ?? 1;
  const terms = new Map<string, number>();
  const surfaceCounts = new Map<string, Map<string, number>>();
  let length = 0;
  const add = (term: string, weight: number, surface: string) => {
    terms.set(term, (terms.get(term) ?? 0) + weight);
    length += weight;
    let forms = surfaceCounts.get(term);
    if (!forms) surfaceCounts.set(term, (forms = new Map()));
    forms.set(surface, (forms.get(surface) ?? 0) + 1);
  };

  for (const [text, weight] of [
    [title, TITLE_WEIGHT],
    [body, 1],
  ] as const) {
    const words = rawWords(text);
    const stems: Array<string | null> = [];
    for (const raw of words) {
      const word = options.correct ? options.correct(raw) : raw;
      if (lexicon.stopWords.has(word) || word.length < 2 || /^\d+$/.test(word)) {
        stems.push(null);
        continue;
      }
      const s = stem(word, language);
      stems.push(s);
      add(s, weight, word);
      if (language === "da" && lexicon.splitter) {
        // Only splits into parts of four letters or more: shorter "parts" are mostly endings
        // read as words ("ensomme" is not "ens" + "omme").
        const parts = lexicon.splitter.split(word);
        if (parts.length > 0 && parts.every((p) => p.length >= MIN_PART)) {
          for (const part of parts) {
            const ps = stem(part, "da");
            if (ps !== s) add(ps, weight * PART_WEIGHT, part);
          }
        }
      }
    }
    // Concepts: the longest phrase starting at each word wins. Stop words inside a phrase
    // ("people with disabilities") are matched by their own stems, so phrases use every word.
    const allStems = words.map((w, i) => stems[i] ?? stem(options.correct ? options.correct(w) : w, language));
    for (let i = 0; i < allStems.length; i++) {
      const longest = lexicon.concepts.phraseStarts.has(allStems[i]!) ? Math.min(lexicon.concepts.maxWords, allStems.length - i) : 1;
      for (let n = longest; n >= 1; n--) {
        if (n === 1 && stems[i] === null) break;
        const key = n === 1 ? wordKey(words[i]!, allStems[i]!, language) : `${language}:${allStems.slice(i, i + n).join(" ")}`;
        const token = lexicon.concepts.phrases.get(key);
        if (token) {
          add(token, weight * conceptWeight, words.slice(i, i + n).join(" "));
          i += n - 1;
          break;
        }
      }
    }
  }

  const surface = new Map<string, string>();
  for (const [term, forms] of surfaceCounts) {
    let best = "";
    let bestCount = -1;
    for (const [form, count] of forms) if (count > bestCount || (count === bestCount && form.length < best.length)) [best, bestCount] = [form, count];
    surface.set(term, best);
  }
  return { terms, length, surface };
}

export function isConcept(term: string): boolean {
  return term.startsWith("~");
}

export function extraStopWords(): string[] {
  return [...EXTRA_STOP.en, ...EXTRA_STOP.da];
}
