// A community manager's decision on a suggestion: accept, dismiss with a reason, or add a pair by hand.
import { z } from "zod";
import { message, optionalText } from "../lib/forms";
import { DISMISS_REASONS } from "../curation/curation-codes";

const pairFields = {
  challenge: z.coerce.number({ error: message("form.invalid") }).int().positive({ error: message("form.choose") }),
  solution: z.coerce.number({ error: message("form.invalid") }).int().positive({ error: message("form.choose") }),
};

export const decisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), ...pairFields, note: optionalText(2000) }),
  z.object({
    intent: z.literal("dismiss"),
    ...pairFields,
    reason: z.enum(DISMISS_REASONS, { error: message("curation.dismissReasonRequired") }),
    note: optionalText(2000),
  }),
  z.object({ intent: z.literal("add"), ...pairFields, note: optionalText(2000) }),
]);
