// The matcher as the portal, `npm run match` and the bench run it: features from SQLite,
// candidates from Meilisearch, the final order from the pure scoring in score.ts.
//
// Meilisearch cannot take a whole challenge as a query (it reads ten words, and the first is
// mandatory by default), so the candidates come from short queries sent together: the record's
// vector against the other side's vectors, and its six most distinctive words with the
// "frequency" strategy (any of them may match). The union is re-ranked here with every word of
// both texts, the tags and the vectors, and the features are kept as the explanation.
import type { DB } from "../../db/client";
import { silentLogger, type Logger } from "../../db/log";
import {
  findCurrentModel,
  findCurrentModelInfo,
  hasFeaturesNotUnder,
  listDismissedPartners,
  listFeatures,
  listMatchableIds,
  saveFeatures,
  type FeatureRow,
  type RecordKind,
} from "../../db/queries/matcher";
import { MATCHABLE_CHALLENGE_STATUSES, MATCHABLE_SOLUTION_STATUSES } from "../../db/rules/matches";
import { indexName, type IndexKind, type SearchContext } from "../client";
import { isConcept, type AnalyzedText, type Lexicon } from "./analyze";
import { analyzeWithModel, deserializeModel, embedAnalyzed, idf, TypoCorrector, type MatchModel } from "./model";
import { fitAndStore } from "./fit";
import { fitInProcess } from "./fit-process";
import { decodeFeatures, encodeFeatures, isZero, loadTexts, textTags } from "./records";
import { matcherLexicon } from "./resources";
import { DEFAULT_WEIGHTS, scorePair, type PairScore, type RecordFeatures, type Weights } from "./score";
import type { Embedder, MatchText } from "./types";
import { yieldToServer } from "./yield";

export const EMBEDDER_NAME = "lsa";

/** A model as the server holds it: with the index that corrects typos against its words. */
interface Loaded {
  model: MatchModel;
  corrector: TypoCorrector;
}

export interface RankedPartner extends PairScore {
  id: number;
}

export interface MatcherOptions {
  log?: Logger;
  weights?: Weights;
  lexicon?: Lexicon;
  /** Vectors from an embedding service instead of the model's own LSA (http-embedder.ts). */
  embedder?: Embedder;
  /**
   * Fit in a process of its own on this SQLite file (the portal: requests keep being answered
   * during a refit, and the fit's memory is not the server's). Only with the matcher's own
   * lexicon, which the process loads itself, and without an embedding service.
   */
  fitProcess?: { databaseFile: string };
  /** Candidates from the vector query and from each word query. */
  vectorCandidates?: number;
  wordCandidates?: number;
}

/** Filters for the records the matcher may suggest: public and still in play. */
const TARGET_FILTER: Record<RecordKind, string> = {
  challenge: `is_public = true AND status IN ${JSON.stringify(MATCHABLE_CHALLENGE_STATUSES)}`,
  solution: `is_public = true AND status IN ${JSON.stringify(MATCHABLE_SOLUTION_STATUSES)}`,
};

// One query of six words: each keyword query costs Meilisearch 10–15 ms over long texts, the
// vector query a few; more keyword queries bought SciFact 0.001 nDCG@10 for 20 ms (measured).
const WORDS_PER_QUERY = 6;
const WORD_QUERIES = 1;
/** Decoded features kept in memory: candidates recur across rankings, parsing them is the cost. */
const FEATURE_CACHE_SIZE = 20_000;

export class Matcher {
  private readonly log: Logger;
  private readonly weights: Weights;
  private readonly lexicon: Lexicon;
  private readonly vectorCandidates: number;
  private readonly wordCandidates: number;
  private readonly embedder: Embedder | undefined;
  private readonly fitProcess: { databaseFile: string } | undefined;
  private loaded: Loaded | undefined;
  private loading: { version: string; done: Promise<Loaded | undefined> } | undefined;
  /** kind:id → features under `version`; a Map keeps insertion order, so the oldest go first. */
  private readonly cache = new Map<string, { version: string; features: RecordFeatures }>();
  /** Aborted when the portal stops: a refit running in its own process is stopped with it. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: DB,
    private readonly search: SearchContext,
    options: MatcherOptions = {},
  ) {
    this.log = options.log ?? silentLogger;
    this.weights = options.weights ?? DEFAULT_WEIGHTS;
    this.lexicon = options.lexicon ?? matcherLexicon();
    this.vectorCandidates = options.vectorCandidates ?? 150;
    this.wordCandidates = options.wordCandidates ?? 100;
    this.embedder = options.embedder;
    this.fitProcess = options.lexicon === undefined ? options.fitProcess : undefined;
  }

  /** Stops a refit running in its own process (it rejects); the matcher is not used after this. */
  stop(): void {
    this.stopping.abort();
  }

  /**
   * The version features are made under: the model's, and the embedding service's when one is
   * used, so a change of either marks every stored vector as outdated.
   */
  featureVersion(model: MatchModel): string {
    return this.embedder ? `${model.version}+${this.embedder.version}` : model.version;
  }

  /** Whether some stored features were made under another model or embedder than the current. */
  async needsReembedding(): Promise<boolean> {
    const info = await findCurrentModel(this.db);
    if (!info) return false;
    const expected = this.embedder ? `${info.version}+${this.embedder.version}` : info.version;
    return hasFeaturesNotUnder(this.db, expected);
  }

  /** The vectors of analysed texts: the LSA projection, or the embedding service's. */
  private async vectors(model: MatchModel, texts: MatchText[], analyzed: AnalyzedText[]): Promise<Float32Array[]> {
    if (!this.embedder) return analyzed.map((a) => embedAnalyzed(model, a));
    return this.embedder.embed(texts.map((t) => `${t.title}\n${t.body}`));
  }

  /** The current model, loaded from SQLite (or fitted when there is none yet). */
  async model(): Promise<MatchModel> {
    return (await this.current()).model;
  }

  /** The current model with its typo corrector. */
  private async current(): Promise<Loaded> {
    // Only the version is read on every call: the model itself is megabytes at scale.
    const info = await findCurrentModelInfo(this.db);
    if (!info) return this.fitFirst();
    if (this.loaded?.model.version === info.version) return this.loaded;
    // One load per new version, however many requests ask meanwhile.
    if (this.loading?.version !== info.version) {
      const loading = { version: info.version, done: this.load() };
      this.loading = loading;
      void loading.done.finally(() => {
        if (this.loading === loading) this.loading = undefined;
      }).catch(() => undefined);
    }
    return (await this.loading!.done) ?? this.fitFirst();
  }

  /** No model stored yet: fit one (refit stores it, then loads it). */
  private async fitFirst(): Promise<Loaded> {
    await this.refit();
    return this.loaded!;
  }

  /** Loads the current model in steps, the server's thread free between them. */
  private async load(): Promise<Loaded | undefined> {
    await yieldToServer();
    const stored = await findCurrentModel(this.db);
    if (!stored) return undefined;
    await yieldToServer();
    const model = deserializeModel(stored);
    await yieldToServer();
    const loaded = { model, corrector: await TypoCorrector.build(model.words) };
    // A slower load of an older model must not replace a newer one.
    if (!this.loaded || this.loaded.model.fittedAt <= model.fittedAt) this.loaded = loaded;
    return loaded;
  }

  /**
   * Fits a new model on every challenge and solution, stores it with every record's features,
   * and queues the search documents (their vectors changed) and the suggestions for
   * recomputation. The features are in SQLite before anything is queued.
   */
  async refit(options: { now?: Date; queue?: boolean } = {}): Promise<{ model: MatchModel; records: number; ms: number; fitProcessPeakRssKb?: number }> {
    const started = Date.now();
    // A caller that indexes and matches everything itself (npm run match) needs no queue.
    const queue = options.queue !== false;
    const outcome =
      this.fitProcess && !this.embedder
        ? await fitInProcess({ databaseFile: this.fitProcess.databaseFile, now: options.now?.toISOString(), queue }, this.stopping.signal)
        : await fitAndStore(this.db, {
            lexicon: this.lexicon,
            now: options.now,
            vectors: this.embedder ? (model, texts, analyzed) => this.vectors(model, texts, analyzed) : undefined,
            featureVersion: (model) => this.featureVersion(model),
            queue,
          });
    this.cache.clear();
    const model = await this.model();
    const ms = Date.now() - started;
    const fitProcessPeakRssKb = "peakRssKb" in outcome ? (outcome.peakRssKb as number) : undefined;
    this.log.info("matcher model fitted", { version: model.version, records: outcome.records, ms, ...(fitProcessPeakRssKb ? { fitProcessPeakMb: Math.round(fitProcessPeakRssKb / 1024) } : {}) });
    return { model, records: outcome.records, ms, fitProcessPeakRssKb };
  }

  /** Computes and stores the features of some records with the current model. */
  async computeFeatures(kind: RecordKind, ids: number[]): Promise<Map<number, RecordFeatures>> {
    const { model, corrector } = await this.current();
    const texts = [...(await loadTexts(this.db, kind, ids))];
    const analyzed = texts.map(([, text]) => analyzeWithModel(model, corrector, text, this.lexicon));
    const vectors = await this.vectors(
      model,
      texts.map(([, t]) => t),
      analyzed,
    );
    const version = this.featureVersion(model);
    const out = new Map<number, RecordFeatures>();
    const rows: FeatureRow[] = [];
    texts.forEach(([id, text], i) => {
      const f: RecordFeatures = { ...analyzed[i]!, language: text.language, embedding: vectors[i]!, tags: textTags(text) };
      out.set(id, f);
      rows.push(encodeFeatures(kind, id, version, f));
    });
    await saveFeatures(this.db, rows);
    for (const [id, f] of out) this.remember(kind, id, version, f);
    return out;
  }

  /** A record's stored features, computing them when missing or made with another model. */
  async features(kind: RecordKind, id: number): Promise<RecordFeatures | undefined> {
    const model = await this.model();
    const [row] = await listFeatures(this.db, kind, [id], { withSurface: true });
    if (row && row.modelVersion === this.featureVersion(model)) return decodeFeatures(row);
    return (await this.computeFeatures(kind, [id])).get(id);
  }

  /**
   * The best partners of one record on the other side, best first: `top` of them, whatever their
   * score (callers apply the display threshold). Pairs a curator dismissed are left out.
   */
  async rank(kind: RecordKind, id: number, top: number, query?: RecordFeatures, options: { fill?: number } = {}): Promise<RankedPartner[]> {
    const model = await this.model();
    const self = query ?? (await this.features(kind, id));
    if (!self) return [];
    const other: RecordKind = kind === "challenge" ? "solution" : "challenge";
    const dismissed = await listDismissedPartners(this.db, kind, id);
    const searches = this.candidateSearches(other, self, model);
    const seen = new Set<number>();
    const scored: RankedPartner[] = [];
    const score = async (ids: number[]) => {
      const fresh = ids.filter((x) => !seen.has(x) && !dismissed.has(x));
      for (const x of fresh) seen.add(x);
      for (const [partner, f] of await this.cachedFeatures(other, fresh, model)) {
        const pair = kind === "challenge" ? scorePair(self, f, model, this.weights, false) : scorePair(f, self, model, this.weights, false);
        scored.push({ id: partner, ...pair });
      }
    };
    // Each search's candidates are scored as soon as it answers: the vector search is the
    // quicker, and scoring its candidates overlaps the word search still running.
    await Promise.all(searches.map(async (search) => score(await search)));
    // The command line promises k partners whenever there are k: when the searches found
    // fewer, the rest of the other side is scored too.
    if (options.fill && scored.length < options.fill) await score(await listMatchableIds(this.db, other));
    scored.sort((a, b) => b.exact - a.exact || a.id - b.id);
    const kept = scored.slice(0, top);
    await this.explainWithSurfaces(kind, self, other, kept, model);
    return kept;
  }

  /**
   * Features of many records for scoring (without surface words), from memory when this process
   * decoded them before under the same version. Vectors of another model are dropped: they are
   * not comparable with the query's.
   */
  private async cachedFeatures(kind: RecordKind, ids: number[], model: MatchModel): Promise<Array<[number, RecordFeatures]>> {
    const version = this.featureVersion(model);
    const out: Array<[number, RecordFeatures]> = [];
    const missing: number[] = [];
    for (const id of ids) {
      const hit = this.cache.get(`${kind}:${id}`);
      if (hit && hit.version === version) out.push([id, hit.features]);
      else missing.push(id);
    }
    for (const row of await listFeatures(this.db, kind, missing)) {
      const f = decodeFeatures(row);
      if (row.modelVersion !== version) f.embedding = new Float32Array(0);
      else this.remember(kind, row.id, version, f);
      out.push([row.id, f]);
    }
    return out;
  }

  private remember(kind: RecordKind, id: number, version: string, features: RecordFeatures): void {
    const key = `${kind}:${id}`;
    this.cache.delete(key);
    this.cache.set(key, { version, features: { ...features, surface: new Map() } });
    if (this.cache.size > FEATURE_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Scoring ran without the partners' surface words; the kept pairs get them for their reasons. */
  private async explainWithSurfaces(kind: RecordKind, self: RecordFeatures, other: RecordKind, kept: RankedPartner[], model: MatchModel): Promise<void> {
    const rows = await listFeatures(
      this.db,
      other,
      kept.map((k) => k.id),
      { withSurface: true },
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const k of kept) {
      const row = byId.get(k.id);
      if (!row) continue;
      const f = decodeFeatures(row);
      if (row.modelVersion !== this.featureVersion(model)) f.embedding = new Float32Array(0);
      k.reasons = (kind === "challenge" ? scorePair(self, f, model, this.weights) : scorePair(f, self, model, this.weights)).reasons;
    }
  }

  /**
   * The searches for candidates, already sent: separate requests rather than one multi-search,
   * because Meilisearch answers a multi-search's queries one after another, and separate
   * requests let it use every core (measured: 35 ms instead of 50 ms for four queries over
   * 5,000 solutions).
   */
  private candidateSearches(other: RecordKind, query: RecordFeatures, model: MatchModel): Array<Promise<number[]>> {
    const index = this.search.client.index(indexName(this.search, indexOfKind(other)));
    const filter = TARGET_FILTER[other];
    const ids = (params: Record<string, unknown>) => index.search(null, params as never).then((r) => (r.hits as Array<{ id: number }>).map((h) => h.id));
    const searches: Array<Promise<number[]>> = [];
    if (!isZero(query.embedding) && query.embedding.length > 0) {
      searches.push(
        ids({
          vector: Array.from(query.embedding),
          hybrid: { embedder: EMBEDDER_NAME, semanticRatio: 1 },
          limit: this.vectorCandidates,
          filter,
          attributesToRetrieve: ["id"],
        }),
      );
    }
    if (this.wordCandidates > 0) {
      for (const words of distinctiveWordGroups(query, model)) {
        searches.push(ids({ q: words.join(" "), matchingStrategy: "frequency", limit: this.wordCandidates, filter, attributesToRetrieve: ["id"] }));
      }
    }
    return searches;
  }
}

function indexOfKind(kind: RecordKind): IndexKind {
  return kind === "challenge" ? "challenges" : "solutions";
}

/**
 * The record's most distinctive words (weight in the text × rarity in the corpus), as typed,
 * in groups Meilisearch reads whole. Concept tokens contribute their words too, so the index's
 * synonyms can carry them across languages.
 */
export function distinctiveWordGroups(f: RecordFeatures, model: Pick<MatchModel, "documents" | "df">): string[][] {
  const ranked = [...f.terms]
    .map(([term, tf]) => ({ term, weight: Math.log(1 + tf) * idf(model, term) }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
  const words: string[] = [];
  const seen = new Set<string>();
  for (const { term } of ranked) {
    const surface = f.surface.get(term);
    if (!surface) continue;
    for (const w of isConcept(term) ? surface.split(" ") : [surface]) {
      if (seen.has(w)) continue;
      seen.add(w);
      words.push(w);
    }
    if (words.length >= WORDS_PER_QUERY * WORD_QUERIES) break;
  }
  const groups: string[][] = [];
  for (let i = 0; i < WORD_QUERIES; i++) {
    const g = words.slice(i * WORDS_PER_QUERY, (i + 1) * WORDS_PER_QUERY);
    if (g.length > 0) groups.push(g);
  }
  return groups;
}
