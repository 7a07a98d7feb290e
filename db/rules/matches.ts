// The rules of a match's life, written once: which records may be matched, the stages a match
// passes through and which moves between them are allowed. Pure (no SQL, no I/O), so the query
// modules, the server modules and the pages' loaders all ask the same rule.
import type { ChallengeStatus, MatchStage, SolutionStatus } from "../schema";

/** A challenge takes part in matching while it is open or in dialogue. */
export const MATCHABLE_CHALLENGE_STATUSES = ["open", "in_dialogue"] as const satisfies readonly ChallengeStatus[];
/** A solution takes part in matching while it is published. */
export const MATCHABLE_SOLUTION_STATUSES = ["published"] as const satisfies readonly SolutionStatus[];

export function isMatchableChallenge(status: string): boolean {
  return (MATCHABLE_CHALLENGE_STATUSES as readonly string[]).includes(status);
}

export function isMatchableSolution(status: string): boolean {
  return (MATCHABLE_SOLUTION_STATUSES as readonly string[]).includes(status);
}

/** The forward path of a match; "ended" is off it and can be reached from any stage before "outcome". */
export const STAGE_PATH = ["accepted", "introduced", "meeting", "pilot", "agreement", "outcome"] as const satisfies readonly MatchStage[];

/** A match at one of these stages is settled: it moves no further and is no longer under way. */
export const SETTLED_STAGES = ["outcome", "ended"] as const satisfies readonly MatchStage[];

export function isSettled(stage: MatchStage): boolean {
  return (SETTLED_STAGES as readonly string[]).includes(stage);
}

/** How far along the path a stage is (-1 for "ended", none or anything else). */
export function stageRank(stage: string | null | undefined): number {
  return stage ? (STAGE_PATH as readonly string[]).indexOf(stage) : -1;
}

/**
 * Whether a match at `from` may move to `to` by a plain stage change: forward along the path
 * (steps may be skipped, a pilot is not always needed), or ended. Introducing is its own action
 * (it sends the mails), so a match never moves to "introduced" or back to "accepted" this way,
 * and an accepted match must be introduced before it moves on.
 */
export function canMoveTo(from: MatchStage, to: MatchStage): boolean {
  if (isSettled(from)) return false;
  if (to === "ended") return true;
  if (to === "introduced" || to === "accepted") return false;
  if (from === "accepted") return false;
  return stageRank(to) > stageRank(from);
}

/** The stages a match at `from` may move forward to by a stage change, in path order ("ended" is its own action). */
export function nextStages(from: MatchStage): MatchStage[] {
  return STAGE_PATH.filter((to) => canMoveTo(from, to));
}

/** Every stage a stage change may ever lead to along the path (what the stage form may post). */
export const STAGE_CHANGE_TARGETS = STAGE_PATH.filter((to) => STAGE_PATH.some((from) => canMoveTo(from, to))) as [MatchStage, ...MatchStage[]];
