// What each person's own page (/me) shows, by what they are: staff, entrepreneur, community
// manager, administrator – one person can be several.
import { sql } from "kysely";
import { listOpenReports } from "../../db/queries/moderation";
import { listOrganisationsAwaitingConfirmation } from "../../db/queries/organisations";
import { listFollowedChallenges, listProposalsOfOrganisations, listProposalsToAdministrations } from "../../db/queries/proposals";
import type { PortalContext } from "../context.server";
import type { Locale } from "../i18n";
import type { CurrentUser } from "./auth.server";
import { loadNotificationSettings } from "./notification-settings.server";
import { administrationsOf, canAdminister, canCurate, organisationsOf } from "./permissions";
import { suggestionGroups } from "./suggestions.server";

export async function loadMe(context: PortalContext, user: CurrentUser, locale: Locale) {
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

  // The matcher's suggestions for the person's own open challenges and published solutions,
  // and for a community manager the open challenges of their areas among the newest.
  const suggestions = {
    forChallenges: await suggestionGroups(db, user, "challenge", challenges.map((c) => c.id), locale),
    forSolutions: await suggestionGroups(db, user, "solution", solutions.map((s) => s.id), locale),
    inArea: curating ? await suggestionGroups(db, user, "challenge", newInArea.filter((c) => c.in_area).map((c) => c.id), locale) : [],
  };

  const admin = canAdminister(user);
  return {
    user: {
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      roles: user.roles,
      administratorWaiting: user.inactiveRoles.includes("administrator"),
      memberships: user.memberships.map((m) => ({ id: m.organisationId, name: m.name, kind: m.kind, role: m.role })),
    },
    staff:
      administrations.length > 0
        ? { challenges, proposals: await listProposalsToAdministrations(db, administrations), suggestions: suggestions.forChallenges }
        : null,
    entrepreneur:
      organisations.length > 0
        ? { solutions, proposals: await listProposalsOfOrganisations(db, organisations), suggestions: suggestions.forSolutions }
        : null,
    follows: await listFollowedChallenges(db, user.id),
    notifications: await loadNotificationSettings(context, user),
    curator: curating ? { challenges: newInArea, solutions: newSolutions, suggestions: suggestions.inArea } : null,
    admin: admin
      ? { reports: (await listOpenReports(db)).length, confirmations: (await listOrganisationsAwaitingConfirmation(db)).length }
      : null,
  };
}
