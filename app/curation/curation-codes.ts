// The reason codes community managers choose from: why a suggestion was dismissed, and why a
// match ended. Stored as these codes (match_decisions.reason, matches.end_reason), labelled in
// the locale files under curationCodes.dismiss.* and curationCodes.end.*, counted on the
// overview. Adding a code means adding its label in both languages.

export const DISMISS_REASONS = ["not_relevant", "wrong_target_group", "wrong_area", "already_in_contact", "solution_not_ready", "other"] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export const END_REASONS = ["no_interest", "no_budget", "not_a_fit", "solved_otherwise", "no_response", "other"] as const;
export type EndReason = (typeof END_REASONS)[number];

export function isDismissReason(value: unknown): value is DismissReason {
  return typeof value === "string" && (DISMISS_REASONS as readonly string[]).includes(value);
}

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === "string" && (END_REASONS as readonly string[]).includes(value);
}
