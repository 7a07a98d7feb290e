// What each person's own page (/me) shows, by what they are: staff, entrepreneur, community
// manager, administrator – one person can be several.
import { sql } from "kysely";
import { listOpenReports } from "../../db/queries/moderation";
import { listOrganisationsAwaitingConfirmation } from "../../db/queries/organisations";
import { listFollowedChallenges, listProposalsOfOrganisations, listProposalsToAdministrations } from "../../db/queries/proposals";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "./auth.server";
import { administrationsOf, canAdminister, canCurate, organisationsOf } from "./permissions";

export async function loadMe(context: PortalContext, user: CurrentUser) {
  const db = context.db;
  const administrations = administrationsOf(user);
  const organisations = organisationsOf(user);

  const challenges =
    administrations.length === 0
      ? []
      : await db
          .selectFrom("challenges")
          .select(["id", "title", "status", "moderated_at", "updated_at"])
          .where((eb) =>
            eb.or([
              eb("owner_organisation_id", "in", administrations),
              eb.exists(
                eb
                  .selectFrom("challenge_co_owners")
                  .select("challenge_co_owners.challenge_id")
                  .whereRef("challenge_co_owners.challenge_id", "=", "challenges.id")
                  .where("challenge_co_owners.organisation_id", "in", administrations),
              ),
            ]),
          )
          .orderBy("updated_at", "desc")
          .execute();

  const solutions =
    organisations.length === 0
      ? []
      : await db
          .selectFrom("solutions")
          .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
          .select(["solutions.id", "solutions.title", "solutions.status", "solutions.moderated_at", "organisations.name as organisation"])
          .where("solutions.organisation_id", "in", organisations)
          .orderBy("solutions.updated_at", "desc")
          .execute();

  const curating = canCurate(user);
  const districts = user.curatorDistricts;
  const covered = user.curatorAdministrations;
  // A community manager's districts and administrations first: the newest there, then elsewhere.
  const newInArea = curating
    ? await db
        .selectFrom("challenges")
        .select(["id", "title", "status", "created_at"])
        .select(
          sql<number>`(owner_organisation_id in (${sql.join(covered.length ? covered : [-1])})
            or exists (select 1 from challenge_districts d where d.challenge_id = challenges.id and d.district_code in (${sql.join(districts.length ? districts : [""])})))`.as(
            "in_area",
          ),
        )
        .orderBy(sql`in_area desc, created_at desc`)
        .limit(10)
        .execute()
    : [];
  const newSolutions = curating
    ? await db
        .selectFrom("solutions")
        .select(["id", "title", "status", "created_at"])
        .select(
          sql<number>`exists (select 1 from solution_districts d where d.solution_id = solutions.id and d.district_code in (${sql.join(districts.length ? districts : [""])}))`.as(
            "in_area",
          ),
        )
        .orderBy(sql`in_area desc, created_at desc`)
        .limit(10)
        .execute()
    : [];

  const admin = canAdminister(user);
  return {
    user: {
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      roles: user.roles,
      memberships: user.memberships.map((m) => ({ id: m.organisationId, name: m.name, kind: m.kind, role: m.role })),
    },
    staff: administrations.length > 0 ? { challenges, proposals: await listProposalsToAdministrations(db, administrations) } : null,
    entrepreneur:
      organisations.length > 0
        ? { solutions, proposals: await listProposalsOfOrganisations(db, organisations) }
        : null,
    follows: await listFollowedChallenges(db, user.id),
    curator: curating ? { challenges: newInArea, solutions: newSolutions } : null,
    admin: admin
      ? { reports: (await listOpenReports(db)).length, confirmations: (await listOrganisationsAwaitingConfirmation(db)).length }
      : null,
  };
}
