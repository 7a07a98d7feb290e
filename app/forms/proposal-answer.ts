// The challenge's staff answer a proposal.
import { z } from "zod";
import { oneOf, requiredText } from "../lib/forms";

export const answerSchema = z.object({
  intent: z.literal("answer"),
  proposal: z.coerce.number().int().positive(),
  decision: oneOf(["accepted", "declined"] as const),
  answer: requiredText(2000, 2),
});
