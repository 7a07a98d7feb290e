// A seeded generator of challenges and solutions that read like the real ones, for the bench
// (scripts/bench.ts) and anyone who needs a large corpus. There is no large Danish corpus of
// municipal challenges to borrow, so the texts recombine the sentences and paragraphs of the
// demo content (db/demo/), grouped by its theme: a generated text about school kitchens draws
// most of its sentences from the demo texts about school kitchens, some from the other themes of
// the same administration and a few from anywhere, so texts about one theme share vocabulary the
// way real ones do. Word noise (dropped words, glossary synonyms, typos, other numbers and
// districts) keeps them from being copies. Tags come from the reference data.
//
// Record i of a kind depends only on the seed and i, not on how many records are asked for, so
// `--solutions 5000` and `--solutions 20000` share their first 5000 solutions.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { readDemoData, type DemoChallenge, type DemoSolution } from "../../db/demo";
import { DEFAULT_REFERENCE_DIR, readReferenceData } from "../../db/reference";
import type { Language, OrganisationKind, SolutionStage } from "../../db/schema";
import { markdownToText } from "../../search/danish";
import { loadGlossary } from "../../search/lexicon";

export interface SyntheticTags {
  wholeCity: boolean;
  /** District codes (db/reference/copenhagen/districts.json). */
  districts: string[];
  sdgGoals: number[];
  /** Target ids such as "11.7" (db/reference/sdgs.json). */
  sdgTargets: string[];
  /** Target group codes (db/reference/copenhagen/target-groups.json). */
  targetGroups: string[];
}

interface SyntheticCommon extends SyntheticTags {
  key: string;
  /** The demo theme the text was recombined from (db/demo/THEMES.md). */
  theme: number;
  language: Language;
  title: string;
  summary: string;
  /** Plain text, paragraphs separated by blank lines. */
  description: string;
}

export interface SyntheticChallenge extends SyntheticCommon {
  /** Administration code, e.g. "SUF". */
  administration: string;
  status: "open" | "in_dialogue";
  outcomeHoped: string | null;
  outcomeMeasure: string | null;
  budgetMinDkk: number | null;
  budgetMaxDkk: number | null;
}

export interface SyntheticSolution extends SyntheticCommon {
  organisation: { name: string; kind: Exclude<OrganisationKind, "municipal_administration"> };
  status: "published";
  stage: SolutionStage;
  evidence: string | null;
  priceModel: string | null;
}

export interface SyntheticOptions {
  seed?: number;
  /** Share of records written in English (default 0.15). */
  englishShare?: number;
  /** Word counts of the descriptions (defaults: challenges 300–700, solutions 150–500). */
  challengeWords?: [number, number];
  solutionWords?: [number, number];
}

// ---------------------------------------------------------------------------------------------
// Randomness: small, fast and the same on every machine.

/** A 32-bit hash of a string (FNV-1a followed by a murmur finaliser). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: a tiny seeded generator (the bench draws its query sample from it too). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** k distinct items (fewer when there are fewer). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < k && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    return out;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// The source material: the demo texts cut into sentences, paragraphs and headings.

type Kind = "challenge" | "solution";

interface Sentence {
  id: number;
  text: string;
  words: number;
}

/** The material of one theme in one language. */
interface Pool {
  sentences: Record<Kind, Sentence[]>;
  paragraphs: Record<Kind, Sentence[][]>;
  titles: Record<Kind, string[]>;
  summaries: Record<Kind, string[]>;
  headings: Record<Kind, string[]>;
  outcomes: Array<{ hoped: string | null; measure: string | null }>;
  evidence: string[];
  priceModels: string[];
}

interface ThemeInfo {
  theme: number;
  administration: string;
  pools: Partial<Record<Language, Pool>>;
  districts: string[];
  wholeCity: boolean;
  sdgGoals: number[];
  sdgTargets: string[];
  targetGroups: string[];
  stages: SolutionStage[];
  budgets: Array<[number | null, number | null]>;
}

const SENTENCE_END = /(?<=[.!?…])\s+(?=[A-ZÆØÅ»"„(])/u;
const WORD_COUNT = /\S+/g;

function countWords(text: string): number {
  return text.match(WORD_COUNT)?.length ?? 0;
}

function emptyPool(): Pool {
  const byKind = <T>(make: () => T): Record<Kind, T> => ({ challenge: make(), solution: make() });
  return {
    sentences: byKind(() => []),
    paragraphs: byKind(() => []),
    titles: byKind(() => []),
    summaries: byKind(() => []),
    headings: byKind(() => []),
    outcomes: [],
    evidence: [],
    priceModels: [],
  };
}

/** A block of Markdown-stripped text is a heading when it is short, capitalised and has no sentence end. */
function isHeading(block: string): boolean {
  return countWords(block) <= 7 && !/[.!?:;]$/.test(block) && /^[\p{Lu}\d]/u.test(block);
}

/**
 * Sentences that only make sense in their own record: news about a closed challenge, and
 * lead-ins to a list ("Vi søger en partner, der kan:") that the recombination would cut off.
 */
function keepable(sentence: string): boolean {
  return !/:$/.test(sentence) && !/^(Opdatering|Update)\b|Udfordringen er (lukket|løst)|challenge (is|was|has been) (closed|solved)/i.test(sentence);
}

function keepableText(text: string): string {
  return text
    .split(SENTENCE_END)
    .filter((s) => keepable(s.trim()))
    .join(" ");
}

/** A list item ("skabe fællesskaber om ...") read as a sentence of its own. */
function asSentence(text: string): string {
  let s = text.trim();
  if (s === "") return s;
  s = s[0]!.toLocaleUpperCase("da") + s.slice(1);
  if (!/[.!?…:»"]$/.test(s)) s = `${s.replace(/[,;:]$/, "")}.`;
  return s;
}

class Material {
  readonly themes = new Map<number, ThemeInfo>();
  /** Sentences of every published demo text, by language: the "anywhere" draws. */
  readonly anywhere: Record<Language, Record<Kind, Sentence[]>> = {
    da: { challenge: [], solution: [] },
    en: { challenge: [], solution: [] },
  };
  readonly headings: Record<Language, Record<Kind, string[]>> = { da: { challenge: [], solution: [] }, en: { challenge: [], solution: [] } };
  readonly organisations: Array<{ name: string; kind: SyntheticSolution["organisation"]["kind"] }>;
  readonly districts: Array<{ code: string; name: string }>;
  /** District names as they appear in texts, to be replaced by the record's own places. */
  readonly districtNames: RegExp;
  readonly targetGroups: string[];
  readonly administrations: string[];
  readonly sdgTargets: Map<number, string[]>;
  readonly synonyms: Record<Language, Map<string, string[]>>;
  private nextSentence = 0;

  constructor() {
    const demo = readDemoData();
    const reference = readReferenceData(DEFAULT_REFERENCE_DIR);
    this.districts = reference["districts.json"].map((d) => ({ code: d.code, name: d.name_da.split("/")[0]!.trim() }));
    const names = reference["districts.json"].flatMap((d) => d.name_da.split("/").map((n) => n.trim()));
    this.districtNames = new RegExp(`(?<![\\p{L}])(${names.sort((a, b) => b.length - a.length).map(escapeRegExp).join("|")})(?![\\p{L}])`, "gu");
    this.targetGroups = reference["target-groups.json"].map((g) => g.code);
    this.administrations = reference["administrations.json"].map((a) => a.code);
    const sdgs = JSON.parse(fs.readFileSync(fileURLToPath(new URL("../../db/reference/sdgs.json", import.meta.url)), "utf8")) as {
      targets: Array<{ id: string; goal: number }>;
    };
    this.sdgTargets = new Map();
    for (const t of sdgs.targets) this.sdgTargets.set(t.goal, [...(this.sdgTargets.get(t.goal) ?? []), t.id]);
    this.synonyms = synonymMaps();
    this.organisations = demo.organisations.map((o) => ({ name: o.name, kind: o.kind }));

    // Drafts are left out: they are unfinished, and one carries a canary word that must never
    // reach a public page.
    const challenges = demo.challenges.filter((c) => c.status !== "draft");
    const solutions = demo.solutions.filter((s) => s.status !== "draft");
    for (const c of challenges) if (c.theme !== null) this.theme(c.theme, c.administration);
    for (const c of challenges) this.add("challenge", c);
    for (const s of solutions) this.add("solution", s);
  }

  private theme(theme: number, administration: string): ThemeInfo {
    let info = this.themes.get(theme);
    if (!info) {
      info = { theme, administration, pools: {}, districts: [], wholeCity: false, sdgGoals: [], sdgTargets: [], targetGroups: [], stages: [], budgets: [] };
      this.themes.set(theme, info);
    }
    return info;
  }

  private add(kind: Kind, record: DemoChallenge | DemoSolution): void {
    const language = record.language;
    const info = record.theme === null ? undefined : this.themes.get(record.theme);
    const pool = info ? (info.pools[language] ??= emptyPool()) : undefined;
    const blocks = markdownToText(record.description).split("\n").map((b) => b.trim()).filter(Boolean);
    for (const block of blocks) {
      if (isHeading(block)) {
        if (!keepable(block)) continue;
        pool?.headings[kind].push(block);
        this.headings[language][kind].push(block);
        continue;
      }
      const paragraph: Sentence[] = [];
      for (const part of block.split(SENTENCE_END)) {
        const text = asSentence(part);
        if (countWords(text) < 3 || !keepable(text)) continue;
        const sentence = { id: this.nextSentence++, text, words: countWords(text) };
        paragraph.push(sentence);
        pool?.sentences[kind].push(sentence);
        this.anywhere[language][kind].push(sentence);
      }
      if (paragraph.length > 0) pool?.paragraphs[kind].push(paragraph);
    }
    if (!info || !pool) return;
    pool.titles[kind].push(record.title);
    const summary = keepableText(record.summary);
    if (summary) pool.summaries[kind].push(summary);
    info.districts.push(...record.districts);
    info.wholeCity ||= record.wholeCity;
    info.sdgGoals.push(...record.sdgGoals);
    info.sdgTargets.push(...record.sdgTargets);
    info.targetGroups.push(...record.targetGroups);
    if ("administration" in record) {
      pool.outcomes.push({ hoped: record.outcomeHoped, measure: record.outcomeMeasure });
      info.budgets.push([record.budgetMinDkk, record.budgetMaxDkk]);
    } else {
      info.stages.push(record.stage);
      if (record.evidence.trim()) pool.evidence.push(record.evidence);
      if (record.priceModel.trim()) pool.priceModels.push(record.priceModel);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Same-language synonyms from the portal's glossary: "ældre" may become "seniorer". */
function synonymMaps(): Record<Language, Map<string, string[]>> {
  const out: Record<Language, Map<string, string[]>> = { da: new Map(), en: new Map() };
  for (const entry of loadGlossary().entries) {
    for (const language of ["da", "en"] as const) {
      const terms = [...new Set(entry[language].map((t) => t.toLocaleLowerCase("da").trim()))].filter(Boolean);
      if (terms.length < 2) continue;
      for (const term of terms) {
        if (term.includes(" ")) continue;
        out[language].set(term, terms.filter((t) => t !== term));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Word noise

const NOISE = { drop: 0.02, synonym: 0.3, typo: 0.006, number: 0.5 };
const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: "sq", e: "wr", i: "uo", o: "ip", u: "yi", n: "bm", r: "et", s: "ad", t: "ry", l: "kæ", d: "sf", g: "fh", k: "jl", m: "n", æ: "lø", ø: "æå",
};

function typo(word: string, rng: SeededRandom): string {
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 4)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    case 3: {
      const near = KEYBOARD_NEIGHBOURS[word[i]!.toLowerCase()];
      return near ? word.slice(0, i) + rng.pick([...near]) + word.slice(i + 1) : word;
    }
    default:
      // Written without a Danish keyboard.
      return word.replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa");
  }
}

function matchCase(replacement: string, original: string): string {
  return original[0] === original[0]!.toLocaleUpperCase("da") && original[0] !== original[0]!.toLocaleLowerCase("da")
    ? replacement[0]!.toLocaleUpperCase("da") + replacement.slice(1)
    : replacement;
}

/** Numbers change, years stay: "6.800 borgere" may become "4.215 borgere", "2024" stays. */
function otherNumbers(text: string, rng: SeededRandom): string {
  return text.replace(/\d+/g, (digits) => {
    if (/^(19|20)\d\d$/.test(digits) || !rng.chance(NOISE.number)) return digits;
    let out = digits.length > 1 ? String(rng.int(1, 9)) : String(rng.int(2, 9));
    for (let i = 1; i < digits.length; i++) out += String(rng.int(0, 9));
    return out;
  });
}

function addNoise(text: string, language: Language, rng: SeededRandom, synonyms: Record<Language, Map<string, string[]>>): string {
  const tokens = otherNumbers(text, rng).split(/(\s+)/);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i % 2 === 1) {
      out.push(token);
      continue;
    }
    const match = /^([^\p{L}]*)(\p{L}+)([^\p{L}]*)$/u.exec(token);
    if (!match) {
      out.push(token);
      continue;
    }
    const [, before, word, after] = match as unknown as [string, string, string, string];
    // Never the first word, nor one carrying punctuation that ends a clause.
    if (i > 0 && before === "" && after === "" && rng.chance(NOISE.drop)) {
      out.pop();
      continue;
    }
    let w = word;
    const alternatives = synonyms[language].get(word.toLocaleLowerCase("da"));
    if (alternatives && rng.chance(NOISE.synonym)) w = matchCase(rng.pick(alternatives), word);
    else if (w.length >= 5 && rng.chance(NOISE.typo)) w = typo(w, rng);
    out.push(before + w + after);
  }
  return out.join("");
}

// ---------------------------------------------------------------------------------------------
// The generator

const ORGANISATION_WORDS = {
  first: ["Fælles", "Nabo", "Grønne", "Kvarter", "Social", "Unge", "Senior", "Lokal", "Åben", "Byens", "Hverdags", "Samvirke", "Broen", "Kraft", "Trivsels", "Værksteds", "Gade", "Mad", "Cykel", "Lærings", "Familie", "Frivillig", "Stærke", "Nye"],
  second: ["huset", "værkstedet", "stuen", "fællesskabet", "kollektivet", "netværket", "laboratoriet", "kompagniet", "partnerskabet", "initiativet", "haven", "køkkenet", "skolen", "fonden", "centret", "vennerne"],
};
interface Places {
  /** The record's own place, for titles such as "... i Valby". */
  own: string;
  replace: (text: string) => string;
}

const ORGANISATION_KINDS: Array<SyntheticSolution["organisation"]["kind"]> = ["social_enterprise", "association", "company", "foundation"];

export class SyntheticCorpus {
  private readonly seed: number;
  private readonly englishShare: number;
  private readonly challengeWords: [number, number];
  private readonly solutionWords: [number, number];
  private readonly material: Material;
  /** Themes by how often they come up: a few topics are common, most are not. */
  private readonly themeWeights: Record<Language, { themes: number[]; weights: number[] }>;
  private readonly neighbours = new Map<number, number[]>();

  constructor(options: SyntheticOptions = {}) {
    this.seed = options.seed ?? 1;
    this.englishShare = options.englishShare ?? 0.15;
    this.challengeWords = options.challengeWords ?? [300, 700];
    this.solutionWords = options.solutionWords ?? [150, 500];
    this.material = new Material();
    const rng = new SeededRandom(hash32(`themes:${this.seed}`));
    const all = rng.shuffle([...this.material.themes.keys()].sort((a, b) => a - b));
    const weightOf = new Map(all.map((t, rank) => [t, 1 / (rank + 1) ** 0.5]));
    const weighted = (themes: number[]) => ({ themes, weights: themes.map((t) => weightOf.get(t)!) });
    this.themeWeights = {
      da: weighted(all.filter((t) => this.material.themes.get(t)!.pools.da)),
      en: weighted(all.filter((t) => this.material.themes.get(t)!.pools.en)),
    };
    for (const info of this.material.themes.values()) {
      this.neighbours.set(
        info.theme,
        [...this.material.themes.values()].filter((o) => o.theme !== info.theme && o.administration === info.administration).map((o) => o.theme),
      );
    }
  }

  /** The themes that can be written in each language (English material is scarcer). */
  get themes(): Record<Language, number[]> {
    return { da: [...this.themeWeights.da.themes].sort((a, b) => a - b), en: [...this.themeWeights.en.themes].sort((a, b) => a - b) };
  }

  *challenges(count: number): Generator<SyntheticChallenge> {
    for (let i = 0; i < count; i++) yield this.challenge(i);
  }

  *solutions(count: number): Generator<SyntheticSolution> {
    for (let i = 0; i < count; i++) yield this.solution(i);
  }

  challenge(index: number): SyntheticChallenge {
    const rng = new SeededRandom(hash32(`challenge:${this.seed}:${index}`));
    const { language, info, pool } = this.chooseTheme(rng);
    const tags = this.tags(rng, info);
    const places = this.places(rng, tags, language);
    const noisy = (text: string) => places.replace(addNoise(text, language, rng, this.material.synonyms));
    const outcome = pool.outcomes.length > 0 && rng.chance(0.75) ? rng.pick(pool.outcomes) : undefined;
    const budget = info.budgets.length > 0 && rng.chance(0.7) ? rng.pick(info.budgets) : [null, null];
    const scale = 0.5 + rng.next() * 1.5;
    const round = (v: number | null) => (v === null ? null : Math.max(50_000, Math.round((v * scale) / 50_000) * 50_000));
    const budgetMin = round(budget[0]);
    const budgetMax = budget[1] === null ? null : Math.max(round(budget[1])!, budgetMin ?? 0);
    return {
      key: `c${String(index + 1).padStart(5, "0")}`,
      theme: info.theme,
      language,
      title: this.title(rng, "challenge", pool, language, places, undefined),
      summary: this.summary(rng, "challenge", pool, language, noisy),
      description: this.description(rng, "challenge", info, language, noisy),
      ...tags,
      administration: rng.chance(0.9) ? info.administration : rng.pick(this.material.administrations),
      status: rng.chance(0.85) ? "open" : "in_dialogue",
      outcomeHoped: outcome?.hoped ? noisy(outcome.hoped) : null,
      outcomeMeasure: outcome?.measure ? noisy(outcome.measure) : null,
      budgetMinDkk: budgetMin,
      budgetMaxDkk: budgetMax,
    };
  }

  solution(index: number): SyntheticSolution {
    const rng = new SeededRandom(hash32(`solution:${this.seed}:${index}`));
    const { language, info, pool } = this.chooseTheme(rng);
    const tags = this.tags(rng, info);
    const places = this.places(rng, tags, language);
    const noisy = (text: string) => places.replace(addNoise(text, language, rng, this.material.synonyms));
    const organisation = this.organisation(rng);
    return {
      key: `s${String(index + 1).padStart(5, "0")}`,
      theme: info.theme,
      language,
      title: this.title(rng, "solution", pool, language, places, organisation.name),
      summary: this.summary(rng, "solution", pool, language, noisy),
      description: this.description(rng, "solution", info, language, noisy),
      ...tags,
      organisation,
      status: "published",
      stage: info.stages.length > 0 && rng.chance(0.7) ? rng.pick(info.stages) : rng.pick(["idea", "pilot", "running", "scaling"] as const),
      evidence: pool.evidence.length > 0 && rng.chance(0.6) ? noisy(rng.pick(pool.evidence)) : null,
      priceModel: pool.priceModels.length > 0 && rng.chance(0.6) ? noisy(rng.pick(pool.priceModels)) : null,
    };
  }

  private chooseTheme(rng: SeededRandom): { language: Language; info: ThemeInfo; pool: Pool } {
    const language: Language = rng.chance(this.englishShare) && this.themeWeights.en.themes.length > 0 ? "en" : "da";
    const { themes, weights } = this.themeWeights[language];
    const info = this.material.themes.get(rng.weighted(themes, weights))!;
    return { language, info, pool: info.pools[language]! };
  }

  private tags(rng: SeededRandom, info: ThemeInfo): SyntheticTags {
    const m = this.material;
    const wholeCity = rng.chance(info.wholeCity ? 0.35 : 0.12);
    const districts = new Set<string>();
    if (!wholeCity || rng.chance(0.2)) {
      const n = rng.weighted([1, 2, 3], [6, 3, 1]);
      for (let i = 0; i < n; i++) districts.add(info.districts.length > 0 && rng.chance(0.5) ? rng.pick(info.districts) : rng.pick(m.districts).code);
    }
    const themeGoals = [...new Set(info.sdgGoals)];
    const goals = new Set(rng.sample(themeGoals, rng.int(1, Math.max(1, Math.min(3, themeGoals.length)))));
    if (goals.size === 0 || rng.chance(0.15)) goals.add(rng.int(1, 17));
    const targets = new Set<string>();
    for (const t of info.sdgTargets) if (goals.has(Number(t.split(".")[0])) && rng.chance(0.5)) targets.add(t);
    if (rng.chance(0.3)) {
      const goal = rng.pick([...goals]);
      const options = m.sdgTargets.get(goal) ?? [];
      if (options.length > 0) targets.add(rng.pick(options));
    }
    const themeGroups = [...new Set(info.targetGroups)];
    const groups = new Set(rng.sample(themeGroups, rng.int(1, Math.max(1, Math.min(3, themeGroups.length)))));
    if (groups.size === 0 || rng.chance(0.15)) groups.add(rng.pick(m.targetGroups));
    return {
      wholeCity,
      districts: [...districts],
      sdgGoals: [...goals].sort((a, b) => a - b),
      sdgTargets: [...targets],
      targetGroups: [...groups],
    };
  }

  /**
   * The places a record's text talks about: the first district a demo sentence names becomes the
   * record's own district (or the city), every other one another district, the same throughout
   * the record.
   */
  private places(rng: SeededRandom, tags: SyntheticTags, language: Language): Places {
    const names = tags.districts.map((code) => this.material.districts.find((d) => d.code === code)?.name ?? code);
    const own = names[0] ?? (language === "da" ? "København" : "Copenhagen");
    const others = rng.shuffle(this.material.districts.map((d) => d.name).filter((n) => !names.includes(n)));
    const queue = [...names.slice(1), ...others];
    const mapped = new Map<string, string>();
    return {
      own,
      replace: (text) =>
        text.replace(this.material.districtNames, (name) => {
          let to = mapped.get(name);
          if (!to) {
            to = mapped.size === 0 ? own : (queue.shift() ?? own);
            mapped.set(name, to);
          }
          return to;
        }),
    };
  }

  private organisation(rng: SeededRandom): SyntheticSolution["organisation"] {
    if (rng.chance(0.05)) return rng.pick(this.material.organisations);
    const word = `${rng.pick(ORGANISATION_WORDS.first)}${rng.pick(ORGANISATION_WORDS.second)}`;
    const capitalised = word[0]!.toLocaleUpperCase("da") + word.slice(1).toLocaleLowerCase("da");
    const name = rng.chance(0.3) ? `${capitalised} ${rng.pick(this.material.districts).name}` : capitalised;
    return { name, kind: ORGANISATION_KINDS[hash32(name) % ORGANISATION_KINDS.length]! };
  }

  private title(rng: SeededRandom, kind: Kind, pool: Pool, language: Language, places: Places, organisation: string | undefined): string {
    const own = pool.titles[kind];
    const all = [...own, ...pool.titles[kind === "challenge" ? "solution" : "challenge"]];
    const titles = own.length > 0 && rng.chance(0.7) ? own : all;
    const parts = (t: string) => t.split(/\s*[:–—]\s+/);
    const a = parts(rng.pick(titles));
    const b = parts(rng.pick(all));
    let title: string;
    const r = rng.next();
    if (r < 0.4 || a.length < 2) title = a.join(": ");
    else if (r < 0.75 && b.length >= 2) title = `${a[0]}: ${b[b.length - 1]}`;
    else title = `${a[a.length - 1]} ${language === "da" ? "i" : "in"} ${places.own}`;
    if (organisation && rng.chance(0.4)) title = `${organisation}: ${parts(title).at(-1)}`;
    title = places.replace(addNoise(title, language, rng, this.material.synonyms));
    return title[0]!.toLocaleUpperCase("da") + title.slice(1);
  }

  private summary(rng: SeededRandom, kind: Kind, pool: Pool, language: Language, noisy: (t: string) => string): string {
    const summaries = pool.summaries[kind].length > 0 ? pool.summaries[kind] : pool.summaries[kind === "challenge" ? "solution" : "challenge"];
    let text = summaries.length > 0 ? rng.pick(summaries) : "";
    if (text === "" || rng.chance(0.4)) {
      const own = pool.sentences[kind].length > 0 ? pool.sentences[kind] : this.material.anywhere[language][kind];
      text = `${text} ${rng.pick(own).text}`.trim();
    }
    return noisy(text);
  }

  /**
   * Paragraphs (sometimes a heading first) until the target length: whole demo paragraphs or
   * sentences put together, most from the record's theme, no sentence twice in one text.
   */
  private description(rng: SeededRandom, kind: Kind, info: ThemeInfo, language: Language, noisy: (t: string) => string): string {
    const [lo, hi] = kind === "challenge" ? this.challengeWords : this.solutionWords;
    const target = Math.round(lo + (hi - lo) * ((rng.next() + rng.next()) / 2));
    const other: Kind = kind === "challenge" ? "solution" : "challenge";
    const pool = info.pools[language]!;
    const neighbourPools = (this.neighbours.get(info.theme) ?? []).map((t) => this.material.themes.get(t)!.pools[language]).filter((p): p is Pool => Boolean(p));
    const used = new Set<number>();
    const fresh = (list: Sentence[]) => list.filter((s) => !used.has(s.id));
    // The whole language's sentences are many: sample and retry instead of filtering them.
    const anyUnused = (list: Sentence[]): Sentence | undefined => {
      for (let tries = 0; tries < 8 && list.length > 0; tries++) {
        const s = rng.pick(list);
        if (!used.has(s.id)) return s;
      }
      return undefined;
    };

    const drawSentence = (): Sentence | undefined => {
      const r = rng.next();
      const sources: Array<() => Sentence | undefined> = [];
      const fromList = (list: Sentence[]) => () => {
        const left = fresh(list);
        return left.length > 0 ? rng.pick(left) : undefined;
      };
      if (r < 0.72) sources.push(fromList(rng.chance(0.65) ? pool.sentences[kind] : pool.sentences[other]), fromList(pool.sentences[kind]), fromList(pool.sentences[other]));
      if (r < 0.9 && neighbourPools.length > 0) {
        const n = rng.pick(neighbourPools);
        sources.push(fromList(n.sentences[kind]), fromList(n.sentences[other]));
      }
      sources.push(() => anyUnused(this.material.anywhere[language][kind]), () => anyUnused(this.material.anywhere[language][other]));
      for (const source of sources) {
        const s = source();
        if (s) return s;
      }
      return undefined;
    };

    const headings = pool.headings[kind].length > 0 && rng.chance(0.6) ? pool.headings[kind] : this.material.headings[language][kind];
    const blocks: string[] = [];
    let words = 0;
    let stalls = 0;
    while (words < target && stalls < 20) {
      const heading = headings.length > 0 && rng.chance(blocks.length === 0 ? 0.4 : 0.25) ? noisy(rng.pick(headings)) : undefined;
      let sentences: Sentence[] = [];
      if (rng.chance(0.3) && pool.paragraphs[kind].length > 0) sentences = fresh(rng.pick(pool.paragraphs[kind]));
      if (sentences.length === 0) {
        const n = rng.int(2, 5);
        for (let i = 0; i < n; i++) {
          const s = drawSentence();
          if (s) sentences.push(s);
        }
      }
      const kept: string[] = [];
      for (const s of sentences) {
        if (used.has(s.id)) continue;
        if (words + s.words > hi) break;
        used.add(s.id);
        kept.push(noisy(s.text));
        words += s.words;
      }
      if (kept.length === 0) {
        stalls++;
        continue;
      }
      if (heading) {
        blocks.push(heading);
        words += countWords(heading);
      }
      blocks.push(kept.join(" "));
    }
    return blocks.join("\n\n");
  }
}
