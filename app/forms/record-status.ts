// The status forms on a challenge's and a solution's edit page.
import { z } from "zod";
import { oneOf } from "../lib/forms";

/** The statuses staff may give a challenge once it is published (draft is where it starts). */
export const CHALLENGE_STATUS_CHOICES = ["open", "in_dialogue", "closed", "solved"] as const;

export const challengeStatusSchema = z.object({ intent: z.literal("status"), status: oneOf(CHALLENGE_STATUS_CHOICES) });
export const solutionStatusSchema = z.object({ intent: z.literal("status"), status: oneOf(["published", "archived"] as const) });
