// The community managers' queue of undecided suggestions, and their decisions on it. SQL lives in
// db/queries/curation.ts; who may do what in app/lib/permissions.ts.
import { listMatchableChallengeChoices } from "../../db/queries/challenges";
import { acceptSuggestion, addPairByHand, dismissSuggestion, listQueue } from "../../db/queries/curation";
import { listAdministrations } from "../../db/queries/organisations";
import { loadReferenceLabels, type ReferenceLabels } from "../../db/queries/reference";
import { listPublishedSolutionChoices } from "../../db/queries/solutions";
import { DISPLAY_THRESHOLD } from "../../search/matcher/score";
import type { PortalContext } from "../context.server";
import { type Locale } from "../i18n";
import type { CurrentUser } from "../accounts/auth.server";
import { message } from "../lib/forms";
import { canDecideMatches } from "../lib/permissions";
import { parseReasons, reasonViews } from "./suggestions.server";
import { actorOf, sides, type QueueItem } from "./parties.server";
import { curationFailure, fieldErrors, type ActionOutcome } from "./outcome.server";
import { type QueueFilterInput } from "../forms/curation-queue";
import { decisionSchema } from "../forms/curation-decision";

export const QUEUE_PAGE_SIZE = 20;

export async function queueOptions(context: PortalContext, refs: ReferenceLabels, locale: Locale) {
  const administrations = await listAdministrations(context.db);
  return {
    administrations: administrations.map((a) => ({ value: String(a.id), label: locale === "en" && a.name_en ? a.name_en : a.name })),
    districts: [...refs.districts].map(([code, name]) => ({ value: code, label: name[locale] })),
    sdgs: [...refs.sdgGoals].map(([goal, name]) => ({ value: String(goal), label: `${goal}. ${name[locale]}` })),
  };
}

export async function loadQueue(context: PortalContext, user: CurrentUser, filter: QueueFilterInput, locale: Locale) {
  const refs = await loadReferenceLabels(context.db);
  const { rows, total } = await listQueue(context.db, {
    curatorId: user.id,
    everywhere: filter.scope === "all",
    administrationId: filter.administration,
    district: filter.district,
    sdg: filter.sdg,
    minScore: filter.minScore !== undefined ? filter.minScore / 100 : DISPLAY_THRESHOLD,
    maxAgeDays: filter.maxAge,
    limit: QUEUE_PAGE_SIZE,
    offset: (filter.page - 1) * QUEUE_PAGE_SIZE,
  });
  const loaded = await sides(
    context,
    rows.map((r) => r.challenge_id),
    rows.map((r) => r.solution_id),
    locale,
  );
  const items: QueueItem[] = rows.flatMap((r) => {
    const c = loaded.challenges.get(r.challenge_id);
    const s = loaded.solutions.get(r.solution_id);
    if (!c || !s) return [];
    return [
      {
        challenge: c.side,
        solution: s.side,
        percent: Math.round(Math.min(1, Math.max(0, r.score)) * 100),
        computedAt: r.computed_at,
        reasons: reasonViews(parseReasons(r.reasons), refs, locale, { challenge: c.side.language, solution: s.side.language }),
      },
    ];
  });
  return { items, total, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)), options: await queueOptions(context, refs, locale) };
}

/** Open challenges and published solutions, for adding a pair by hand. */
export async function pairChoices(context: PortalContext) {
  const [challenges, solutions] = await Promise.all([listMatchableChallengeChoices(context.db), listPublishedSolutionChoices(context.db)]);
  return {
    challenges: challenges.map((c) => ({ value: String(c.id), label: c.title })),
    solutions: solutions.map((s) => ({ value: String(s.id), label: `${s.title} (${s.organisation})` })),
  };
}

export async function decide(context: PortalContext, user: CurrentUser, form: Record<string, unknown>): Promise<ActionOutcome> {
  if (!canDecideMatches(user)) return { ok: false, status: 403, error: message("curation.error.forbidden") };
  const parsed = decisionSchema.safeParse(form);
  if (!parsed.success) return { ok: false, status: 400, error: message("curation.error.invalid"), fields: fieldErrors(parsed.error.issues) };
  const d = parsed.data;
  const actor = actorOf(user);
  try {
    if (d.intent === "accept") {
      const matchId = await acceptSuggestion(context.db, { challengeId: d.challenge, solutionId: d.solution, note: d.note, actor });
      return { ok: true, notice: "matchAccepted", matchId };
    }
    if (d.intent === "dismiss") {
      await dismissSuggestion(context.db, { challengeId: d.challenge, solutionId: d.solution, reason: d.reason, note: d.note, actor });
      return { ok: true, notice: "suggestionDismissed" };
    }
    const matchId = await addPairByHand(context.db, { challengeId: d.challenge, solutionId: d.solution, note: d.note, actor });
    return { ok: true, notice: "matchAdded", matchId };
  } catch (error) {
    return curationFailure(error);
  }
}
