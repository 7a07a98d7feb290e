// Browsing challenges and solutions: the query a list page asks, the answer it renders, and the
// database-only way of answering it, used while Meilisearch is unreachable. Search (search/)
// answers the same query with better text matching; both filter through db/visibility.
import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DB } from "../client";
import type { Database } from "../schema";
import { foldText } from "../fold";
import { listCoOwnerCodes, ownedOrCoOwnedBy, OWNING_ADMINISTRATION_CODES } from "./ownership";
import { loadTags } from "./tags";
import { challengeVisibleWhere, solutionVisibleWhere, type Scope } from "../visibility";

export const CHALLENGE_FACETS = ["administrations", "districts", "sdg_goals", "target_groups", "status"] as const;
export const SOLUTION_FACETS = ["districts", "sdg_goals", "target_groups", "stage", "status"] as const;
export type ChallengeFacet = (typeof CHALLENGE_FACETS)[number];
export type SolutionFacet = (typeof SOLUTION_FACETS)[number];
export type Facet = ChallengeFacet | SolutionFacet;

/** The facet value that stands for "the whole city" among districts. */
export const WHOLE_CITY = "hele-byen";

export type BrowseSort = "relevance" | "newest" | "deadline";

export interface BrowseQuery<F extends Facet = Facet> {
  q: string;
  sort: BrowseSort;
  page: number;
  pageSize: number;
  filters: Partial<Record<F, string[]>>;
}

/** A piece of text, marked when it matched the query. Rendered as text, never as HTML. */
export interface Segment {
  text: string;
  mark: boolean;
}

export interface BrowseHit {
  id: number;
  title: Segment[];
  summary: Segment[];
  /** A matching passage from the long text, when the match was there. */
  snippet: Segment[] | null;
  language: string;
  status: string;
  stage: string | null;
  organisationName: string;
  administrations: string[];
  districts: string[];
  sdgGoals: number[];
  targetGroups: string[];
  publishedAt: string | null;
  deadline: string | null;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface BrowseResult<F extends Facet = Facet> {
  hits: BrowseHit[];
  total: number;
  page: number;
  pageCount: number;
  facets: Record<F, FacetCount[]>;
  /** "search" when Meilisearch answered, "database" when the fallback did. */
  source: "search" | "database";
}

export function plain(text: string): Segment[] {
  return text ? [{ text, mark: false }] : [];
}

type Kind = "challenge" | "solution";

function tagExists(kind: Kind, table: string, column: string, values: Array<string | number>): Expression<SqlBool> {
  const owner = `${kind}_id`;
  const list = sql.join(values.map((v) => sql`${v}`));
  return sql<SqlBool>`exists (select 1 from ${sql.table(table)} t where t.${sql.ref(owner)} = ${sql.ref(`${kind}s.id`)} and t.${sql.ref(column)} in (${list}))`;
}

function facetFilter(kind: Kind, facet: Facet, values: string[]): Expression<SqlBool> {
  const rec = `${kind}s`;
  switch (facet) {
    case "administrations": {
      const eb = expressionBuilder<Database, "challenges">();
      const named = eb.selectFrom("organisations as o").select("o.id").where("o.code", "in", values);
      return ownedOrCoOwnedBy(eb, { id: "challenges.id", owner: "challenges.owner_organisation_id" }, named);
    }
    case "districts": {
      const named = values.filter((v) => v !== WHOLE_CITY);
      const parts: Expression<SqlBool>[] = [];
      if (values.includes(WHOLE_CITY)) parts.push(sql<SqlBool>`${sql.ref(`${rec}.whole_city`)} = 1`);
      if (named.length > 0) parts.push(tagExists(kind, `${kind}_districts`, "district_code", named));
      return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
    }
    case "sdg_goals":
      return tagExists(kind, `${kind}_sdg_goals`, "goal", values.map(Number).filter(Number.isInteger));
    case "target_groups":
      return tagExists(kind, `${kind}_target_groups`, "target_group_code", values);
    case "status":
    case "stage":
      return sql<SqlBool>`${sql.ref(`${rec}.${facet}`)} in (${sql.join(values.map((v) => sql`${v}`))})`;
  }
}

/** Every word must occur (folded, case-insensitive) somewhere in the record's text. */
function textFilter(kind: Kind, q: string): Expression<SqlBool> | undefined {
  const words = foldText(q).match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return undefined;
  const rec = `${kind}s`;
  const text = sql`fold(${sql.ref(`${rec}.title`)} || ' ' || ${sql.ref(`${rec}.summary`)} || ' ' || ${sql.ref(`${rec}.description`)})`;
  return sql<SqlBool>`(${sql.join(
    words.slice(0, 10).map((w) => sql`${text} like ${`%${w.replace(/[%_]/g, "")}%`}`),
    sql` and `,
  )})`;
}

function facetValuesSql(kind: Kind, facet: Facet) {
  const rec = `${kind}s`;
  switch (facet) {
    case "administrations":
      return OWNING_ADMINISTRATION_CODES;
    case "districts":
      return sql`select ${sql.ref(`${kind}_id`)} as id, district_code as value from ${sql.table(`${kind}_districts`)}
                 union all select id, ${WHOLE_CITY} from ${sql.table(rec)} where whole_city = 1`;
    case "sdg_goals":
      return sql`select ${sql.ref(`${kind}_id`)} as id, cast(goal as text) as value from ${sql.table(`${kind}_sdg_goals`)}`;
    case "target_groups":
      return sql`select ${sql.ref(`${kind}_id`)} as id, target_group_code as value from ${sql.table(`${kind}_target_groups`)}`;
    case "status":
    case "stage":
      return sql`select id, ${sql.ref(facet)} as value from ${sql.table(rec)}`;
  }
}

function where(kind: Kind, scope: Scope, query: BrowseQuery, except?: Facet): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [];
  const text = textFilter(kind, query.q);
  if (text) parts.push(text);
  for (const [facet, values] of Object.entries(query.filters) as Array<[Facet, string[] | undefined]>) {
    if (facet === except || !values || values.length === 0) continue;
    parts.push(facetFilter(kind, facet, values));
  }
  return parts;
}

/** Answers a browse query from SQLite alone (plain substring matching, no typo tolerance). */
export async function browseFromDatabase<F extends Facet>(
  db: DB,
  kind: Kind,
  scope: Scope,
  query: BrowseQuery<F>,
  facets: readonly F[],
): Promise<BrowseResult<F>> {
  const rec = kind === "challenge" ? ("challenges" as const) : ("solutions" as const);
  const visible = kind === "challenge" ? challengeVisibleWhere(scope) : solutionVisibleWhere(scope);

  const filtered = (except?: Facet) => {
    // The table is chosen at run time, which Kysely cannot type; the query is plain SQL shape.
    let qb = (db as unknown as Kysely<any>).selectFrom(rec).where(visible as never);
    for (const part of where(kind, scope, query as BrowseQuery, except)) qb = qb.where(part);
    return qb;
  };

  const totalRow = await filtered()
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const total = Number((totalRow as { n: number }).n);

  const order =
    query.sort === "deadline" && kind === "challenge"
      ? sql`challenges.deadline is null, challenges.deadline asc, challenges.id desc`
      : sql`${sql.ref(`${rec}.published_at`)} desc, ${sql.ref(`${rec}.id`)} desc`;
  const idRows = (await filtered()
    .select(sql<number>`${sql.ref(`${rec}.id`)}`.as("id"))
    .orderBy(order as never)
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute()) as Array<{ id: number }>;
  const ids = idRows.map((r) => r.id);

  const facetCounts = {} as Record<F, FacetCount[]>;
  for (const facet of facets) {
    const sub = filtered(facet).select(sql<number>`${sql.ref(`${rec}.id`)}`.as("id"));
    const rows = (await sql<{ value: string; count: number }>`
      select v.value as value, count(distinct v.id) as count
      from (${facetValuesSql(kind, facet)}) v
      where v.id in (${sub})
      group by v.value
      order by count desc, v.value`.execute(db)).rows;
    facetCounts[facet] = rows.map((r) => ({ value: String(r.value), count: Number(r.count) }));
  }

  const hits = kind === "challenge" ? await challengeHits(db, ids) : await solutionHits(db, ids);
  return {
    hits,
    total,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
    facets: facetCounts,
    source: "database",
  };
}

async function challengeHits(db: DB, ids: number[]): Promise<BrowseHit[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("challenges")
    .innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id")
    .select([
      "challenges.id",
      "challenges.title",
      "challenges.summary",
      "challenges.language",
      "challenges.status",
      "challenges.whole_city",
      "challenges.published_at",
      "challenges.deadline",
      "organisations.name as organisation_name",
      "organisations.code as organisation_code",
    ])
    .where("challenges.id", "in", ids)
    .execute();
  const coOwners = await listCoOwnerCodes(db, ids);
  const tags = await loadTags(db, "challenge", ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const t = tags.get(id)!;
    return [
      {
        id,
        title: plain(r.title),
        summary: plain(r.summary),
        snippet: null,
        language: r.language,
        status: r.status,
        stage: null,
        organisationName: r.organisation_name,
        administrations: [r.organisation_code, ...coOwners.filter((c) => c.challenge_id === id).map((c) => c.code)].filter(
          (c): c is string => Boolean(c),
        ),
        districts: r.whole_city ? [WHOLE_CITY, ...t.districts] : t.districts,
        sdgGoals: t.sdgGoals,
        targetGroups: t.targetGroups,
        publishedAt: r.published_at,
        deadline: r.deadline,
      },
    ];
  });
}

async function solutionHits(db: DB, ids: number[]): Promise<BrowseHit[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("solutions")
    .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
    .select([
      "solutions.id",
      "solutions.title",
      "solutions.summary",
      "solutions.language",
      "solutions.status",
      "solutions.stage",
      "solutions.whole_city",
      "solutions.published_at",
      "organisations.name as organisation_name",
    ])
    .where("solutions.id", "in", ids)
    .execute();
  const tags = await loadTags(db, "solution", ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const t = tags.get(id)!;
    return [
      {
        id,
        title: plain(r.title),
        summary: plain(r.summary),
        snippet: null,
        language: r.language,
        status: r.status,
        stage: r.stage,
        organisationName: r.organisation_name,
        administrations: [],
        districts: r.whole_city ? [WHOLE_CITY, ...t.districts] : t.districts,
        sdgGoals: t.sdgGoals,
        targetGroups: t.targetGroups,
        publishedAt: r.published_at,
        deadline: null,
      },
    ];
  });
}
