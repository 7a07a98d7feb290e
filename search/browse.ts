// Browsing through Meilisearch: full-text search with facet counts, sorting and pages, filtered
// for the viewer. Facets are disjunctive: the counts of a facet ignore its own selection, so
// ticking "Nørrebro" still shows how many there are in Valby.
import type { MultiSearchQuery, SearchResponse } from "meilisearch";
import type { BrowseHit, BrowseQuery, BrowseResult, Facet, FacetCount, Segment } from "../db/queries/browse";
import { searchVisibilityFilter, type Scope } from "../db/visibility";
import { indexName, type IndexKind, type SearchContext } from "./client";
import type { ChallengeDocument, SolutionDocument } from "./documents";

// Private-use characters mark highlights; they cannot occur in text users type.
const PRE = "\uE000";
const POST = "\uE001";

/** Quotes a value for a Meilisearch filter expression; user text never reaches a filter raw. */
export function quoteFilterValue(value: string | number): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("not a finite number");
    return String(value);
  }
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function inFilter(field: string, values: Array<string | number>): string {
  if (!/^[a-z_]+$/.test(field)) throw new Error(`unexpected filter field ${field}`);
  return `${field} IN [${values.map(quoteFilterValue).join(", ")}]`;
}

/** Splits Meilisearch's highlighted text into marked and unmarked segments. */
export function segments(formatted: string | undefined, fallback: string): Segment[] {
  const text = formatted ?? fallback;
  if (!text) return [];
  const out: Segment[] = [];
  const re = new RegExp(`${PRE}([\\s\\S]*?)${POST}`, "g");
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), mark: false });
    out.push({ text: m[1]!, mark: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), mark: false });
  return out.filter((s) => s.text.length > 0);
}

type Doc = Partial<ChallengeDocument & SolutionDocument> & { id: number };

function toHit(doc: Doc & { _formatted?: Record<string, unknown> }): BrowseHit {
  const f = (doc._formatted ?? {}) as Record<string, string | undefined>;
  const snippet = f.body && f.body.includes(PRE) ? segments(f.body, "") : null;
  return {
    id: doc.id,
    title: segments(f.title, doc.title ?? ""),
    summary: segments(f.summary, doc.summary ?? ""),
    snippet,
    language: doc.language ?? "da",
    status: doc.status ?? "",
    stage: doc.stage ?? null,
    organisationName: doc.organisation_name ?? "",
    administrations: doc.administrations ?? [],
    districts: doc.districts ?? [],
    sdgGoals: doc.sdg_goals ?? [],
    targetGroups: doc.target_groups ?? [],
    publishedAt: doc.published_at ? new Date(doc.published_at * 1000).toISOString() : null,
    deadline: doc.deadline ? new Date(doc.deadline * 1000).toISOString().slice(0, 10) : null,
  };
}

function filtersFor(scope: Scope, query: BrowseQuery, except?: Facet): string[] {
  const out: string[] = [];
  const visibility = searchVisibilityFilter(scope);
  if (visibility) out.push(visibility);
  for (const [facet, values] of Object.entries(query.filters) as Array<[Facet, string[] | undefined]>) {
    if (facet === except || !values || values.length === 0) continue;
    out.push(facet === "sdg_goals" ? inFilter(facet, values.map(Number).filter(Number.isInteger)) : inFilter(facet, values));
  }
  return out;
}

function sortFor(kind: IndexKind, query: BrowseQuery): string[] | undefined {
  if (query.sort === "newest" || (query.sort === "relevance" && query.q.trim() === "")) return ["published_at:desc"];
  if (query.sort === "deadline" && kind === "challenges") return ["deadline:asc"];
  return undefined;
}

const RETRIEVE = [
  "id",
  "title",
  "summary",
  "language",
  "status",
  "stage",
  "organisation_name",
  "administrations",
  "districts",
  "sdg_goals",
  "target_groups",
  "published_at",
  "deadline",
];

export async function browseWithSearch<F extends Facet>(
  search: SearchContext,
  kind: IndexKind,
  scope: Scope,
  query: BrowseQuery<F>,
  facets: readonly F[],
): Promise<BrowseResult<F>> {
  const uid = indexName(search, kind);
  const active = facets.filter((f) => (query.filters[f]?.length ?? 0) > 0);
  const main: MultiSearchQuery = {
    indexUid: uid,
    q: query.q,
    filter: filtersFor(scope, query as BrowseQuery),
    facets: [...facets],
    sort: sortFor(kind, query as BrowseQuery),
    page: query.page,
    hitsPerPage: query.pageSize,
    attributesToRetrieve: RETRIEVE,
    attributesToHighlight: ["title", "summary"],
    attributesToCrop: ["body"],
    cropLength: 28,
    highlightPreTag: PRE,
    highlightPostTag: POST,
  };
  // One extra query per selected facet, without that facet's own filter, for its counts.
  const perFacet: MultiSearchQuery[] = active.map((facet) => ({
    indexUid: uid,
    q: query.q,
    filter: filtersFor(scope, query as BrowseQuery, facet),
    facets: [facet],
    hitsPerPage: 0,
    page: 1,
  }));
  const { results } = await search.client.multiSearch({ queries: [main, ...perFacet] });
  const [first, ...rest] = results as unknown as Array<SearchResponse<Doc>>;
  const distribution: Record<string, Record<string, number>> = { ...(first!.facetDistribution ?? {}) };
  active.forEach((facet, i) => {
    distribution[facet] = rest[i]?.facetDistribution?.[facet] ?? {};
  });
  const facetCounts = {} as Record<F, FacetCount[]>;
  for (const facet of facets) {
    facetCounts[facet] = Object.entries(distribution[facet] ?? {})
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  const total = first!.totalHits ?? first!.estimatedTotalHits ?? 0;
  return {
    hits: first!.hits.map((h) => toHit(h as Doc & { _formatted?: Record<string, unknown> })),
    total,
    page: query.page,
    pageCount: Math.max(1, first!.totalPages ?? Math.ceil(total / query.pageSize)),
    facets: facetCounts,
    source: "search",
  };
}
