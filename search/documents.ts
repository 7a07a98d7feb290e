// Turns SQLite records into Meilisearch documents. Every record is indexed, drafts included, with
// `is_public` and `org_ids` from the visibility module so searches filter per viewer.
import type { DB } from "../db/client";
import { listChallengeRecords, type ChallengeRecord } from "../db/queries/challenges";
import { WHOLE_CITY } from "../db/queries/browse";
import { loadReferenceLabels, type ReferenceLabels } from "../db/queries/reference";
import { listSolutionRecords, type SolutionRecord } from "../db/queries/solutions";
import { listEmbeddings } from "../db/queries/matcher";
import { listOrganisationNames } from "../db/queries/organisations";
import type { Tags } from "../db/queries/tags";
import { owningAdministrations } from "../db/rules/ownership";
import { isChallengePublic, isSolutionPublic } from "../db/visibility";
import type { IndexKind } from "./client";
import { danishCompoundSplitter, foldedVariants, markdownToText, type CompoundSplitter } from "./danish";
import { bufferToEmbedding } from "./matcher/records";
import { glossaryDanishWords, loadGlossary } from "./lexicon";

interface CommonDocument {
  id: number;
  title: string;
  summary: string;
  /** Plain text of the long fields. */
  body: string;
  /** Names of the tags in both languages, so "Nørrebro" or "older people" find tagged records. */
  labels: string[];
  organisation_name: string;
  /** The title's words as typed without æ/ø/å, and its compound parts: ranked just below the title. */
  title_alt: string[];
  /** The same for the other texts, ranked last. */
  folded: string[];
  compounds: string[];
  language: string;
  status: string;
  is_public: boolean;
  org_ids: number[];
  districts: string[];
  sdg_goals: number[];
  sdg_targets: string[];
  target_groups: string[];
  published_at: number | null;
  title_sort: string;
  /** The matcher's vector (null until the matcher has computed one). */
  _vectors: { lsa: number[] | null };
}

export interface ChallengeDocument extends CommonDocument {
  administrations: string[];
  deadline: number | null;
}

export interface SolutionDocument extends CommonDocument {
  stage: string;
}

export type SearchDocument = ChallengeDocument | SolutionDocument;

export interface RecordRef {
  kind: "challenge" | "solution";
  id: number;
}

export interface DocumentBatch {
  upserts: { challenges: ChallengeDocument[]; solutions: SolutionDocument[] };
  /** Ids that no longer exist in SQLite and must leave the index. */
  deletes: { challenges: number[]; solutions: number[] };
}

export function indexOf(kind: RecordRef["kind"]): IndexKind {
  return kind === "challenge" ? "challenges" : "solutions";
}

function epochSeconds(iso: string | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

function tagLabels(tags: Tags, refs: ReferenceLabels): string[] {
  const out: string[] = [];
  const add = (label: { da: string; en: string } | undefined) => {
    if (label) out.push(label.da, label.en);
  };
  if (tags.wholeCity) add(refs.municipality.wholeCity);
  for (const d of tags.districts) add(refs.districts.get(d));
  for (const g of tags.targetGroups) add(refs.targetGroups.get(g));
  for (const g of tags.sdgGoals) add(refs.sdgGoals.get(g));
  return [...new Set(out)];
}

function districtsFacet(tags: Tags): string[] {
  return tags.wholeCity ? [WHOLE_CITY, ...tags.districts] : tags.districts;
}

function textFields(parts: Array<string | null>) {
  return parts.filter((p): p is string => Boolean(p && p.trim())).join("\n");
}

let splitter: CompoundSplitter | undefined;

function derived(title: string, summary: string, body: string, labels: string[]) {
  splitter ??= danishCompoundSplitter(glossaryDanishWords(loadGlossary()));
  const rest = `${summary}\n${body}`;
  return {
    title_alt: [...new Set([...foldedVariants(title), ...splitter.partsOf(title)])],
    folded: foldedVariants(`${rest}\n${labels.join("\n")}`),
    compounds: splitter.partsOf(rest),
  };
}

/** A stored embedding as Meilisearch takes it; an all-zero vector (no known word) opts out. */
function vectorsOf(embedding: Buffer | undefined): { lsa: number[] | null } {
  if (!embedding) return { lsa: null };
  const v = Array.from(bufferToEmbedding(embedding));
  return { lsa: v.some((x) => x !== 0) ? v : null };
}

export function challengeDocument(
  c: ChallengeRecord,
  refs: ReferenceLabels,
  organisations: Map<number, { name: string; code: string | null }>,
  embedding?: Buffer,
): ChallengeDocument {
  const body = textFields([markdownToText(c.description), c.outcome_hoped, c.outcome_measure]);
  const owner = organisations.get(c.owner_organisation_id);
  const ownerIds = owningAdministrations(c);
  const administrations = ownerIds.map((id) => organisations.get(id)?.code).filter((x): x is string => Boolean(x));
  const admLabels = ownerIds.flatMap((id) => {
    const adm = refs.administrations.find((a) => a.id === id);
    return adm ? [adm.name.da, adm.name.en, adm.code] : [];
  });
  const labels = [...tagLabels(c.tags, refs), ...admLabels];
  return {
    id: c.id,
    title: c.title,
    summary: c.summary,
    body,
    labels,
    organisation_name: owner?.name ?? "",
    ...derived(c.title, c.summary, body, labels),
    language: c.language,
    status: c.status,
    is_public: isChallengePublic(c),
    org_ids: ownerIds,
    administrations,
    districts: districtsFacet(c.tags),
    sdg_goals: c.tags.sdgGoals,
    sdg_targets: c.tags.sdgTargets,
    target_groups: c.tags.targetGroups,
    published_at: epochSeconds(c.published_at),
    deadline: c.deadline ? epochSeconds(`${c.deadline}T23:59:59Z`) : null,
    title_sort: c.title.toLocaleLowerCase("da"),
    _vectors: vectorsOf(embedding),
  };
}

export function solutionDocument(
  s: SolutionRecord,
  refs: ReferenceLabels,
  organisations: Map<number, { name: string; code: string | null }>,
  embedding?: Buffer,
): SolutionDocument {
  const body = textFields([markdownToText(s.description), s.evidence, s.price_model]);
  const labels = tagLabels(s.tags, refs);
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    body,
    labels,
    organisation_name: organisations.get(s.organisation_id)?.name ?? "",
    ...derived(s.title, s.summary, body, labels),
    language: s.language,
    status: s.status,
    is_public: isSolutionPublic(s),
    org_ids: [s.organisation_id],
    stage: s.stage,
    districts: districtsFacet(s.tags),
    sdg_goals: s.tags.sdgGoals,
    sdg_targets: s.tags.sdgTargets,
    target_groups: s.tags.targetGroups,
    published_at: epochSeconds(s.published_at),
    title_sort: s.title.toLocaleLowerCase("da"),
    _vectors: vectorsOf(embedding),
  };
}

/** Reads the current state of the referenced records and maps them to index operations. */
export async function buildDocuments(db: DB, refs: RecordRef[], labels?: ReferenceLabels): Promise<DocumentBatch> {
  const reference = labels ?? (await loadReferenceLabels(db));
  const challengeIds = [...new Set(refs.filter((r) => r.kind === "challenge").map((r) => r.id))];
  const solutionIds = [...new Set(refs.filter((r) => r.kind === "solution").map((r) => r.id))];
  const [challenges, solutions, challengeVectors, solutionVectors] = await Promise.all([
    listChallengeRecords(db, challengeIds),
    listSolutionRecords(db, solutionIds),
    listEmbeddings(db, "challenge", challengeIds),
    listEmbeddings(db, "solution", solutionIds),
  ]);
  const orgIds = new Set<number>();
  for (const c of challenges) owningAdministrations(c).forEach((id) => orgIds.add(id));
  for (const s of solutions) orgIds.add(s.organisation_id);
  const organisations = new Map((await listOrganisationNames(db, [...orgIds])).map((o) => [o.id, { name: o.name, code: o.code }]));
  const foundChallenges = new Set(challenges.map((c) => c.id));
  const foundSolutions = new Set(solutions.map((s) => s.id));
  return {
    upserts: {
      challenges: challenges.map((c) => challengeDocument(c, reference, organisations, challengeVectors.get(c.id))),
      solutions: solutions.map((s) => solutionDocument(s, reference, organisations, solutionVectors.get(s.id))),
    },
    deletes: {
      challenges: challengeIds.filter((id) => !foundChallenges.has(id)),
      solutions: solutionIds.filter((id) => !foundSolutions.has(id)),
    },
  };
}
