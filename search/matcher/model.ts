// The matcher's corpus model, fitted on the portal's own challenges and solutions: document
// frequencies (for BM25's idf), the common words typos are corrected to, and an LSA projection
// (the offline embedder). A refit gives a new version; features and vectors made with another
// version are recomputed (suggestions.ts). Pure: (de)serialisation is plain data.
import { analyze, rawWords, type AnalyzedText, type Lexicon } from "./analyze";
import { truncatedSvd, type SparseRows } from "./lsa";
import type { MatchText } from "./types";
import { yieldToServer } from "./yield";

/** Vectors are padded to this size so a refit never changes Meilisearch's embedder settings. */
export const EMBEDDING_DIMENSIONS = 128;
const MAX_LSA_TERMS = 40_000;
/** A word seen in at least this many texts is common enough to be a typo's intended word. */
const TYPO_TARGET_MIN_DF = 3;
const TYPO_MIN_LENGTH = 5;

export interface MatchModel {
  version: string;
  fittedAt: string;
  documents: number;
  avgLength: number;
  /** How much a concept token counts against a word; see conceptWeightFor. */
  conceptWeight: number;
  df: Map<string, number>;
  /** Folded-free, lower-case words with their document frequency, for typo correction. */
  words: Map<string, number>;
  lsa: { dimensions: number; termIndex: Map<string, number>; vectors: Float32Array };
}

export interface FittedCorpus {
  model: MatchModel;
  /** The analysed texts, in input order, already corrected with this model. */
  analyzed: AnalyzedText[];
}

/** Restricted Damerau distance ≤ 1 between two words (one edit or one swap of neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Finds the common word a rare word most likely meant, by a deletion index (SymSpell, d = 1). */
export class TypoCorrector {
  private readonly deletions = new Map<string, string[]>();
  private readonly memo = new Map<string, string>();

  constructor(
    private readonly words: Map<string, number>,
    options: { indexed?: boolean } = {},
  ) {
    if (options.indexed !== false) this.index(words);
  }

  /**
   * The same corrector, its index built a slice of words at a time with the thread free in
   * between: at 20,000 records the index took the server's thread 100 ms in one piece.
   */
  static async build(words: Map<string, number>, slice = 1000): Promise<TypoCorrector> {
    const corrector = new TypoCorrector(words, { indexed: false });
    let batch: Array<[string, number]> = [];
    for (const entry of words) {
      batch.push(entry);
      if (batch.length < slice) continue;
      corrector.index(batch);
      batch = [];
      await yieldToServer();
    }
    corrector.index(batch);
    return corrector;
  }

  private index(entries: Iterable<[string, number]>): void {
    for (const [word, df] of entries) {
      if (df < TYPO_TARGET_MIN_DF || word.length < TYPO_MIN_LENGTH - 1) continue;
      for (const key of deletionKeys(word)) {
        const list = this.deletions.get(key);
        if (list) list.push(word);
        else this.deletions.set(key, [word]);
      }
    }
  }

  correct(word: string): string {
    if (word.length < TYPO_MIN_LENGTH || (this.words.get(word) ?? 0) >= TYPO_TARGET_MIN_DF || /\d/.test(word)) return word;
    const cached = this.memo.get(word);
    if (cached !== undefined) return cached;
    let best = word;
    let bestDf = 0;
    for (const key of deletionKeys(word)) {
      for (const candidate of this.deletions.get(key) ?? []) {
        const df = this.words.get(candidate) ?? 0;
        if (df > bestDf && withinOneEdit(word, candidate)) [best, bestDf] = [candidate, df];
      }
    }
    if (this.memo.size > 200_000) this.memo.clear();
    this.memo.set(word, best);
    return best;
  }
}

function deletionKeys(word: string): string[] {
  const keys = [word];
  for (let i = 0; i < word.length; i++) keys.push(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

export function idf(model: Pick<MatchModel, "documents" | "df">, term: string): number {
  const df = model.df.get(term) ?? 0;
  return Math.log(1 + (model.documents - df + 0.5) / (df + 0.5));
}

/**
 * Concept tokens bridge languages and synonyms. Between texts in one language they mostly repeat
 * what the shared words already say, and counting both inflates glossary words; when the corpus
 * mixes languages, the bridge is what matters. So: 0.5 for a corpus in one language, rising to 1
 * when a tenth or more of the texts are in the other language.
 */
export function conceptWeightFor(texts: Array<Pick<MatchText, "language">>): number {
  if (texts.length === 0) return 1;
  const english = texts.filter((t) => t.language === "en").length;
  const minority = Math.min(english, texts.length - english) / texts.length;
  return 0.5 + 0.5 * Math.min(1, minority / 0.1);
}

/** Fits a model on a corpus (both sides together) and returns the texts analysed with it. */
export function fitModel(texts: MatchText[], lexicon: Lexicon, options: { seed?: number; now?: Date } = {}): FittedCorpus {
  const words = new Map<string, number>();
  for (const t of texts) {
    for (const w of new Set(rawWords(`${t.title}\n${t.body}`))) words.set(w, (words.get(w) ?? 0) + 1);
  }
  const corrector = new TypoCorrector(words);
  const conceptWeight = conceptWeightFor(texts);
  const analyzed = texts.map((t) => analyze(t.title, t.body, t.language, lexicon, { correct: (w) => corrector.correct(w), conceptWeight }));
  const df = new Map<string, number>();
  let totalLength = 0;
  for (const a of analyzed) {
    totalLength += a.length;
    for (const term of a.terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const documents = texts.length;
  const base = { documents, df };

  // LSA vocabulary: terms in at least two texts (one-text terms cannot relate texts), the most
  // frequent first; terms in most texts say little and are left out.
  const minDf = documents >= 20 ? 2 : 1;
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= minDf && n <= Math.max(2, documents * 0.5))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_LSA_TERMS)
    .map(([term]) => term);
  const termIndex = new Map(vocab.map((t, i) => [t, i]));
  const matrix = tfidfRows(analyzed, termIndex, base);
  const k = Math.max(1, Math.min(EMBEDDING_DIMENSIONS, documents - 1, vocab.length));
  const svd = vocab.length > 0 && documents > 1 ? truncatedSvd(matrix, k, { seed: options.seed ?? 1, powerIterations: 1 }) : { k: 0, v: new Float32Array(0) };

  const fittedAt = (options.now ?? new Date()).toISOString();
  const model: MatchModel = {
    version: `lsa-${fittedAt.replace(/[-:.TZ]/g, "").slice(0, 14)}-${documents}`,
    fittedAt,
    documents,
    avgLength: documents > 0 ? totalLength / documents : 1,
    conceptWeight,
    df,
    words: new Map([...words].filter(([, n]) => n >= TYPO_TARGET_MIN_DF)),
    lsa: { dimensions: svd.k, termIndex, vectors: svd.v },
  };
  return { model, analyzed };
}

function tfidfRows(analyzed: AnalyzedText[], termIndex: Map<string, number>, base: Pick<MatchModel, "documents" | "df">): SparseRows {
  const ptr = new Int32Array(analyzed.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  analyzed.forEach((a, r) => {
    const row = weightedRow(a, termIndex, base);
    for (const [i, w] of row) {
      idx.push(i);
      val.push(w);
    }
    ptr[r + 1] = idx.length;
  });
  return { rows: analyzed.length, cols: termIndex.size, ptr, idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

/** Sublinear TF-IDF over the LSA vocabulary, unit length. */
function weightedRow(a: AnalyzedText, termIndex: Map<string, number>, base: Pick<MatchModel, "documents" | "df">): Array<[number, number]> {
  const row: Array<[number, number]> = [];
  let norm = 0;
  for (const [term, tf] of a.terms) {
    const i = termIndex.get(term);
    if (i === undefined) continue;
    const w = (1 + Math.log(tf)) * idf(base, term);
    if (w <= 0) continue;
    row.push([i, w]);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  return norm > 0 ? row.map(([i, w]) => [i, w / norm]) : [];
}

/** The LSA vector of an analysed text, unit length and padded; all zeros when nothing is known. */
export function embedAnalyzed(model: MatchModel, a: AnalyzedText): Float32Array {
  const out = new Float32Array(EMBEDDING_DIMENSIONS);
  const { dimensions, termIndex, vectors } = model.lsa;
  for (const [i, w] of weightedRow(a, termIndex, model)) {
    const row = i * dimensions;
    for (let j = 0; j < dimensions; j++) out[j]! += w * vectors[row + j]!;
  }
  return normalize(out);
}

export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) dot += a[i]! * b[i]!;
  return dot;
}

/** Analyses a text that came after the fit, with the fit's typo targets. */
export function analyzeWithModel(model: MatchModel, corrector: TypoCorrector, text: MatchText, lexicon: Lexicon): AnalyzedText {
  return analyze(text.title, text.body, text.language, lexicon, { correct: (w) => corrector.correct(w), conceptWeight: model.conceptWeight });
}

// ---- storage form -------------------------------------------------------------------------

export interface StoredModel {
  version: string;
  fittedAt: string;
  documents: number;
  /** JSON of everything but the LSA matrix. */
  meta: string;
  /** The LSA term vectors, Float32 little-endian. */
  vectors: Buffer;
}

export function serializeModel(model: MatchModel): StoredModel {
  const meta = {
    documents: model.documents,
    avgLength: model.avgLength,
    conceptWeight: model.conceptWeight,
    dimensions: model.lsa.dimensions,
    df: [...model.df],
    words: [...model.words],
    terms: [...model.lsa.termIndex.keys()],
  };
  return {
    version: model.version,
    fittedAt: model.fittedAt,
    documents: model.documents,
    meta: JSON.stringify(meta),
    vectors: Buffer.from(model.lsa.vectors.buffer, model.lsa.vectors.byteOffset, model.lsa.vectors.byteLength),
  };
}

export function deserializeModel(stored: StoredModel): MatchModel {
  const meta = JSON.parse(stored.meta) as {
    documents: number;
    avgLength: number;
    conceptWeight: number;
    dimensions: number;
    df: Array<[string, number]>;
    words: Array<[string, number]>;
    terms: string[];
  };
  // A copy (the stored bytes need not start on a 4-byte boundary); the typed-array constructor
  // copies in one block where Uint8Array.from went byte by byte (20 ms for 3 MB).
  const bytes = new Uint8Array(stored.vectors);
  return {
    version: stored.version,
    fittedAt: stored.fittedAt,
    documents: meta.documents,
    avgLength: meta.avgLength,
    conceptWeight: meta.conceptWeight,
    df: new Map(meta.df),
    words: new Map(meta.words),
    lsa: { dimensions: meta.dimensions, termIndex: new Map(meta.terms.map((t, i) => [t, i])), vectors: new Float32Array(bytes.buffer, 0, bytes.byteLength / 4) },
  };
}
