// Who may do what: one pure function per action, used by loaders (to show or hide a control)
// and actions (to refuse with 403) alike. What may be *seen* is db/visibility.ts's business;
// these functions decide what may be *done*.
import { isMatchableChallenge, isMatchableSolution } from "../../db/rules/matches";
import { isOwnedOrCoOwnedBy } from "../../db/rules/ownership";
import type { ChallengeStatus, GlobalRole, MembershipRole, OrganisationKind, SolutionStatus } from "../../db/schema";

export interface Actor {
  id: number;
  emailVerified: boolean;
  roles: GlobalRole[];
  memberships: Array<{ organisationId: number; role: MembershipRole; kind: OrganisationKind }>;
}

type MaybeActor = Actor | null | undefined;

/**
 * Whatever makes the portal mail someone or shows something to the public needs a confirmed
 * address: an unconfirmed account could be anyone's, and the portal would mail in their name.
 */
export function hasConfirmedAddress(actor: MaybeActor): boolean {
  return Boolean(actor?.emailVerified);
}

export function isAdministrator(actor: MaybeActor): boolean {
  return Boolean(actor?.roles.includes("administrator"));
}

export function isCommunityManager(actor: MaybeActor): boolean {
  return Boolean(actor?.roles.includes("community_manager"));
}

/** The municipal administrations the actor works in (department staff). */
export function administrationsOf(actor: MaybeActor): number[] {
  return actor?.memberships.filter((m) => m.kind === "municipal_administration").map((m) => m.organisationId) ?? [];
}

/** The non-municipal organisations the actor belongs to (entrepreneurs). */
export function organisationsOf(actor: MaybeActor): number[] {
  return actor?.memberships.filter((m) => m.kind !== "municipal_administration").map((m) => m.organisationId) ?? [];
}

function memberOf(actor: MaybeActor, organisationId: number): boolean {
  return Boolean(actor?.memberships.some((m) => m.organisationId === organisationId));
}

export interface ChallengeFacts {
  owner_organisation_id: number;
  coOwnerIds: number[];
  status: ChallengeStatus;
  moderated_at: string | null;
}

export interface SolutionFacts {
  organisation_id: number;
  status: SolutionStatus;
  moderated_at: string | null;
}

// Challenges
export function canCreateChallenge(actor: MaybeActor): boolean {
  return administrationsOf(actor).length > 0;
}

/** Staff of the owning administration or of a co-owner; never another administration's. */
export function canEditChallenge(actor: MaybeActor, c: ChallengeFacts): boolean {
  return isOwnedOrCoOwnedBy(c, administrationsOf(actor));
}

/** Publishing (and every later status) needs a verified e-mail address. */
export function canPublishChallenge(actor: MaybeActor, c: ChallengeFacts): boolean {
  return canEditChallenge(actor, c) && hasConfirmedAddress(actor);
}

export function canReadProposalsOf(actor: MaybeActor, c: ChallengeFacts): boolean {
  return canEditChallenge(actor, c) || isCommunityManager(actor) || isAdministrator(actor);
}

export function canAnswerProposal(actor: MaybeActor, c: ChallengeFacts): boolean {
  return canEditChallenge(actor, c) && hasConfirmedAddress(actor);
}

export function canFollowChallenge(actor: MaybeActor): boolean {
  return Boolean(actor);
}

// Solutions
export function canCreateSolution(actor: MaybeActor, organisationId?: number): boolean {
  const orgs = organisationsOf(actor);
  return organisationId === undefined ? orgs.length > 0 : orgs.includes(organisationId);
}

export function canEditSolution(actor: MaybeActor, s: SolutionFacts): boolean {
  return organisationsOf(actor).includes(s.organisation_id);
}

export function canPublishSolution(actor: MaybeActor, s: SolutionFacts): boolean {
  return canEditSolution(actor, s) && hasConfirmedAddress(actor);
}

/** An entrepreneur proposes one of their organisation's published solutions to an open challenge. */
export function canPropose(actor: MaybeActor, c: ChallengeFacts, s: SolutionFacts): boolean {
  return (
    hasConfirmedAddress(actor) &&
    canEditSolution(actor, s) &&
    isMatchableSolution(s.status) &&
    s.moderated_at === null &&
    isMatchableChallenge(c.status) &&
    c.moderated_at === null
  );
}

// The matcher's suggestions (DOMAIN.md: for signed-in users only, never public: a public ranking
// of suppliers against a municipal need would breach procurement's equal treatment of bidders).

/** Staff of the owning or a co-owning administration, community managers and administrators. */
export function canSeeChallengeSuggestions(actor: MaybeActor, c: ChallengeFacts): boolean {
  return canEditChallenge(actor, c) || isCommunityManager(actor) || isAdministrator(actor);
}

/** Members of the solution's organisation, community managers and administrators. */
export function canSeeSolutionSuggestions(actor: MaybeActor, s: SolutionFacts): boolean {
  return canEditSolution(actor, s) || isCommunityManager(actor) || isAdministrator(actor);
}

// Organisations
/** A registered organisation is public at once, so its registrant's address must be confirmed. */
export function canRegisterOrganisation(actor: MaybeActor): boolean {
  return hasConfirmedAddress(actor);
}

/** Inviting mails someone: owners (and administrators) with a confirmed address. */
export function canInviteTo(actor: MaybeActor, organisationId: number): boolean {
  return canManageOrganisation(actor, organisationId) && hasConfirmedAddress(actor);
}

/** Owners run their organisation (invite, remove); administrators may step in. */
export function canManageOrganisation(actor: MaybeActor, organisationId: number): boolean {
  return (
    isAdministrator(actor) ||
    Boolean(actor?.memberships.some((m) => m.organisationId === organisationId && m.role === "owner"))
  );
}

export function canLeaveOrganisation(actor: MaybeActor, organisationId: number): boolean {
  return memberOf(actor, organisationId);
}

// Administration
export function canAdminister(actor: MaybeActor): boolean {
  return isAdministrator(actor);
}

export function canModerate(actor: MaybeActor): boolean {
  return isAdministrator(actor);
}

/** Community managers' landing page and their wider view. */
export function canCurate(actor: MaybeActor): boolean {
  return isCommunityManager(actor) || isAdministrator(actor);
}

// The workbench: deciding on suggestions, introducing the parties and following a match are the
// community managers' work (administrators may step in); the parties see their own matches.

export function canDecideMatches(actor: MaybeActor): boolean {
  return canCurate(actor);
}

/** Introducing mails both parties in the curator's name. */
export function canIntroduce(actor: MaybeActor): boolean {
  return canDecideMatches(actor) && hasConfirmedAddress(actor);
}

/** Staff of the challenge's owning or co-owning administrations, and members of the solution's organisation. */
export function isMatchParty(actor: MaybeActor, c: Pick<ChallengeFacts, "owner_organisation_id" | "coOwnerIds">, s: Pick<SolutionFacts, "organisation_id">): boolean {
  return isOwnedOrCoOwnedBy(c, administrationsOf(actor)) || memberOf(actor, s.organisation_id);
}

export function canSeeMatch(actor: MaybeActor, c: Pick<ChallengeFacts, "owner_organisation_id" | "coOwnerIds">, s: Pick<SolutionFacts, "organisation_id">): boolean {
  return canCurate(actor) || isMatchParty(actor, c, s);
}
