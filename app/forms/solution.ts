// The solution form's schema, shared by the browser and the server.
import { z } from "zod";
import { message, oneOf, optionalText, versionField } from "../lib/forms";
import { recordFields } from "./record-fields";

export const solutionSchema = z.object({
  ...recordFields,
  organisation: z.coerce.number({ error: message("form.choose") }).int().positive(),
  stage: oneOf(["idea", "pilot", "running", "scaling"] as const),
  evidence: optionalText(4000),
  priceModel: optionalText(2000),
  version: versionField.optional(),
  intent: z.enum(["save", "publish"]).default("save"),
});

export type SolutionForm = z.infer<typeof solutionSchema>;
