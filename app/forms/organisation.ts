// The organisation registration form's schema, shared by the browser and the server.
import { z } from "zod";
import { isValidCvr, normalizeCvr } from "../organisations/cvr";
import { checkbox, emailField, message, oneOf, optionalText, requiredText } from "../lib/forms";

export const ORGANISATION_KINDS = ["social_enterprise", "association", "company", "foundation"] as const;

export const organisationSchema = z.object({
  name: requiredText(160, 2),
  kind: oneOf(ORGANISATION_KINDS),
  cvr: z
    .string()
    .optional()
    .transform((v) => (v ? normalizeCvr(v) : null))
    .refine((v) => v === null || isValidCvr(v), { error: message("form.cvr") }),
  rsv: checkbox,
  website: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^https?:\/\/[^\s]+\.[^\s]+$/.test(v), { error: message("form.url") }),
  description: optionalText(1000),
  district: z
    .string()
    .optional()
    .transform((v) => (v ? v : null)),
  contactEmail: emailField.optional().transform((v) => v ?? null),
});

export type OrganisationForm = z.infer<typeof organisationSchema>;
