// The one place that decides who may see which challenge, solution and personal detail.
// List pages, facet counts, the search index's filters, detail pages and (later) the matcher all
// ask this module, in SQL form or as a Meilisearch filter, so they cannot disagree.
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from "kysely";
import type { ChallengeStatus, Database, GlobalRole, SolutionStatus } from "./schema";
import { PUBLISHED_CHALLENGE_STATUSES } from "./queries/challenges";
import { isOwnedOrCoOwnedBy } from "./rules/ownership";
import { ownedOrCoOwnedBy } from "./queries/ownership";
import { PUBLISHED_SOLUTION_STATUSES } from "./queries/solutions";

export type Viewer =
  | { kind: "public" }
  | { kind: "user"; userId: number; organisationIds: number[]; roles: GlobalRole[] };

export const PUBLIC_VIEWER: Viewer = { kind: "public" };

/** What a viewer may see beyond public records: everything, or the records of their organisations. */
export type Scope = { all: true } | { all: false; organisationIds: number[] };

export function scopeFor(viewer: Viewer): Scope {
  if (viewer.kind === "public") return { all: false, organisationIds: [] };
  if (viewer.roles.includes("administrator") || viewer.roles.includes("community_manager")) return { all: true };
  return { all: false, organisationIds: [...viewer.organisationIds] };
}

/** Personal names and e-mail addresses are for signed-in users only (DOMAIN.md). */
export function canSeePersonalDetails(viewer: Viewer): boolean {
  return viewer.kind === "user";
}

export function isChallengePublic(c: { status: ChallengeStatus; moderated_at: string | null }): boolean {
  return PUBLISHED_CHALLENGE_STATUSES.includes(c.status) && c.moderated_at === null;
}

export function isSolutionPublic(s: { status: SolutionStatus; moderated_at: string | null }): boolean {
  return PUBLISHED_SOLUTION_STATUSES.includes(s.status) && s.moderated_at === null;
}

export function canSeeChallenge(
  viewer: Viewer,
  c: { status: ChallengeStatus; moderated_at: string | null; owner_organisation_id: number; coOwnerIds: number[] },
): boolean {
  if (isChallengePublic(c)) return true;
  const scope = scopeFor(viewer);
  if (scope.all) return true;
  return isOwnedOrCoOwnedBy(c, scope.organisationIds);
}

export function canSeeSolution(
  viewer: Viewer,
  s: { status: SolutionStatus; moderated_at: string | null; organisation_id: number },
): boolean {
  if (isSolutionPublic(s)) return true;
  const scope = scopeFor(viewer);
  return scope.all || scope.organisationIds.includes(s.organisation_id);
}

/** SQL form, for queries over `challenges` (aliased as the table name). */
export function challengeVisibleWhere(scope: Scope) {
  return (eb: ExpressionBuilder<Database, "challenges">): Expression<SqlBool> => {
    if (scope.all) return sql<SqlBool>`1 = 1`;
    const isPublic = eb.and([
      eb("challenges.status", "in", [...PUBLISHED_CHALLENGE_STATUSES]),
      eb("challenges.moderated_at", "is", null),
    ]);
    if (scope.organisationIds.length === 0) return isPublic;
    return eb.or([
      isPublic,
      ownedOrCoOwnedBy(eb, { id: "challenges.id", owner: "challenges.owner_organisation_id" }, scope.organisationIds),
    ]);
  };
}

export function solutionVisibleWhere(scope: Scope) {
  return (eb: ExpressionBuilder<Database, "solutions">): Expression<SqlBool> => {
    if (scope.all) return sql<SqlBool>`1 = 1`;
    const isPublic = eb.and([
      eb("solutions.status", "in", [...PUBLISHED_SOLUTION_STATUSES]),
      eb("solutions.moderated_at", "is", null),
    ]);
    if (scope.organisationIds.length === 0) return isPublic;
    return eb.or([isPublic, eb("solutions.organisation_id", "in", scope.organisationIds)]);
  };
}

/**
 * Search-index form. Documents carry `is_public` (computed with isChallengePublic /
 * isSolutionPublic) and `org_ids` (owner and co-owners); ids are integers, so they are safe to
 * print into the filter. Returns undefined when the viewer may see everything.
 */
export function searchVisibilityFilter(scope: Scope): string | undefined {
  if (scope.all) return undefined;
  const ids = scope.organisationIds.filter((id) => Number.isSafeInteger(id));
  if (ids.length === 0) return "is_public = true";
  return `(is_public = true OR org_ids IN [${ids.join(", ")}])`;
}
