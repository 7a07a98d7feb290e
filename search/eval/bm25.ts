// A plain BM25 ranker, our own, as the baseline `npm run eval` puts next to the matcher on the
// same files in the same run. Published BM25 figures differ by a few points between
// implementations (tokeniser, stemmer, idf variant), so the fair comparison is with this one.
//
// Scoring follows Lucene/Anserini: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), which never goes
// negative for very common terms, and tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)).
// Text is English-only on purpose: lower-case, split on anything that is not a letter or digit
// (Unicode-aware, so "α-synuclein" keeps its "α"), Lucene's classic English stop words, and the
// Snowball English stemmer.
import snowball from "snowball-stemmers";

/**
 * Anserini's settings for BEIR ("flat" index: title and text as one field), kept because they
 * are what the published Lucene figure used. On SciFact test they give nDCG@10 0.680 and
 * recall@100 0.922 here (Anserini: 0.679 and 0.925); the other classic setting, k1 = 1.2 and
 * b = 0.75, gives 0.687, so either is fine and tuning them on the test set would flatter us.
 */
export const BM25_K1 = 0.9;
export const BM25_B = 0.4;

export interface Bm25Params {
  k1: number;
  b: number;
}

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (the classic 33 words). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
  "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
  "this", "to", "was", "will", "with",
]);

const NON_WORD = /[^\p{L}\p{N}]+/u;
const stemmer = snowball.newStemmer("english");
// The same few thousand words come back in every document; stemming each once keeps a whole
// collection's indexing in the low seconds.
const stems = new Map<string, string>();

function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemmer.stem(word);
    stems.set(word, s);
  }
  return s;
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(NON_WORD)) {
    if (word === "" || ENGLISH_STOP_WORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

export interface Bm25Document {
  id: string;
  text: string;
}

interface Postings {
  docs: number[];
  tfs: number[];
}

export class Bm25Index {
  readonly params: Bm25Params;
  private readonly ids: string[];
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  private readonly postings = new Map<string, Postings>();

  constructor(documents: readonly Bm25Document[], params: Bm25Params = { k1: BM25_K1, b: BM25_B }) {
    this.params = params;
    this.ids = documents.map((d) => d.id);
    this.lengths = new Float64Array(documents.length);
    let total = 0;
    documents.forEach((doc, i) => {
      const counts = new Map<string, number>();
      const tokens = tokenize(doc.text);
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let p = this.postings.get(term);
        if (!p) this.postings.set(term, (p = { docs: [], tfs: [] }));
        p.docs.push(i);
        p.tfs.push(tf);
      }
      this.lengths[i] = tokens.length;
      total += tokens.length;
    });
    this.averageLength = documents.length === 0 ? 0 : total / documents.length;
  }

  get documentCount(): number {
    return this.ids.length;
  }

  get termCount(): number {
    return this.postings.size;
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    const n = this.ids.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The ids of the k best documents for the query, best first; documents sharing no term are left out. */
  search(query: string, k: number): string[] {
    return this.scored(query, k).map((h) => h.id);
  }

  /** As search, with the scores (for tests and for looking at a ranking by hand). */
  scored(query: string, k: number): Array<{ id: string; score: number }> {
    const { k1, b } = this.params;
    // A term said twice in the query weighs twice, as in a Lucene bag-of-words query.
    const terms = new Map<string, number>();
    for (const t of tokenize(query)) terms.set(t, (terms.get(t) ?? 0) + 1);
    const scores = new Float64Array(this.ids.length);
    const touched: number[] = [];
    for (const [term, weight] of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = this.idf(term) * weight;
      for (let j = 0; j < p.docs.length; j++) {
        const d = p.docs[j]!;
        const tf = p.tfs[j]!;
        const norm = k1 * (1 - b + (b * this.lengths[d]!) / this.averageLength);
        if (scores[d] === 0) touched.push(d);
        scores[d]! += (idf * tf * (k1 + 1)) / (tf + norm);
      }
    }
    // Ties go to the earlier document, so a run is the same every time.
    touched.sort((x, y) => scores[y]! - scores[x]! || x - y);
    return touched.slice(0, Math.max(0, k)).map((d) => ({ id: this.ids[d]!, score: scores[d]! }));
  }
}
