// Writing challenges and solutions from their forms: permissions, reference checks, optimistic
// locking, publishing. The checks happen before any write, so bad input changes nothing.
import type { DB } from "../../db/client";
import {
  changeChallengeStatus,
  createChallenge,
  findChallengeRecord,
  updateChallenge,
  type ChallengeInput,
  type ChallengeRecord,
} from "../../db/queries/challenges";
import { listAdministrationIdsAmong } from "../../db/queries/organisations";
import { findSdgTargets, listActiveCodes } from "../../db/queries/reference";
import { changeSolutionStatus, createSolution, findSolutionRecord, updateSolution, type SolutionInput, type SolutionRecord } from "../../db/queries/solutions";
import type { ChallengeStatus } from "../../db/schema";
import type { PortalContext } from "../context.server";
import type { ChallengeForm } from "../forms/challenge";
import type { SolutionForm } from "../forms/solution";
import { message } from "../lib/forms";
import { refusal, type FieldErrors, type Outcome } from "../lib/outcome";
import type { CurrentUser } from "../accounts/auth.server";
import {
  administrationsOf,
  canCreateSolution,
  canEditChallenge,
  canEditSolution,
  canPublishChallenge,
  canPublishSolution,
} from "../lib/permissions";

/** A save: the record's id, or refused; an edit of a version someone else has replaced carries the record as it is now. */
export type SaveOutcome = Outcome<{ id: number }, { current?: ChallengeRecord | SolutionRecord }>;

async function missing(db: DB, table: "districts" | "target_groups" | "procurement_routes", values: string[]): Promise<boolean> {
  if (values.length === 0) return false;
  const found = await listActiveCodes(db, table, values);
  return found.length !== new Set(values).size;
}

async function tagErrors(db: DB, form: { districts: string[]; targetGroups: string[]; sdgTargets: string[] }): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (await missing(db, "districts", form.districts)) errors.districts = [message("form.choose")];
  if (await missing(db, "target_groups", form.targetGroups)) errors.targetGroups = [message("form.choose")];
  if (form.sdgTargets.length > 0) {
    const found = await findSdgTargets(db, form.sdgTargets);
    const known = new Set(found.map((f) => f.id));
    const unknown = form.sdgTargets.filter((t) => !known.has(t));
    if (unknown.length > 0) errors.sdgTargets = [message("form.sdgTargetsUnknown", { targets: unknown.join(", ") })];
  }
  return errors;
}

function sameSet(a: number[], b: number[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((v) => x.has(v));
}

function tags(form: ChallengeForm | SolutionForm) {
  return {
    wholeCity: form.wholeCity,
    districts: form.districts,
    sdgGoals: form.sdgGoals,
    sdgTargets: form.sdgTargets,
    targetGroups: form.targetGroups,
  };
}

export async function saveChallenge(context: PortalContext, user: CurrentUser, form: ChallengeForm, id?: number): Promise<SaveOutcome> {
  const db = context.db;
  const existing = id === undefined ? undefined : await findChallengeRecord(db, id);
  if (id !== undefined && !existing) return { ok: false, status: 404 };
  if (existing && !canEditChallenge(user, existing)) return { ok: false, status: 403 };
  const staffOf = administrationsOf(user);
  if (!existing && staffOf.length === 0) return { ok: false, status: 403 };

  const fieldErrors = await tagErrors(db, form);
  // Who owns a challenge and who shares it is the owning administration's decision: its staff
  // may hand it to another of their administrations and change the co-owners; a co-owner's
  // staff edit the text, and a post that tries more is refused, not half-applied.
  const ownerStaff = existing ? staffOf.includes(existing.owner_organisation_id) : true;
  const sameCoOwners = existing ? sameSet(form.coOwners, existing.coOwnerIds) : true;
  if (existing && !ownerStaff && (form.owner !== existing.owner_organisation_id || !sameCoOwners)) {
    if (form.owner !== existing.owner_organisation_id) fieldErrors.owner = [message("form.ownerOnly")];
    if (!sameCoOwners) fieldErrors.coOwners = [message("form.ownerOnly")];
  } else if (existing ? form.owner !== existing.owner_organisation_id && !staffOf.includes(form.owner) : !staffOf.includes(form.owner)) {
    fieldErrors.owner = [message("form.choose")];
  }
  if (form.coOwners.length > 0) {
    const administrations = await listAdministrationIdsAmong(db, form.coOwners);
    if (administrations.length !== new Set(form.coOwners).size) fieldErrors.coOwners = [message("form.choose")];
  }
  if (form.procurementRoute && (await missing(db, "procurement_routes", [form.procurementRoute]))) {
    fieldErrors.procurementRoute = [message("form.choose")];
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, status: 400, fieldErrors };

  const publishing = form.intent === "publish";
  if (publishing && !user.emailVerified) return refusal(403, "form.verifyFirst");
  const status: ChallengeStatus = existing ? (publishing && existing.status === "draft" ? "open" : existing.status) : publishing ? "open" : "draft";
  const input: ChallengeInput = {
    ...tags(form),
    title: form.title,
    summary: form.summary,
    description: form.description,
    language: form.language,
    ownerOrganisationId: form.owner,
    coOwnerIds: form.coOwners,
    outcomeHoped: form.outcomeHoped,
    outcomeMeasure: form.outcomeMeasure,
    budgetMinDkk: form.budgetMin,
    budgetMaxDkk: form.budgetMax,
    procurementRoute: form.procurementRoute,
    deadline: form.deadline,
    contactTeam: form.contactTeam,
    contactEmail: form.contactEmail,
    status,
    createdBy: existing?.created_by ?? user.id,
  };
  if (!existing) {
    const newId = await createChallenge(db, input);
    context.afterWrite();
    return { ok: true, id: newId };
  }
  const saved = await updateChallenge(db, existing.id, form.version ?? 0, input);
  if (!saved.ok) return saved.reason === "stale" && saved.current ? { ok: false, status: 409, current: saved.current } : { ok: false, status: 404 };
  context.afterWrite();
  return { ok: true, id: existing.id };
}

export async function setChallengeStatus(context: PortalContext, user: CurrentUser, id: number, status: ChallengeStatus): Promise<SaveOutcome> {
  const existing = await findChallengeRecord(context.db, id);
  if (!existing) return { ok: false, status: 404 };
  if (!canPublishChallenge(user, existing)) return refusal(403, "form.verifyFirst");
  await changeChallengeStatus(context.db, id, status);
  context.afterWrite();
  return { ok: true, id };
}

export async function saveSolution(context: PortalContext, user: CurrentUser, form: SolutionForm, id?: number): Promise<SaveOutcome> {
  const db = context.db;
  const existing = id === undefined ? undefined : await findSolutionRecord(db, id);
  if (id !== undefined && !existing) return { ok: false, status: 404 };
  if (existing ? !canEditSolution(user, existing) : !canCreateSolution(user)) return { ok: false, status: 403 };
  const fieldErrors = await tagErrors(db, form);
  if (!canCreateSolution(user, form.organisation)) fieldErrors.organisation = [message("form.choose")];
  if (Object.keys(fieldErrors).length > 0) return { ok: false, status: 400, fieldErrors };

  const publishing = form.intent === "publish";
  if (publishing && !user.emailVerified) return refusal(403, "form.verifyFirst");
  const input: SolutionInput = {
    ...tags(form),
    title: form.title,
    summary: form.summary,
    description: form.description,
    language: form.language,
    organisationId: form.organisation,
    stage: form.stage,
    evidence: form.evidence,
    priceModel: form.priceModel,
    status: existing ? (publishing && existing.status === "draft" ? "published" : existing.status) : publishing ? "published" : "draft",
    createdBy: existing?.created_by ?? user.id,
  };
  if (!existing) {
    const newId = await createSolution(db, input);
    context.afterWrite();
    return { ok: true, id: newId };
  }
  const saved = await updateSolution(db, existing.id, form.version ?? 0, input);
  if (!saved.ok) return saved.reason === "stale" && saved.current ? { ok: false, status: 409, current: saved.current } : { ok: false, status: 404 };
  context.afterWrite();
  return { ok: true, id: existing.id };
}

export async function setSolutionStatus(context: PortalContext, user: CurrentUser, id: number, status: "published" | "archived"): Promise<SaveOutcome> {
  const existing = await findSolutionRecord(context.db, id);
  if (!existing) return { ok: false, status: 404 };
  if (!canPublishSolution(user, existing)) return refusal(403, "form.verifyFirst");
  await changeSolutionStatus(context.db, id, status);
  context.afterWrite();
  return { ok: true, id };
}
