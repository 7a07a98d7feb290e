import type { DB } from "../../db/client";
import { countOpenChallenges, listLatestPublishedChallenges } from "../../db/queries/challenges";
import { countOrganisationsWithPublishedSolutions, countPublishedSolutions, listLatestPublishedSolutions } from "../../db/queries/solutions";

/** Figures and the newest public records for the front page, straight from SQLite. */
export async function loadHome(db: DB) {
  const [challenges, solutions, organisations, latestChallenges, latestSolutions] = await Promise.all([
    countOpenChallenges(db),
    countPublishedSolutions(db),
    countOrganisationsWithPublishedSolutions(db),
    listLatestPublishedChallenges(db, 3),
    listLatestPublishedSolutions(db, 3),
  ]);
  return {
    counts: { challenges, solutions, organisations },
    latestChallenges,
    latestSolutions,
  };
}
