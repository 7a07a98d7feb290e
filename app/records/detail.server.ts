// Loads what a detail page shows, after asking db/visibility whether the viewer may see it.
// A record the viewer may not see answers 404, exactly like one that does not exist.
import type { DB } from "../../db/client";
import { findChallengeRecord } from "../../db/queries/challenges";
import { listOrganisationNames, requireOrganisationProfile } from "../../db/queries/organisations";
import { owningAdministrations } from "../../db/rules/ownership";
import { findSdgTargets, loadReferenceLabels, type ReferenceLabels } from "../../db/queries/reference";
import { findSolutionRecord } from "../../db/queries/solutions";
import type { Tags } from "../../db/queries/tags";
import { canSeeChallenge, canSeeSolution, type Viewer } from "../../db/visibility";
import type { Locale } from "../i18n";

export interface TagView {
  wholeCity: string | null;
  districts: string[];
  sdgGoals: Array<{ goal: number; name: string }>;
  /** UN target texts exist in English only. */
  sdgTargets: Array<{ id: string; text: string }>;
  targetGroups: string[];
}

async function tagView(db: DB, tags: Tags, refs: ReferenceLabels, locale: Locale): Promise<TagView> {
  const targets = await findSdgTargets(db, tags.sdgTargets);
  return {
    wholeCity: tags.wholeCity ? refs.municipality.wholeCity[locale] : null,
    districts: tags.districts.map((d) => refs.districts.get(d)?.[locale] ?? d),
    sdgGoals: tags.sdgGoals.map((goal) => ({ goal, name: refs.sdgGoals.get(goal)?.[locale] ?? String(goal) })),
    sdgTargets: targets.map((t) => ({ id: t.id, text: t.title_en })),
    targetGroups: tags.targetGroups.map((g) => refs.targetGroups.get(g)?.[locale] ?? g),
  };
}

export async function loadChallengeDetail(db: DB, id: number, viewer: Viewer, locale: Locale) {
  const record = await findChallengeRecord(db, id);
  if (!record || !canSeeChallenge(viewer, record)) throw new Response("Not found", { status: 404 });
  const refs = await loadReferenceLabels(db);
  const orgs = await listOrganisationNames(db, owningAdministrations(record));
  const orgName = (orgId: number) => {
    const o = orgs.find((x) => x.id === orgId);
    return o ? (locale === "en" && o.name_en ? o.name_en : o.name) : "";
  };
  const route = record.procurement_route_code ? refs.procurementRoutes.get(record.procurement_route_code) : undefined;
  return {
    id: record.id,
    title: record.title,
    summary: record.summary,
    description: record.description,
    language: record.language,
    status: record.status,
    owner: orgName(record.owner_organisation_id),
    coOwners: record.coOwnerIds.map(orgName),
    outcomeHoped: record.outcome_hoped,
    outcomeMeasure: record.outcome_measure,
    budgetMinDkk: record.budget_min_dkk,
    budgetMaxDkk: record.budget_max_dkk,
    procurementRoute: route ? { name: route[locale], guidance: route.guidance[locale], legalRef: route.legalRef } : null,
    deadline: record.deadline,
    contactTeam: record.contact_team,
    contactEmail: record.contact_email,
    publishedAt: record.published_at,
    updatedAt: record.updated_at,
    tags: await tagView(db, record.tags, refs, locale),
  };
}

export async function loadSolutionDetail(db: DB, id: number, viewer: Viewer, locale: Locale) {
  const record = await findSolutionRecord(db, id);
  if (!record || !canSeeSolution(viewer, record)) throw new Response("Not found", { status: 404 });
  const refs = await loadReferenceLabels(db);
  const org = await requireOrganisationProfile(db, record.organisation_id);
  return {
    id: record.id,
    title: record.title,
    summary: record.summary,
    description: record.description,
    language: record.language,
    status: record.status,
    stage: record.stage,
    evidence: record.evidence,
    priceModel: record.price_model,
    publishedAt: record.published_at,
    updatedAt: record.updated_at,
    organisation: {
      name: org.name,
      kind: org.kind,
      rsv: org.rsv_registered === 1 ? (org.rsv_confirmed_at ? "confirmed" : "declared") : null,
      website: org.website && /^https?:\/\//.test(org.website) ? org.website : null,
      description: org.description,
      district: org.district_code ? (refs.districts.get(org.district_code)?.[locale] ?? null) : null,
      contactEmail: org.contact_email,
    },
    tags: await tagView(db, record.tags, refs, locale),
  };
}
