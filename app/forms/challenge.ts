// The challenge form's schema, shared by the browser and the server.
import { z } from "zod";
import { emailField, message, optionalDate, optionalText, versionField } from "../lib/forms";
import { amount, ids, recordFields } from "./record-fields";

export const challengeSchema = z
  .object({
    ...recordFields,
    owner: z.coerce.number({ error: message("form.choose") }).int().positive(),
    coOwners: ids,
    outcomeHoped: optionalText(2000),
    outcomeMeasure: optionalText(2000),
    budgetMin: amount,
    budgetMax: amount,
    procurementRoute: z
      .string()
      .optional()
      .transform((v) => (v ? v : null)),
    deadline: optionalDate(),
    contactTeam: optionalText(120),
    contactEmail: emailField.optional().transform((v) => v ?? null),
    version: versionField.optional(),
    intent: z.enum(["save", "publish"]).default("save"),
  })
  .check((ctx) => {
    const { budgetMin, budgetMax } = ctx.value;
    if (budgetMin !== null && budgetMax !== null && budgetMin > budgetMax) {
      ctx.issues.push({ code: "custom", input: budgetMax, path: ["budgetMax"], message: message("form.budgetOrder") });
    }
  });

export type ChallengeForm = z.infer<typeof challengeSchema>;
