// Building blocks for the zod schemas behind every form. One schema per form serves the browser
// (conform derives required/maxLength hints from it and checks as you type) and the server
// (the same schema parses the submission). Messages are translation keys with parameters, so
// the same schema speaks Danish or English: "form.tooLong|{"max":200}".
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { isCalendarDate } from "../../db/rules/calendar";

export function message(key: string, params?: Record<string, unknown>): string {
  return params ? `${key}|${JSON.stringify(params)}` : key;
}

/** Splits a schema message into its translation key and parameters. */
export function parseMessage(raw: string): { key: string; params: Record<string, unknown> } {
  const bar = raw.indexOf("|");
  if (bar < 0) return { key: raw, params: {} };
  try {
    return { key: raw.slice(0, bar), params: JSON.parse(raw.slice(bar + 1)) };
  } catch {
    return { key: raw.slice(0, bar), params: {} };
  }
}

/** Text the user must give: trimmed, between min and max characters. */
export function requiredText(max: number, min = 1) {
  return z
    .string({ error: message("form.required") })
    .trim()
    .min(min, { error: min > 1 ? message("form.tooShort", { min }) : message("form.required") })
    .max(max, { error: message("form.tooLong", { max }) });
}

/** Text the user may leave empty (then null). */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, { error: message("form.tooLong", { max }) })
    .optional()
    .transform((v) => (v ? v : null));
}

export const emailField = z
  .string({ error: message("form.required") })
  .trim()
  .max(254, { error: message("form.tooLong", { max: 254 }) })
  .pipe(z.email({ error: message("form.email") }));

export const PASSWORD_MIN = 10;

export const newPasswordField = z
  .string({ error: message("form.required") })
  .min(PASSWORD_MIN, { error: message("form.passwordTooShort", { min: PASSWORD_MIN }) })
  .max(200, { error: message("form.tooLong", { max: 200 }) });

/** A checkbox: present means yes. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: message("form.choose") });
}

/** Several ticked values, each from a list. */
export function manyOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .array(z.enum(values, { error: message("form.choose") }))
    .optional()
    .transform((v) => v ?? []);
}

/** An optional calendar date (YYYY-MM-DD, a real day between 2000 and 2099); empty is null. */
export function optionalDate(errorKey = "form.date") {
  return z
    .string()
    .trim()
    .max(10, { error: message(errorKey) })
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isCalendarDate(v), { error: message(errorKey) });
}

/** A hidden version number for optimistic locking. */
export const versionField = z.coerce.number({ error: message("form.invalid") }).int().min(1);

/**
 * conform's options for a form checked by `schema`, the same everywhere: a field is checked
 * when it is left, and re-checked as soon as it is corrected, so an error disappears while
 * typing rather than when the submit button is pressed (which would shift the button away
 * from under the pointer).
 */
export function formOptions<S extends z.ZodType>(schema: S) {
  return {
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur" as const,
    shouldRevalidate: "onInput" as const,
    onValidate: ({ formData }: { formData: FormData }) => parseWithZod(formData, { schema }),
  };
}
