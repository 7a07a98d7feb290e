// A match's page: its lifecycle, notes and audit trail, the introduction of both parties by
// e-mail, and the lists of matches. SQL lives in db/queries/curation.ts.
import { queueMail } from "../../db/mail";
import { addNote, changeStage, introduce, listAudit, listConfirmations, listMatches, listNotes, setNextStep } from "../../db/queries/curation";
import { issueToken, subjectOf } from "../../db/tokens";
import { findProcurementRoute, listActiveProcurementRoutes, loadReferenceLabels } from "../../db/queries/reference";
import { isMatchableChallenge, nextStages } from "../../db/rules/matches";
import type { MatchStage } from "../../db/schema";
import type { PortalContext } from "../context.server";
import { i18nFor, type Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import type { CurrentUser } from "../accounts/auth.server";
import { END_REASONS } from "./curation-codes";
import { message } from "../lib/forms";
import { administrationsOf, canCurate, canDecideMatches, canIntroduce, canSeeMatch, isMatchParty, organisationsOf } from "../lib/permissions";
import { parseReasons, reasonViews, type SuggestionReasonView } from "./suggestions.server";
import { actorOf, challengeSide, loadMatchRecords, organisationNames, partyContacts, solutionSide } from "./parties.server";
import { curationFailure, fieldErrors, type ActionOutcome } from "./outcome.server";
import { matchActionSchema } from "../forms/match-action";

export async function matchPage(context: PortalContext, user: CurrentUser, matchId: number, locale: Locale) {
  const loaded = await loadMatchRecords(context, matchId);
  if (!loaded || !canSeeMatch(user, loaded.challenge, loaded.solution)) throw new Response("Not found", { status: 404 });
  const { match, challenge, solution } = loaded;
  const refs = await loadReferenceLabels(context.db);
  const names = await organisationNames(context, [challenge.owner_organisation_id, solution.organisation_id]);
  const curator = canDecideMatches(user);
  const confirmations = await listConfirmations(context.db, match.id);
  const bothConfirmed = confirmations.length === 2 && confirmations.every((c) => c.confirmed_at);
  // The parties see each other's contact details only after both have said yes; community
  // managers, who made the introduction, see them throughout.
  const contacts = curator || bothConfirmed ? await partyContacts(context, challenge, solution) : [];
  const routes = await listActiveProcurementRoutes(context.db);
  const audit = await listAudit(context.db, { matchId: match.id });
  return {
    match: {
      id: match.id,
      stage: match.stage,
      /** Where a stage change may take it, by the rule the action enforces. */
      nextStages: nextStages(match.stage),
      origin: match.origin,
      version: match.version,
      endedAtStage: match.ended_at_stage,
      endReason: match.end_reason,
      route: match.procurement_route_code ? (routes.find((r) => r.code === match.procurement_route_code)?.[locale === "en" ? "name_en" : "name_da"] ?? match.procurement_route_code) : null,
      agreementNote: match.agreement_note,
      outcomeResult: match.outcome_result,
      nextStep: match.next_step,
      nextStepDue: match.next_step_due,
      percent: match.score !== null ? Math.round(match.score * 100) : null,
      reasons: match.reasons ? reasonViews(parseReasons(match.reasons), refs, locale, { challenge: challenge.language, solution: solution.language }) : [],
      createdAt: match.created_at,
      introducedAt: match.introduced_at,
    },
    challenge: { ...challengeSide(challenge, names, locale), status: challenge.status, outcomeMeasure: challenge.outcome_measure, closed: !isMatchableChallenge(challenge.status) },
    solution: { ...solutionSide(solution, names, locale), status: solution.status, archived: solution.status === "archived" },
    confirmations: confirmations.map((c) => ({ party: c.party, sentAt: c.sent_at, confirmedAt: c.confirmed_at })),
    bothConfirmed,
    contacts,
    canAct: curator,
    isParty: isMatchParty(user, challenge, solution),
    notes: curator ? await listNotes(context.db, match.id) : [],
    audit: audit.map((a) => ({ id: a.id, at: a.at, actor: a.actor_name, action: a.action, detail: safeJson(a.detail), reason: a.reason })),
    routes: routes.map((r) => ({ value: r.code, label: locale === "en" ? r.name_en : r.name_da })),
    endReasons: END_REASONS,
  };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function actOnMatch(context: PortalContext, user: CurrentUser, matchId: number, form: Record<string, unknown>): Promise<ActionOutcome> {
  const loaded = await loadMatchRecords(context, matchId);
  if (!loaded || !canSeeMatch(user, loaded.challenge, loaded.solution)) return { ok: false, status: 404, error: message("curation.error.notFound") };
  if (!canDecideMatches(user)) return { ok: false, status: 403, error: message("curation.error.forbidden") };
  const parsed = matchActionSchema.safeParse(form);
  if (!parsed.success) return { ok: false, status: 400, error: message("curation.error.invalid"), fields: fieldErrors(parsed.error.issues) };
  const a = parsed.data;
  const actor = actorOf(user);
  try {
    switch (a.intent) {
      case "introduce":
        return await introduceParties(context, user, loaded, a.version);
      case "stage": {
        if (a.to === "agreement") {
          const route = a.route ? await findProcurementRoute(context.db, a.route) : undefined;
          if (!route) return { ok: false, status: 400, error: message("curation.error.invalid"), fields: { route: message("curation.routeRequired") } };
        }
        if (a.to === "outcome" && !a.outcomeResult) {
          return { ok: false, status: 400, error: message("curation.error.invalid"), fields: { outcomeResult: message("curation.outcomeRequired") } };
        }
        await changeStage(context.db, { matchId, version: a.version, to: a.to, procurementRoute: a.route, agreementNote: a.agreementNote, outcomeResult: a.outcomeResult ?? undefined, note: a.note, actor });
        return { ok: true, notice: "stageChanged" };
      }
      case "end":
        await changeStage(context.db, { matchId, version: a.version, to: "ended", endReason: a.endReason, note: a.note, actor });
        return { ok: true, notice: "matchEnded" };
      case "nextStep":
        await setNextStep(context.db, { matchId, version: a.version, nextStep: a.nextStep, due: a.due, actor });
        return { ok: true, notice: "saved" };
      case "note":
        await addNote(context.db, { matchId, body: a.body, actor });
        return { ok: true, notice: "noteAdded" };
    }
  } catch (error) {
    return curationFailure(error);
  }
}

function reasonLines(reasons: SuggestionReasonView[], t: (key: string, values?: Record<string, unknown>) => string): string {
  return reasons
    .map((r) => {
      switch (r.kind) {
        case "topics":
        case "concepts":
          return `- ${t(`suggestions.reason.${r.kind}`)} ${r.terms.join(", ")}`;
        case "sdgs":
          return `- ${t("suggestions.reason.sdgs")} ${r.goals.map((g) => t("suggestions.sdgGoal", { goal: g.goal, name: g.name }).trim()).join(", ")}`;
        case "targetGroups":
        case "districts":
          return `- ${t(`suggestions.reason.${r.kind}`)} ${r.names.join(", ")}`;
        case "semantic":
          return `- ${t("suggestions.reason.semantic", { percent: r.percent })}`;
      }
    })
    .join("\n");
}

async function introduceParties(
  context: PortalContext,
  user: CurrentUser,
  loaded: NonNullable<Awaited<ReturnType<typeof loadMatchRecords>>>,
  version: number,
): Promise<ActionOutcome> {
  const { match, challenge, solution } = loaded;
  // The mails go out in the curator's name, with their address to reply to.
  if (!canIntroduce(user)) return { ok: false, status: 403, error: message("form.verifyFirstMail") };
  const contacts = await partyContacts(context, challenge, solution);
  if (contacts.length < 2) return { ok: false, status: 409, error: message("curation.error.noContact") };
  const refs = await loadReferenceLabels(context.db);
  await introduce(context.db, {
    matchId: match.id,
    version,
    actor: actorOf(user),
    parties: contacts.map((c) => ({ party: c.party, email: c.email, language: c.language })),
    queue: async (trx) => {
      for (const c of contacts) {
        const token = await issueToken(trx, "introduction", { userId: null, email: c.email, subject: subjectOf.introduction(match.id, c.party) });
        const { t } = i18nFor(c.language);
        const why = match.reasons ? reasonLines(reasonViews(parseReasons(match.reasons), refs, c.language, { challenge: challenge.language, solution: solution.language }), t) : "";
        const other = c.party === "challenge" ? solution.title : challenge.title;
        const own = c.party === "challenge" ? challenge.title : solution.title;
        await queueMail(
          trx,
          renderMail(
            "introduction",
            c.language,
            c.email,
            context.publicBaseUrl,
            { name: c.name, own, other, why: why || t("mail.introduction.noWhy"), curator: user.name, link: `/introductions/${token}` },
            user.email,
          ),
        );
      }
    },
  });
  context.afterWrite();
  return { ok: true, notice: "introduced" };
}

// ---------------------------------------------------------------------------------------------
// Lists of matches

export async function matchesFor(context: PortalContext, user: CurrentUser, locale: Locale, options: { stage?: MatchStage } = {}) {
  const rows = await listMatches(context.db, {
    parties: canCurate(user) ? undefined : { administrations: administrationsOf(user), organisations: organisationsOf(user) },
    stage: options.stage,
    limit: 200,
  });
  return rows.map((r) => ({
    id: r.id,
    stage: r.stage,
    origin: r.origin,
    nextStep: r.next_step,
    nextStepDue: r.next_step_due,
    updatedAt: r.updated_at,
    challenge: { id: r.challenge_id, title: r.challenge_title, language: r.challenge_language, closed: !isMatchableChallenge(r.challenge_status) },
    solution: { id: r.solution_id, title: r.solution_title, language: r.solution_language, archived: r.solution_status === "archived" },
    organisation: r.organisation_name,
    administration: locale === "en" && r.administration_name_en ? r.administration_name_en : r.administration_name,
  }));
}
