// Who may see the matcher's suggestions, as a table: the record's own people, community managers
// and administrators; never the public, another administration or another organisation.
import { describe, expect, it } from "vitest";
import { canSeeChallengeSuggestions, canSeeSolutionSuggestions, type Actor } from "../../app/lib/permissions";

const OWNER = 1;
const CO_OWNER = 2;
const OTHER_ADMINISTRATION = 3;
const ORGANISATION = 10;
const OTHER_ORGANISATION = 11;

const staffOf = (id: number): Actor => ({ id: 100 + id, emailVerified: true, roles: [], memberships: [{ organisationId: id, role: "member", kind: "municipal_administration" }] });
const memberOf = (id: number): Actor => ({ id: 200 + id, emailVerified: true, roles: [], memberships: [{ organisationId: id, role: "owner", kind: "social_enterprise" }] });
const withRole = (role: "community_manager" | "administrator"): Actor => ({ id: 300, emailVerified: true, roles: [role], memberships: [] });

const challenge = { owner_organisation_id: OWNER, coOwnerIds: [CO_OWNER], status: "open" as const, moderated_at: null };
const solution = { organisation_id: ORGANISATION, status: "published" as const, moderated_at: null };

const actors: Array<[string, Actor | null, { challenge: boolean; solution: boolean }]> = [
  ["the public", null, { challenge: false, solution: false }],
  ["staff of the owning administration", staffOf(OWNER), { challenge: true, solution: false }],
  ["staff of a co-owning administration", staffOf(CO_OWNER), { challenge: true, solution: false }],
  ["staff of another administration", staffOf(OTHER_ADMINISTRATION), { challenge: false, solution: false }],
  ["a member of the solution's organisation", memberOf(ORGANISATION), { challenge: false, solution: true }],
  ["a member of another organisation", memberOf(OTHER_ORGANISATION), { challenge: false, solution: false }],
  ["a community manager", withRole("community_manager"), { challenge: true, solution: true }],
  ["an administrator", withRole("administrator"), { challenge: true, solution: true }],
];

describe("seeing the matcher's suggestions", () => {
  it.each(actors)("%s", (_name, actor, expected) => {
    expect(canSeeChallengeSuggestions(actor, challenge)).toBe(expected.challenge);
    expect(canSeeSolutionSuggestions(actor, solution)).toBe(expected.solution);
  });
});
