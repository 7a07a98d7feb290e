// Valid rows for tests; each test overrides what it is about.
import type { DB } from "../../db/client";
import { nowIso } from "../../db/client";
import { createChallenge, type ChallengeInput } from "../../db/queries/challenges";
import { createSolution, type SolutionInput } from "../../db/queries/solutions";
import type { OrganisationKind } from "../../db/schema";

let counter = 0;

export async function administrationId(db: DB, code = "SUF"): Promise<number> {
  const row = await db.selectFrom("organisations").select("id").where("code", "=", code).executeTakeFirstOrThrow();
  return row.id;
}

/** The organisation a person belongs to (the demo entrepreneurs each have one). */
export async function organisationOf(db: DB, email: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.organisation_id")
    .where("users.email", "=", email)
    .executeTakeFirstOrThrow();
  return row.organisation_id;
}

export async function createOrganisation(db: DB, overrides: { name?: string; kind?: OrganisationKind } = {}): Promise<number> {
  counter++;
  const { id } = await db
    .insertInto("organisations")
    .values({
      kind: overrides.kind ?? "social_enterprise",
      name: overrides.name ?? `Testorganisation ${counter}`,
      created_at: nowIso(),
      updated_at: nowIso(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function challengeInput(db: DB, overrides: Partial<ChallengeInput> = {}): Promise<ChallengeInput> {
  counter++;
  return {
    title: `Testudfordring ${counter}`,
    summary: "En kort opsummering.",
    description: "En længere beskrivelse af udfordringen.",
    language: "da",
    ownerOrganisationId: overrides.ownerOrganisationId ?? (await administrationId(db)),
    coOwnerIds: [],
    wholeCity: false,
    districts: [],
    sdgGoals: [],
    sdgTargets: [],
    targetGroups: [],
    outcomeHoped: null,
    outcomeMeasure: null,
    budgetMinDkk: null,
    budgetMaxDkk: null,
    procurementRoute: null,
    deadline: null,
    contactTeam: "Team Test",
    contactEmail: "test@kk.example",
    status: "open",
    createdBy: null,
    ...overrides,
  };
}

export async function solutionInput(db: DB, overrides: Partial<SolutionInput> = {}): Promise<SolutionInput> {
  counter++;
  return {
    title: `Testløsning ${counter}`,
    summary: "En kort opsummering.",
    description: "En længere beskrivelse af løsningen.",
    language: "da",
    organisationId: overrides.organisationId ?? (await createOrganisation(db)),
    wholeCity: false,
    districts: [],
    sdgGoals: [],
    sdgTargets: [],
    targetGroups: [],
    stage: "running",
    evidence: null,
    priceModel: null,
    status: "published",
    createdBy: null,
    ...overrides,
  };
}

export async function makeChallenge(db: DB, overrides: Partial<ChallengeInput> = {}): Promise<number> {
  return createChallenge(db, await challengeInput(db, overrides));
}

export async function makeSolution(db: DB, overrides: Partial<SolutionInput> = {}): Promise<number> {
  return createSolution(db, await solutionInput(db, overrides));
}
