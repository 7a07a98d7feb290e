// Anyone signed in may report a record to the administrators.
import { z } from "zod";
import { requiredText } from "../lib/forms";

export const reportSchema = z.object({
  intent: z.literal("report"),
  reason: requiredText(1000, 5),
});
