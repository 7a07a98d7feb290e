// Fields the challenge and solution forms share: titles and texts, language, districts, SDGs,
// target groups, amounts. Reference codes (districts, target groups, routes) are checked
// against the database on the server.
import { z } from "zod";
import { checkbox, message, oneOf, requiredText } from "../lib/forms";

const code = z.string().max(64).regex(/^[\p{L}\p{N}._-]+$/u, { error: message("form.choose") });
export const codes = z
  .array(code)
  .max(40)
  .optional()
  .transform((v) => v ?? []);
export const goals = z
  .array(z.coerce.number().int().min(1).max(17))
  .max(17)
  .optional()
  .transform((v) => v ?? []);
export const ids = z
  .array(z.coerce.number().int().positive())
  .max(20)
  .optional()
  .transform((v) => v ?? []);

/** SDG targets typed as "3.4, 11.a". */
export const targets = z
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

export const amount = z
  .string()
  .optional()
  .transform((v) => (v ? v.replace(/[.\s]/g, "").replace(/kr\.?$/i, "") : ""))
  .refine((v) => v === "" || /^\d{1,10}$/.test(v), { error: message("form.amount") })
  .transform((v) => (v === "" ? null : Number(v)));

/** The fields a challenge and a solution both have. */
export const recordFields = {
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
