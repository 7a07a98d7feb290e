// The two sides of a pair as the workbench shows them (title, organisation, an excerpt), who
// speaks for each side, and a match with its two records.
import { listChallengeRecords, type ChallengeRecord } from "../../db/queries/challenges";
import { findMatch, type AuditActor } from "../../db/queries/curation";
import { findOrganisation, listOrganisationNames } from "../../db/queries/organisations";
import { listSolutionRecords, type SolutionRecord } from "../../db/queries/solutions";
import { findUserByEmail, findUserContact } from "../../db/queries/users";
import type { Language, MatchParty } from "../../db/schema";
import { markdownToText } from "../../search/danish";
import type { PortalContext } from "../context.server";
import { type Locale } from "../i18n";
import type { CurrentUser } from "../accounts/auth.server";
import { type SuggestionReasonView } from "./suggestions.server";

/** How much of each text the queue shows side by side. */
const EXCERPT_CHARS = 600;

export function actorOf(user: CurrentUser): AuditActor {
  return { id: user.id, name: user.name };
}

/** Excerpts already made, by their text: parsing the Markdown was 40 % of rendering the queue. */
const excerpts = new Map<string, string>();
// A few queue pages' worth: the keys are whole descriptions.
const EXCERPTS_KEPT = 500;

function excerpt(markdown: string): string {
  const known = excerpts.get(markdown);
  if (known !== undefined) return known;
  const text = markdownToText(markdown).replace(/\s+/g, " ").trim();
  const made = text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS).replace(/\s+\S*$/, "")} …`;
  // The oldest goes first once the cache is full (a Map keeps the order things were put in).
  if (excerpts.size >= EXCERPTS_KEPT) excerpts.delete(excerpts.keys().next().value!);
  excerpts.set(markdown, made);
  return made;
}

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

export function challengeSide(c: ChallengeRecord, names: Map<number, { da: string; en: string }>, locale: Locale): RecordSide {
  const owner = names.get(c.owner_organisation_id);
  return { id: c.id, title: c.title, language: c.language, organisation: owner?.[locale] ?? "", summary: c.summary, excerpt: excerpt(c.description) };
}

export function solutionSide(s: SolutionRecord, names: Map<number, { da: string; en: string }>, locale: Locale): RecordSide {
  return { id: s.id, title: s.title, language: s.language, organisation: names.get(s.organisation_id)?.[locale] ?? "", summary: s.summary, excerpt: excerpt(s.description) };
}

export async function organisationNames(context: PortalContext, ids: number[]): Promise<Map<number, { da: string; en: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await listOrganisationNames(context.db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { da: r.name, en: r.name_en ?? r.name }]));
}

export async function sides(context: PortalContext, challengeIds: number[], solutionIds: number[], locale: Locale) {
  const [challenges, solutions] = await Promise.all([listChallengeRecords(context.db, [...new Set(challengeIds)]), listSolutionRecords(context.db, [...new Set(solutionIds)])]);
  const names = await organisationNames(context, [...challenges.map((c) => c.owner_organisation_id), ...solutions.map((s) => s.organisation_id)]);
  return {
    challenges: new Map(challenges.map((c) => [c.id, { record: c, side: challengeSide(c, names, locale) }])),
    solutions: new Map(solutions.map((s) => [s.id, { record: s, side: solutionSide(s, names, locale) }])),
  };
}

export interface PartyContact {
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
export async function partyContacts(context: PortalContext, c: ChallengeRecord, s: SolutionRecord): Promise<PartyContact[]> {
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

export async function loadMatchRecords(context: PortalContext, matchId: number) {
  const match = await findMatch(context.db, matchId);
  if (!match) return undefined;
  const [[challenge], [solution]] = await Promise.all([listChallengeRecords(context.db, [match.challenge_id]), listSolutionRecords(context.db, [match.solution_id])]);
  if (!challenge || !solution) return undefined;
  return { match, challenge, solution };
}
