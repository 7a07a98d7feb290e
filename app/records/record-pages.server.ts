// What the challenge and solution forms need: options in the visitor's language, the choices
// this person may make, and an existing record as the form's starting values.
import { findChallengeRecord, type ChallengeRecord } from "../../db/queries/challenges";
import { findSolutionRecord, type SolutionRecord } from "../../db/queries/solutions";
import type { PortalContext } from "../context.server";
import type { Conflict } from "../components/record-forms";
import type { Locale } from "../i18n";
import type { CurrentUser } from "../accounts/auth.server";
import { loadReferenceOptions } from "./options.server";
import { administrationsOf, canEditChallenge, canEditSolution, organisationsOf } from "../lib/permissions";

export async function challengeFormData(context: PortalContext, user: CurrentUser, locale: Locale) {
  const options = await loadReferenceOptions(context.db, locale);
  const mine = new Set(administrationsOf(user));
  return {
    options,
    owners: options.administrations.filter((a) => mine.has(Number(a.value))),
    coOwners: options.administrations,
  };
}

export async function solutionFormData(context: PortalContext, user: CurrentUser, locale: Locale) {
  const options = await loadReferenceOptions(context.db, locale);
  const mine = new Set(organisationsOf(user));
  return {
    options,
    organisations: user.memberships.filter((m) => mine.has(m.organisationId)).map((m) => ({ value: String(m.organisationId), label: m.name })),
  };
}

function tagDefaults(r: ChallengeRecord | SolutionRecord) {
  return {
    title: r.title,
    summary: r.summary,
    description: r.description,
    language: r.language,
    wholeCity: r.tags.wholeCity ? "on" : undefined,
    districts: r.tags.districts,
    sdgGoals: r.tags.sdgGoals.map(String),
    sdgTargets: r.tags.sdgTargets.join(", "),
    targetGroups: r.tags.targetGroups,
  };
}

export async function editableChallenge(context: PortalContext, user: CurrentUser, id: number) {
  const record = await findChallengeRecord(context.db, id);
  if (!record) throw new Response("Not found", { status: 404 });
  if (!canEditChallenge(user, record)) throw new Response("Forbidden", { status: 403 });
  return {
    id: record.id,
    status: record.status,
    version: record.version,
    moderationReason: record.moderated_at ? record.moderation_reason : null,
    // A co-owner's staff edit the text; the owner and co-owners are the owning administration's.
    ownershipLocked: !administrationsOf(user).includes(record.owner_organisation_id),
    defaults: {
      ...tagDefaults(record),
      owner: String(record.owner_organisation_id),
      coOwners: record.coOwnerIds.map(String),
      outcomeHoped: record.outcome_hoped ?? "",
      outcomeMeasure: record.outcome_measure ?? "",
      budgetMin: record.budget_min_dkk?.toString() ?? "",
      budgetMax: record.budget_max_dkk?.toString() ?? "",
      procurementRoute: record.procurement_route_code ?? "",
      deadline: record.deadline ?? "",
      contactTeam: record.contact_team ?? "",
      contactEmail: record.contact_email ?? "",
    },
  };
}

export async function editableSolution(context: PortalContext, user: CurrentUser, id: number) {
  const record = await findSolutionRecord(context.db, id);
  if (!record) throw new Response("Not found", { status: 404 });
  if (!canEditSolution(user, record)) throw new Response("Forbidden", { status: 403 });
  return {
    id: record.id,
    status: record.status,
    version: record.version,
    moderationReason: record.moderated_at ? record.moderation_reason : null,
    defaults: {
      ...tagDefaults(record),
      organisation: String(record.organisation_id),
      stage: record.stage,
      evidence: record.evidence ?? "",
      priceModel: record.price_model ?? "",
    },
  };
}

export function conflictOf(current: ChallengeRecord | SolutionRecord): { conflict: Conflict; version: number } {
  return {
    conflict: { title: current.title, summary: current.summary, description: current.description, updatedAt: current.updated_at },
    version: current.version,
  };
}
