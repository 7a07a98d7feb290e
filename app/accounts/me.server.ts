// What each person's own page (/me) shows, by what they are: staff, entrepreneur, community
// manager, administrator – one person can be several.
import { listChallengesOfAdministrations, listNewestChallengesForCurator } from "../../db/queries/challenges";
import { listOpenReports } from "../../db/queries/moderation";
import { listOrganisationsAwaitingConfirmation } from "../../db/queries/organisations";
import { listFollowedChallenges, listProposalsOfOrganisations, listProposalsToAdministrations } from "../../db/queries/proposals";
import { listNewestSolutionsForCurator, listSolutionsOfOrganisations } from "../../db/queries/solutions";
import type { PortalContext } from "../context.server";
import type { Locale } from "../i18n";
import type { CurrentUser } from "./auth.server";
import { loadNotificationSettings } from "../notifications/notification-settings.server";
import { administrationsOf, canAdminister, canCurate, organisationsOf } from "../lib/permissions";
import { suggestionGroups } from "../curation/suggestions.server";

export async function loadMe(context: PortalContext, user: CurrentUser, locale: Locale) {
  const db = context.db;
  const administrations = administrationsOf(user);
  const organisations = organisationsOf(user);

  const challenges = await listChallengesOfAdministrations(db, administrations);
  const solutions = await listSolutionsOfOrganisations(db, organisations);

  const curating = canCurate(user);
  // A community manager's districts and administrations first: the newest there, then elsewhere.
  const area = { administrations: user.curatorAdministrations, districts: user.curatorDistricts };
  const newInArea = curating ? await listNewestChallengesForCurator(db, area) : [];
  const newSolutions = curating ? await listNewestSolutionsForCurator(db, area.districts) : [];

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
