import type { DB } from "../../db/client";
import { PUBLISHED_CHALLENGE_STATUSES } from "../../db/queries/challenges";

/** Figures and the newest public records for the front page, straight from SQLite. */
export async function loadHome(db: DB) {
  const [challenges, solutions, organisations, latestChallenges, latestSolutions] = await Promise.all([
    db
      .selectFrom("challenges")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "in", ["open", "in_dialogue"])
      .where("moderated_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("solutions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", "published")
      .where("moderated_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("solutions")
      .select((eb) => eb.fn.count<number>("organisation_id").distinct().as("n"))
      .where("status", "=", "published")
      .where("moderated_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("challenges")
      .innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id")
      .select(["challenges.id", "challenges.title", "challenges.summary", "challenges.language", "organisations.name as owner"])
      .where("challenges.status", "in", [...PUBLISHED_CHALLENGE_STATUSES])
      .where("challenges.moderated_at", "is", null)
      .orderBy("challenges.published_at", "desc")
      .limit(3)
      .execute(),
    db
      .selectFrom("solutions")
      .innerJoin("organisations", "organisations.id", "solutions.organisation_id")
      .select(["solutions.id", "solutions.title", "solutions.summary", "solutions.language", "organisations.name as owner"])
      .where("solutions.status", "=", "published")
      .where("solutions.moderated_at", "is", null)
      .orderBy("solutions.published_at", "desc")
      .limit(3)
      .execute(),
  ]);
  return {
    counts: { challenges: Number(challenges.n), solutions: Number(solutions.n), organisations: Number(organisations.n) },
    latestChallenges,
    latestSolutions,
  };
}
