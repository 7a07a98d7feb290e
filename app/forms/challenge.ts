// The challenge and solution forms' schemas, shared by the browser and the server. Reference
// codes (districts, target groups, routes) are checked against the database on the server.
import { z } from "zod";
import { checkbox, emailField, message, oneOf, optionalDate, optionalText, requiredText, versionField } from "../lib/forms";

const code = z.string().max(64).regex(/^[\p{L}\p{N}._-]+$/u, { error: message("form.choose") });
const codes = z
  .array(code)
  .max(40)
  .optional()
  .transform((v) => v ?? []);
const goals = z
  .array(z.coerce.number().int().min(1).max(17))
  .max(17)
  .optional()
  .transform((v) => v ?? []);
const ids = z
  .array(z.coerce.number().int().positive())
  .max(20)
  .optional()
  .transform((v) => v ?? []);

/** SDG targets typed as "3.4, 11.a". */
const targets = z
  .string()
  .max(400, { error: message("form.tooLong", { max: 400 }) })
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((t) => /^\d{1,2}\.(\d{1,2}|[a-z])$/.test(t)), { error: message("form.sdgTargets") });

const amount = z
  .string()
  .optional()
  .transform((v) => (v ? v.replace(/[.\s]/g, "").replace(/kr\.?$/i, "") : ""))
  .refine((v) => v === "" || /^\d{1,10}$/.test(v), { error: message("form.amount") })
  .transform((v) => (v === "" ? null : Number(v)));

const common = {
  title: requiredText(160, 5),
  summary: requiredText(400, 10),
  description: requiredText(20_000, 20),
  language: oneOf(["da", "en"] as const),
  wholeCity: checkbox,
  districts: codes,
  sdgGoals: goals,
  sdgTargets: targets,
  targetGroups: codes,
};

export const challengeSchema = z
  .object({
    ...common,
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

export const solutionSchema = z.object({
  ...common,
  organisation: z.coerce.number({ error: message("form.choose") }).int().positive(),
  stage: oneOf(["idea", "pilot", "running", "scaling"] as const),
  evidence: optionalText(4000),
  priceModel: optionalText(2000),
  version: versionField.optional(),
  intent: z.enum(["save", "publish"]).default("save"),
});

export type SolutionForm = z.infer<typeof solutionSchema>;

export const CHALLENGE_STATUS_CHOICES = ["open", "in_dialogue", "closed", "solved"] as const;

export const statusSchema = z.object({ intent: z.literal("status"), status: oneOf(CHALLENGE_STATUS_CHOICES) });
export const solutionStatusSchema = z.object({ intent: z.literal("status"), status: oneOf(["published", "archived"] as const) });

export const proposalSchema = z.object({
  intent: z.literal("propose"),
  solution: z.coerce.number({ error: message("form.choose") }).int().positive(),
  pitch: requiredText(2000, 20),
});

export const answerSchema = z.object({
  intent: z.literal("answer"),
  proposal: z.coerce.number().int().positive(),
  decision: oneOf(["accepted", "declined"] as const),
  answer: requiredText(2000, 2),
});

export const reportSchema = z.object({
  intent: z.literal("report"),
  reason: requiredText(1000, 5),
});
