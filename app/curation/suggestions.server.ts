// The matcher's stored suggestions as the pages show them. Read from SQLite only (never from
// Meilisearch), so they show while search is down. Who may see them at all is decided by
// permissions.ts (never the public, DOMAIN.md); which partners a viewer may see, by
// db/visibility.ts, and a partner that is no longer open or published is dropped here even if
// the matcher has not caught up with it yet.
import { z } from "zod";
import type { DB } from "../../db/client";
import { findChallengeRecord, listChallengesWithOwner, listCoOwners } from "../../db/queries/challenges";
import { listStoredSuggestions, type RecordKind } from "../../db/queries/matcher";
import { isMatchableChallenge } from "../../db/rules/matches";
import { loadReferenceLabels, type ReferenceLabels } from "../../db/queries/reference";
import { findSolutionRecord, listSolutionsWithOrganisation } from "../../db/queries/solutions";
import type { Language } from "../../db/schema";
import { canSeeChallenge, canSeeSolution, type Viewer } from "../../db/visibility";
import { DISPLAY_THRESHOLD } from "../../search/matcher/score";
import type { Locale } from "../i18n";
import type { CurrentUser } from "../accounts/auth.server";
import { canSeeChallengeSuggestions, canSeeSolutionSuggestions } from "../lib/permissions";

/** How many suggestions a detail page shows, and how many /me shows per record. */
export const DETAIL_LIMIT = 10;
export const OVERVIEW_LIMIT = 3;

/** A shown suggestion's partner is an open challenge or a published (not archived) solution. */
const SHOWN_SOLUTION: readonly string[] = ["published"];

export type SuggestionReasonView =
  | { kind: "topics"; terms: string[]; lang: Language }
  | { kind: "concepts"; terms: string[]; lang: Language }
  | { kind: "sdgs"; goals: Array<{ goal: number; name: string }>; targets: string[] }
  | { kind: "targetGroups"; names: string[] }
  | { kind: "districts"; names: string[] }
  | { kind: "semantic"; percent: number };

export interface SuggestionView {
  /** What the partner is: a solution on a challenge's page, a challenge on a solution's. */
  kind: RecordKind;
  id: number;
  title: string;
  language: Language;
  /** The solution's organisation, or the challenge's owning administration in the viewer's language. */
  organisation: string;
  /** 0–100. */
  percent: number;
  reasons: SuggestionReasonView[];
}

/** One of the viewer's own records with its best partners, for /me. */
export interface SuggestionGroup {
  kind: RecordKind;
  id: number;
  title: string;
  language: Language;
  suggestions: SuggestionView[];
}

// The stored reasons are the matcher's JSON (search/matcher/types.ts MatchReason). Read them
// defensively: a reason of a kind or shape this page does not know is left out, not a 500.
const terms = z.array(z.string());
const reasonSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("topics"), terms }),
  z.object({ kind: z.literal("concepts"), terms }),
  z.object({ kind: z.literal("semantic"), similarity: z.number() }),
  z.object({ kind: z.literal("sdgs"), goals: z.array(z.number().int()), targets: z.array(z.string()) }),
  z.object({ kind: z.literal("targetGroups"), codes: z.array(z.string()) }),
  z.object({ kind: z.literal("districts"), codes: z.array(z.string()), wholeCity: z.boolean() }),
]);
type StoredReason = z.infer<typeof reasonSchema>;

export function parseReasons(json: string): StoredReason[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r) => {
    const parsed = reasonSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

/** "3.4" before "10.2", "3.4" before "3.a". */
const byTargetId = new Intl.Collator("en", { numeric: true }).compare;

/** The order the "why" list reads in: the text first, then tags, the vector's closeness last. */
const REASON_ORDER: Array<SuggestionReasonView["kind"]> = ["topics", "concepts", "sdgs", "targetGroups", "districts", "semantic"];

export function reasonViews(
  stored: StoredReason[],
  refs: ReferenceLabels,
  locale: Locale,
  languages: { challenge: Language; solution: Language },
): SuggestionReasonView[] {
  const views = stored.flatMap((r): SuggestionReasonView[] => {
    switch (r.kind) {
      // Shared words are written as in the solution (or the challenge when it lacks them);
      // concepts as written in the challenge: that decides their language.
      case "topics":
        return r.terms.length > 0 ? [{ kind: "topics", terms: r.terms, lang: languages.solution }] : [];
      case "concepts":
        return r.terms.length > 0 ? [{ kind: "concepts", terms: r.terms, lang: languages.challenge }] : [];
      case "semantic":
        return [{ kind: "semantic", percent: Math.round(Math.min(1, Math.max(0, r.similarity)) * 100) }];
      case "sdgs":
        return r.goals.length > 0
          ? [
              {
                kind: "sdgs",
                goals: [...r.goals].sort((x, y) => x - y).map((goal) => ({ goal, name: refs.sdgGoals.get(goal)?.[locale] ?? "" })),
                targets: [...r.targets].sort(byTargetId),
              },
            ]
          : [];
      case "targetGroups":
        return r.codes.length > 0 ? [{ kind: "targetGroups", names: r.codes.map((c) => refs.targetGroups.get(c)?.[locale] ?? c) }] : [];
      case "districts": {
        const names = [...(r.wholeCity ? [refs.municipality.wholeCity[locale]] : []), ...r.codes.map((c) => refs.districts.get(c)?.[locale] ?? c)];
        return names.length > 0 ? [{ kind: "districts", names }] : [];
      }
    }
  });
  return views.sort((a, b) => REASON_ORDER.indexOf(a.kind) - REASON_ORDER.indexOf(b.kind));
}

interface Partner {
  id: number;
  title: string;
  language: Language;
  organisation: string;
}

/** Published solutions among `ids` that the viewer may see. */
async function visibleSolutions(db: DB, viewer: Viewer, ids: number[]): Promise<Map<number, Partner>> {
  if (ids.length === 0) return new Map();
  const rows = await listSolutionsWithOrganisation(db, ids);
  return new Map(
    rows
      .filter((s) => SHOWN_SOLUTION.includes(s.status) && s.moderated_at === null && canSeeSolution(viewer, s))
      .map((s) => [s.id, { id: s.id, title: s.title, language: s.language, organisation: s.organisation }]),
  );
}

/** Open challenges among `ids` that the viewer may see. */
async function visibleChallenges(db: DB, viewer: Viewer, ids: number[], locale: Locale): Promise<Map<number, Partner>> {
  if (ids.length === 0) return new Map();
  const [rows, coOwners] = await Promise.all([listChallengesWithOwner(db, ids), listCoOwners(db, ids)]);
  return new Map(
    rows
      .filter(
        (c) =>
          isMatchableChallenge(c.status) &&
          c.moderated_at === null &&
          canSeeChallenge(viewer, { ...c, coOwnerIds: coOwners.filter((o) => o.challenge_id === c.id).map((o) => o.organisation_id) }),
      )
      .map((c) => [c.id, { id: c.id, title: c.title, language: c.language, organisation: locale === "en" && c.owner_en ? c.owner_en : c.owner }]),
  );
}

/**
 * The best partners of one record the viewer may see, best first. The record's own right to be
 * shown and the viewer's right to see suggestions are the caller's to check.
 */
async function partnersOf(
  db: DB,
  viewer: Viewer,
  own: { kind: RecordKind; id: number; language: Language },
  limit: number,
  refs: ReferenceLabels,
  locale: Locale,
): Promise<SuggestionView[]> {
  // Ask for more than shown: some partners may be dropped below.
  const stored = await listStoredSuggestions(db, own.kind, own.id, { minScore: DISPLAY_THRESHOLD, limit: limit * 2 });
  const partnerKind: RecordKind = own.kind === "challenge" ? "solution" : "challenge";
  const partnerIds = stored.map((s) => (partnerKind === "solution" ? s.solutionId : s.challengeId));
  const partners = partnerKind === "solution" ? await visibleSolutions(db, viewer, partnerIds) : await visibleChallenges(db, viewer, partnerIds, locale);
  return stored
    .flatMap((s, i): SuggestionView[] => {
      const partner = partners.get(partnerIds[i]!);
      if (!partner) return [];
      const languages = own.kind === "challenge" ? { challenge: own.language, solution: partner.language } : { challenge: partner.language, solution: own.language };
      return [
        {
          kind: partnerKind,
          ...partner,
          percent: Math.round(Math.min(1, Math.max(0, s.score)) * 100),
          reasons: reasonViews(parseReasons(s.reasons), refs, locale, languages),
        },
      ];
    })
    .slice(0, limit);
}

/** A challenge page's suggested solutions, or null when this viewer may not see any (or the challenge is not open). */
export async function challengeSuggestions(db: DB, user: CurrentUser | null, id: number, locale: Locale): Promise<SuggestionView[] | null> {
  if (!user) return null;
  const record = await findChallengeRecord(db, id);
  if (!record || !canSeeChallengeSuggestions(user, record)) return null;
  if (!isMatchableChallenge(record.status) || record.moderated_at !== null) return null;
  const refs = await loadReferenceLabels(db);
  return partnersOf(db, user.viewer, { kind: "challenge", id, language: record.language }, DETAIL_LIMIT, refs, locale);
}

/** A solution page's suggested challenges, or null when this viewer may not see any (or the solution is not published). */
export async function solutionSuggestions(db: DB, user: CurrentUser | null, id: number, locale: Locale): Promise<SuggestionView[] | null> {
  if (!user) return null;
  const record = await findSolutionRecord(db, id);
  if (!record || !canSeeSolutionSuggestions(user, record)) return null;
  if (!SHOWN_SOLUTION.includes(record.status) || record.moderated_at !== null) return null;
  const refs = await loadReferenceLabels(db);
  return partnersOf(db, user.viewer, { kind: "solution", id, language: record.language }, DETAIL_LIMIT, refs, locale);
}

/** The viewer's own records for /me, in the given order, that are shown with suggestions. */
async function ownRecords(db: DB, user: CurrentUser, kind: RecordKind, ids: number[]) {
  if (ids.length === 0) return [];
  if (kind === "solution") {
    const rows = await listSolutionsWithOrganisation(db, ids);
    return rows.filter((s) => SHOWN_SOLUTION.includes(s.status) && s.moderated_at === null && canSeeSolutionSuggestions(user, s));
  }
  const [rows, coOwners] = await Promise.all([listChallengesWithOwner(db, ids), listCoOwners(db, ids)]);
  return rows.filter(
    (c) =>
      isMatchableChallenge(c.status) &&
      c.moderated_at === null &&
      canSeeChallengeSuggestions(user, { ...c, coOwnerIds: coOwners.filter((o) => o.challenge_id === c.id).map((o) => o.organisation_id) }),
  );
}

/**
 * /me: those of the given records that are open (challenges) or published (solutions) and whose
 * suggestions this user may see, each with its top partners, in the order given.
 */
export async function suggestionGroups(
  db: DB,
  user: CurrentUser,
  kind: RecordKind,
  ids: number[],
  locale: Locale,
  limit: number = OVERVIEW_LIMIT,
): Promise<SuggestionGroup[]> {
  const records = await ownRecords(db, user, kind, ids);
  if (records.length === 0) return [];
  const byId = new Map(records.map((r) => [r.id, r]));
  const refs = await loadReferenceLabels(db);
  const groups: SuggestionGroup[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    groups.push({
      kind,
      id: r.id,
      title: r.title,
      language: r.language,
      suggestions: await partnersOf(db, user.viewer, { kind, id: r.id, language: r.language }, limit, refs, locale),
    });
  }
  return groups;
}
