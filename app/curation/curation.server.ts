// The community managers' workbench as the pages use it: the queue of undecided suggestions,
// decisions, the introduction of both parties by e-mail with a double opt-in, and a match's
// page with its lifecycle, notes and audit trail. SQL lives in db/queries/curation.ts; who may
// do what in permissions.ts.
import { z } from "zod";
import { queueMail } from "../../db/mail";
import { listChallengeRecords, listMatchableChallengeChoices, type ChallengeRecord } from "../../db/queries/challenges";
import {
  acceptSuggestion,
  addNote,
  addPairByHand,
  changeStage,
  confirmInterest,
  CurationError,
  dismissSuggestion,
  findConfirmation,
  findMatch,
  introduce,
  listAudit,
  listConfirmations,
  listMatches,
  listNotes,
  listQueue,
  setNextStep,
  type AuditActor,
} from "../../db/queries/curation";
import { findOrganisation, listAdministrations, listOrganisationNames } from "../../db/queries/organisations";
import { consumeToken, issueToken, peekToken, subjectOf } from "../../db/tokens";
import { findProcurementRoute, listActiveProcurementRoutes, loadReferenceLabels, type ReferenceLabels } from "../../db/queries/reference";
import { listPublishedSolutionChoices, listSolutionRecords, type SolutionRecord } from "../../db/queries/solutions";
import { findUserByEmail, findUserContact } from "../../db/queries/users";
import { isMatchableChallenge, MATCHABLE_CHALLENGE_STATUSES, nextStages, STAGE_CHANGE_TARGETS } from "../../db/rules/matches";
import type { Language, MatchParty, MatchStage } from "../../db/schema";
import { DISPLAY_THRESHOLD } from "../../search/matcher/score";
import { markdownToText } from "../../search/danish";
import type { PortalContext } from "../context.server";
import { createI18n, type Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import type { CurrentUser } from "../accounts/auth.server";
import { DISMISS_REASONS, END_REASONS } from "./curation-codes";
import { message, optionalDate, optionalText, requiredText, versionField } from "../lib/forms";
import { administrationsOf, canCurate, canDecideMatches, canIntroduce, canSeeMatch, isMatchParty, organisationsOf } from "../lib/permissions";
import { parseReasons, reasonViews, type SuggestionReasonView } from "./suggestions.server";

export const QUEUE_PAGE_SIZE = 20;
/** How much of each text the queue shows side by side. */
const EXCERPT_CHARS = 600;

export function actorOf(user: CurrentUser): AuditActor {
  return { id: user.id, name: user.name };
}

function excerpt(markdown: string): string {
  const text = markdownToText(markdown).replace(/\s+/g, " ").trim();
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS).replace(/\s+\S*$/, "")} …`;
}

// ---------------------------------------------------------------------------------------------
// The queue

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const queueFilterSchema = z.object({
  scope: z.enum(["mine", "all"], { error: message("curation.filter.invalid") }).default("mine"),
  administration: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().positive().optional()),
  district: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9-]{1,40}$/, { error: message("curation.filter.invalid") }).optional()),
  sdg: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(1).max(17).optional()),
  minScore: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(0).max(100).optional()),
  maxAge: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(1).max(3650).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(1).max(10_000).default(1)),
});
export type QueueFilterInput = z.infer<typeof queueFilterSchema>;

export interface RecordSide {
  id: number;
  title: string;
  language: Language;
  organisation: string;
  summary: string;
  excerpt: string;
}

export interface QueueItem {
  challenge: RecordSide;
  solution: RecordSide;
  percent: number;
  computedAt: string;
  reasons: SuggestionReasonView[];
}

function challengeSide(c: ChallengeRecord, names: Map<number, { da: string; en: string }>, locale: Locale): RecordSide {
  const owner = names.get(c.owner_organisation_id);
  return { id: c.id, title: c.title, language: c.language, organisation: owner?.[locale] ?? "", summary: c.summary, excerpt: excerpt(c.description) };
}

function solutionSide(s: SolutionRecord, names: Map<number, { da: string; en: string }>, locale: Locale): RecordSide {
  return { id: s.id, title: s.title, language: s.language, organisation: names.get(s.organisation_id)?.[locale] ?? "", summary: s.summary, excerpt: excerpt(s.description) };
}

async function organisationNames(context: PortalContext, ids: number[]): Promise<Map<number, { da: string; en: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await listOrganisationNames(context.db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { da: r.name, en: r.name_en ?? r.name }]));
}

async function sides(context: PortalContext, challengeIds: number[], solutionIds: number[], locale: Locale) {
  const [challenges, solutions] = await Promise.all([listChallengeRecords(context.db, [...new Set(challengeIds)]), listSolutionRecords(context.db, [...new Set(solutionIds)])]);
  const names = await organisationNames(context, [...challenges.map((c) => c.owner_organisation_id), ...solutions.map((s) => s.organisation_id)]);
  return {
    challenges: new Map(challenges.map((c) => [c.id, { record: c, side: challengeSide(c, names, locale) }])),
    solutions: new Map(solutions.map((s) => [s.id, { record: s, side: solutionSide(s, names, locale) }])),
  };
}

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

// ---------------------------------------------------------------------------------------------
// Decisions

const pairFields = {
  challenge: z.coerce.number({ error: message("form.invalid") }).int().positive({ error: message("form.choose") }),
  solution: z.coerce.number({ error: message("form.invalid") }).int().positive({ error: message("form.choose") }),
};

export const decisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), ...pairFields, note: optionalText(2000) }),
  z.object({
    intent: z.literal("dismiss"),
    ...pairFields,
    reason: z.enum(DISMISS_REASONS, { error: message("curation.dismissReasonRequired") }),
    note: optionalText(2000),
  }),
  z.object({ intent: z.literal("add"), ...pairFields, note: optionalText(2000) }),
]);

export type ActionOutcome =
  | { ok: true; notice: string; matchId?: number }
  | { ok: false; status: 400 | 403 | 404 | 409; error: string; fields?: Record<string, string> };

function curationFailure(error: unknown): ActionOutcome {
  if (!(error instanceof CurationError)) throw error;
  switch (error.code) {
    case "not_found":
      return { ok: false, status: 404, error: message("curation.error.notFound") };
    case "already_decided":
      return { ok: false, status: 409, error: message("curation.error.alreadyDecided") };
    case "already_match":
      return { ok: false, status: 409, error: message("curation.error.alreadyMatch") };
    case "not_in_play":
      return { ok: false, status: 409, error: message("curation.error.notInPlay") };
    case "stale":
      return { ok: false, status: 409, error: message("curation.error.stale") };
    case "bad_transition":
      return { ok: false, status: 409, error: message("curation.error.badTransition") };
  }
}

function fieldErrors(issues: z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
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

// ---------------------------------------------------------------------------------------------
// A match's page

interface PartyContact {
  party: MatchParty;
  name: string;
  email: string;
  language: Language;
}

/**
 * Who speaks for each side: the challenge's team mailbox (or the person who wrote it), and the
 * solution's organisation's contact address (or the person who wrote it). Their language is
 * the portal user's chosen one when the address is a user's, else the record's.
 */
async function partyContacts(context: PortalContext, c: ChallengeRecord, s: SolutionRecord): Promise<PartyContact[]> {
  const db = context.db;
  const userByEmail = (email: string) => findUserByEmail(db, email);
  const userById = async (id: number | null) => (id === null ? undefined : findUserContact(db, id));
  const names = await organisationNames(context, [c.owner_organisation_id, s.organisation_id]);
  const out: PartyContact[] = [];
  const challengeAuthor = await userById(c.created_by);
  const challengeEmail = c.contact_email ?? challengeAuthor?.email;
  if (challengeEmail) {
    const u = await userByEmail(challengeEmail);
    out.push({ party: "challenge", name: c.contact_team ?? names.get(c.owner_organisation_id)?.da ?? "", email: challengeEmail, language: u?.locale ?? c.language });
  }
  const organisation = await findOrganisation(db, s.organisation_id);
  const solutionAuthor = await userById(s.created_by);
  const solutionEmail = organisation?.contact_email ?? solutionAuthor?.email;
  if (solutionEmail) {
    const u = await userByEmail(solutionEmail);
    out.push({ party: "solution", name: names.get(s.organisation_id)?.da ?? "", email: solutionEmail, language: u?.locale ?? s.language });
  }
  return out;
}

async function loadMatchRecords(context: PortalContext, matchId: number) {
  const match = await findMatch(context.db, matchId);
  if (!match) return undefined;
  const [[challenge], [solution]] = await Promise.all([listChallengeRecords(context.db, [match.challenge_id]), listSolutionRecords(context.db, [match.solution_id])]);
  if (!challenge || !solution) return undefined;
  return { match, challenge, solution };
}

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

const dateField = optionalDate("curation.error.date");

export const matchActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("introduce"), version: versionField }),
  z.object({
    intent: z.literal("stage"),
    version: versionField,
    to: z.enum(STAGE_CHANGE_TARGETS, { error: message("form.choose") }),
    route: z.preprocess(blankToUndefined, z.string().max(60).optional()),
    agreementNote: optionalText(4000),
    outcomeResult: optionalText(4000),
    note: optionalText(2000),
  }),
  z.object({ intent: z.literal("end"), version: versionField, endReason: z.enum(END_REASONS, { error: message("curation.endReasonRequired") }), note: optionalText(2000) }),
  z.object({ intent: z.literal("nextStep"), version: versionField, nextStep: optionalText(500), due: dateField }),
  z.object({ intent: z.literal("note"), body: requiredText(4000) }),
]);

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
        const { t } = createI18n(c.language);
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
// Confirming interest (the link in the introduction mail; no sign-in needed)

/** The party and match an introduction link is for, while it works (once, and for 14 days). */
function partyOfSubject(subject: string): { matchId: number; party: MatchParty } | undefined {
  const m = /^match:(\d+):(challenge|solution)$/.exec(subject);
  return m ? { matchId: Number(m[1]), party: m[2] as MatchParty } : undefined;
}

export async function confirmationPage(context: PortalContext, token: string, locale: Locale) {
  const issued = await peekToken(context.db, "introduction", token);
  const target = issued && partyOfSubject(issued.subject);
  if (!target) return undefined;
  const row = await findConfirmation(context.db, target.matchId, target.party);
  if (!row) return undefined;
  const loaded = await loadMatchRecords(context, row.match_id);
  if (!loaded) return undefined;
  const names = await organisationNames(context, [loaded.challenge.owner_organisation_id, loaded.solution.organisation_id]);
  return {
    party: row.party,
    confirmedAt: row.confirmed_at,
    challenge: challengeSide(loaded.challenge, names, locale),
    solution: solutionSide(loaded.solution, names, locale),
  };
}

export async function confirm(context: PortalContext, token: string): Promise<{ status: "confirmed" | "already" | "both"; matchId: number } | undefined> {
  const issued = await peekToken(context.db, "introduction", token);
  const target = issued && partyOfSubject(issued.subject);
  if (!target) return undefined;
  const loaded = await loadMatchRecords(context, target.matchId);
  if (!loaded) return undefined;
  // Read before the transaction: inside it only `trx` may be queried (SQLite has one connection).
  const contacts = await partyContacts(context, loaded.challenge, loaded.solution);
  const result = await confirmInterest(context.db, {
    ...target,
    claim: async (trx) => (await consumeToken(trx, "introduction", token)) !== undefined,
    onBoth: async (trx, matchId) => {
      for (const c of contacts) {
        const other = contacts.find((o) => o.party !== c.party);
        if (!other) continue;
        await queueMail(
          trx,
          renderMail("contacts-shared", c.language, c.email, context.publicBaseUrl, {
            name: c.name,
            otherName: other.name,
            otherEmail: other.email,
            title: c.party === "challenge" ? loaded.solution.title : loaded.challenge.title,
            link: `/matches/${matchId}`,
          }),
        );
      }
    },
  });
  if (!result) return undefined;
  context.afterWrite();
  return { status: result.already ? "already" : result.both ? "both" : "confirmed", matchId: result.matchId };
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
