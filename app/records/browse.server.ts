// The list pages' shared loader logic: read the query string through a zod schema, ask search,
// and fall back to SQLite when search is unreachable so the page still answers.
import { data } from "@remix-run/node";
import { lookupOf, own } from "../lib/lookup";
import { z } from "zod";
import {
  browseFromDatabase,
  CHALLENGE_FACETS,
  SOLUTION_FACETS,
  WHOLE_CITY,
  type BrowseQuery,
  type BrowseResult,
  type Facet,
} from "../../db/queries/browse";
import { loadReferenceLabels, type ReferenceLabels } from "../../db/queries/reference";
import { CHALLENGE_STATUSES, SOLUTION_STAGES, SOLUTION_STATUSES } from "../../db/schema";
import { scopeFor, type Viewer } from "../../db/visibility";
import { browseWithSearch } from "../../search/browse";
import { describeSearchError } from "../../search/client";
import type { PortalContext } from "../context.server";
import type { Locale } from "../i18n";

export const PAGE_SIZE = 20;

const text = z.string().trim().max(200);
const code = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}._-]+$/u);
const many = <T extends z.ZodType>(item: T) => z.array(item).max(30).default([]);

const common = {
  q: text.default(""),
  sort: z.enum(["relevance", "newest", "deadline"]).default("relevance"),
  page: z.coerce.number().int().min(1).max(500).default(1),
  district: many(code),
  sdg: many(z.coerce.number().int().min(1).max(17)),
  group: many(code),
};

const challengeParams = z.object({
  ...common,
  adm: many(code),
  status: many(z.enum(CHALLENGE_STATUSES)),
});

const solutionParams = z.object({
  ...common,
  stage: many(z.enum(SOLUTION_STAGES)),
  status: many(z.enum(SOLUTION_STATUSES)),
});

/** URL parameter names of each facet: short, stable, and part of shareable links. */
export const FACET_PARAMS: Record<Facet, string> = {
  administrations: "adm",
  districts: "district",
  sdg_goals: "sdg",
  target_groups: "group",
  status: "status",
  stage: "stage",
};

const LIST_PARAMS = new Set(["district", "sdg", "group", "adm", "status", "stage"]);

function paramsObject(url: URL): Record<string, unknown> {
  return lookupOf(
    [...new Set(url.searchParams.keys())].map((key) => {
      const values = url.searchParams.getAll(key).filter((v) => v !== "");
      return [key, LIST_PARAMS.has(key) ? values : values[0]] as const;
    }),
  );
}

function parse<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  const parsed = schema.safeParse(paramsObject(url));
  if (!parsed.success) {
    throw data({ fields: parsed.error.issues.map((i) => i.path.join(".")) }, { status: 400, statusText: "Bad query" });
  }
  return parsed.data;
}

export interface FacetOption {
  value: string;
  label: string;
  count: number;
  selected: boolean;
  /** Language of the label when it differs from the page's (SDG names are English-only for some). */
  lang?: string;
}

export interface FacetGroup {
  facet: Facet;
  param: string;
  options: FacetOption[];
}

export interface ListPage {
  q: string;
  sort: BrowseQuery["sort"];
  page: number;
  result: BrowseResult;
  facetGroups: FacetGroup[];
  /** Labels for the codes shown on result cards. */
  labels: CardLabels;
  searchDown: boolean;
}

export interface CardLabels {
  administrations: Record<string, string>;
  districts: Record<string, string>;
  targetGroups: Record<string, string>;
  sdgGoals: Record<string, string>;
}

export function cardLabels(refs: ReferenceLabels, locale: Locale): CardLabels {
  const pick = <K extends string | number>(m: Map<K, { da: string; en: string }>) => [...m.entries()].map(([k, v]) => [String(k), v[locale]] as const);
  return {
    administrations: lookupOf(refs.administrations.map((a) => [a.code, a.name[locale]] as const)),
    districts: lookupOf([...pick(refs.districts), [WHOLE_CITY, refs.municipality.wholeCity[locale]] as const]),
    targetGroups: lookupOf(pick(refs.targetGroups)),
    sdgGoals: lookupOf(pick(refs.sdgGoals)),
  };
}

function facetLabel(facet: Facet, value: string, labels: CardLabels, t: (key: string) => string): string {
  switch (facet) {
    case "administrations":
      return own(labels.administrations, value) ?? value;
    case "districts":
      return own(labels.districts, value) ?? value;
    case "target_groups":
      return own(labels.targetGroups, value) ?? value;
    case "sdg_goals":
      return `${value}. ${own(labels.sdgGoals, value) ?? ""}`.trim();
    case "status":
      return t(`status.${value}`);
    case "stage":
      return t(`stage.${value}`);
  }
}

async function browse<F extends Facet>(
  context: PortalContext,
  kind: "challenge" | "solution",
  viewer: Viewer,
  query: BrowseQuery<F>,
  facets: readonly F[],
): Promise<{ result: BrowseResult<F>; searchDown: boolean }> {
  const scope = scopeFor(viewer);
  try {
    const result = await browseWithSearch(context.search, kind === "challenge" ? "challenges" : "solutions", scope, query, facets);
    return { result, searchDown: false };
  } catch (error) {
    context.log.warn("search unavailable; answering from the database", { error: describeSearchError(error) });
    context.degraded();
    return { result: await browseFromDatabase(context.db, kind, scope, query, facets), searchDown: true };
  }
}

export async function loadListPage(
  context: PortalContext,
  request: Request,
  kind: "challenge" | "solution",
  viewer: Viewer,
  locale: Locale,
  t: (key: string) => string,
): Promise<ListPage> {
  const url = new URL(request.url);
  const facets: readonly Facet[] = kind === "challenge" ? CHALLENGE_FACETS : SOLUTION_FACETS;
  const params = kind === "challenge" ? parse(challengeParams, url) : parse(solutionParams, url);
  const filters: Partial<Record<Facet, string[]>> = {};
  for (const facet of facets) {
    const values = (params as unknown as Record<string, Array<string | number> | undefined>)[FACET_PARAMS[facet]];
    if (values && values.length > 0) filters[facet] = values.map(String);
  }
  const sort = kind === "solution" && params.sort === "deadline" ? "relevance" : params.sort;
  const query: BrowseQuery = { q: params.q, sort, page: params.page, pageSize: PAGE_SIZE, filters };
  const [{ result, searchDown }, refs] = await Promise.all([
    browse(context, kind, viewer, query, facets),
    loadReferenceLabels(context.db),
  ]);
  const labels = cardLabels(refs, locale);
  const facetGroups: FacetGroup[] = facets.map((facet) => {
    const selected = new Set(filters[facet] ?? []);
    const options: FacetOption[] = result.facets[facet].map(({ value, count }) => ({
      value,
      count,
      selected: selected.has(value),
      label: facetLabel(facet, value, labels, t),
    }));
    // A selected value with no results still shows, so it can be unticked.
    for (const value of selected) {
      if (!options.some((o) => o.value === value)) {
        options.push({ value, count: 0, selected: true, label: facetLabel(facet, value, labels, t) });
      }
    }
    return { facet, param: FACET_PARAMS[facet], options };
  });
  return { q: params.q, sort, page: params.page, result, facetGroups, labels, searchDown };
}
