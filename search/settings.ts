// Index settings as typed data, applied when an index is created and at start-up only when they
// differ from what the server has (a settings change makes Meilisearch re-index everything).
import type { Settings } from "meilisearch";
import { CHALLENGE_FACETS, SOLUTION_FACETS } from "../db/queries/browse";
import { apiErrorOf, indexName, waitForTask, type IndexKind, type SearchContext } from "./client";
import { loadGlossary, loadStopWords, synonymsFromGlossary } from "./lexicon";
import { EMBEDDING_DIMENSIONS } from "./matcher/model";

export const FACETS = {
  challenges: CHALLENGE_FACETS,
  solutions: SOLUTION_FACETS,
} as const satisfies Record<IndexKind, readonly string[]>;

// Order matters: a hit in the title outranks one in the body ("attribute" ranking rule).
const SEARCHABLE = ["title", "title_alt", "summary", "labels", "body", "organisation_name", "folded", "compounds"];

export function indexSettings(kind: IndexKind, vectorDimensions: number = EMBEDDING_DIMENSIONS): Settings {
  return {
    searchableAttributes: SEARCHABLE,
    displayedAttributes: ["*"],
    filterableAttributes: ["id", "is_public", "org_ids", "language", ...FACETS[kind]],
    sortableAttributes: ["published_at", "deadline", "title_sort"],
    rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
    stopWords: loadStopWords(),
    synonyms: synonymsFromGlossary(loadGlossary()),
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
      // Codes and numbers must match exactly.
      disableOnAttributes: [],
      disableOnNumbers: true,
    },
    faceting: { maxValuesPerFacet: 200, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: 5000 },
    // The matcher's vectors (search/matcher): computed by the portal, never by Meilisearch.
    embedders: { lsa: { source: "userProvided", dimensions: vectorDimensions } },
  };
}

function canonical(value: unknown, sortArrays: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, sortArrays));
    return sortArrays ? items.map((v) => JSON.stringify(v)).sort() : items;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v, sortArrays)]),
    );
  }
  return value;
}

// Lists whose order means something; the server may return the others in any order.
const ORDERED = new Set(["searchableAttributes", "rankingRules"]);

/** The settings keys whose wanted value differs from the server's. */
export function settingsDiff(wanted: Settings, current: Settings): Array<keyof Settings> {
  const differing: Array<keyof Settings> = [];
  for (const key of Object.keys(wanted) as Array<keyof Settings>) {
    const sortArrays = !ORDERED.has(key);
    const w = JSON.stringify(canonical(wanted[key], sortArrays));
    const c = JSON.stringify(canonical(pick(current[key], wanted[key]), sortArrays));
    if (w !== c) differing.push(key);
  }
  return differing;
}

/** Compare only the parts of a nested settings object that we set ourselves. */
function pick(current: unknown, wanted: unknown): unknown {
  if (wanted && typeof wanted === "object" && !Array.isArray(wanted) && current && typeof current === "object") {
    return Object.fromEntries(
      Object.keys(wanted as object).map((k) => [k, pick((current as Record<string, unknown>)[k], (wanted as Record<string, unknown>)[k])]),
    );
  }
  return current;
}

/**
 * Creates the index if needed and brings its settings up to date. Returns the keys it changed
 * (empty when the server already had them).
 */
export async function ensureIndex(ctx: SearchContext, kind: IndexKind, uid: string = indexName(ctx, kind)): Promise<Array<keyof Settings>> {
  const wanted = indexSettings(kind, ctx.vectorDimensions);
  let current: Settings | undefined;
  try {
    current = await ctx.client.index(uid).getSettings();
  } catch (error) {
    if (apiErrorOf(error)?.response.status !== 404) throw error;
  }
  if (!current) {
    await waitForTask(ctx, ctx.client.createIndex(uid, { primaryKey: "id" }));
    current = await ctx.client.index(uid).getSettings();
  }
  const changed = settingsDiff(wanted, current);
  if (changed.length > 0) {
    const update: Settings = {};
    for (const key of changed) (update as Record<string, unknown>)[key] = wanted[key];
    const task = await waitForTask(ctx, ctx.client.index(uid).updateSettings(update));
    if (task.status !== "succeeded") {
      throw new Error(`Applying settings to ${uid} failed: ${task.error?.message ?? task.status}`);
    }
  }
  return changed;
}
