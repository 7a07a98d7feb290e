// An entrepreneur proposes one of their solutions to a challenge.
import { z } from "zod";
import { message, requiredText } from "../lib/forms";

export const proposalSchema = z.object({
  intent: z.literal("propose"),
  solution: z.coerce.number({ error: message("form.choose") }).int().positive(),
  pitch: requiredText(2000, 20),
});
