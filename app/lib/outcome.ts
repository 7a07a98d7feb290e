// What every server module answers a route's action with, and the one way an action turns a
// refusal into its form's answer. A form is parsed by conform with its zod schema
// (parseWithZod, app/forms/); the module is handed the parsed value and answers an Outcome:
// done (with what the page needs next), or refused with a status and messages for the whole
// form or for its fields. The action then answers `refusedForm(submission, outcome)`: the
// status (and Retry-After), the form's values kept and the messages shown where they belong.
import { data } from "@remix-run/node";
import { message } from "./forms";

/** Translation keys (app/lib/forms.ts `message`) per field name. */
export type FieldErrors = Record<string, string[]>;

export type Refusal<Also extends object = object> = {
  ok: false;
  status: 400 | 403 | 404 | 409 | 429;
  formErrors?: string[];
  fieldErrors?: FieldErrors;
  /** With status 429: when the next attempt is allowed. */
  retryAfterSeconds?: number;
} & Also;

/** `Done`: what a success tells the page; `Also`: what a refusal may carry besides its messages. */
export type Outcome<Done extends object = { notice: string }, Also extends object = object> = ({ ok: true } & Done) | Refusal<Also>;

/** Refused, with a message for the whole form. */
export function refusal(status: Refusal["status"], key: string, params?: Record<string, unknown>): Refusal {
  return { ok: false, status, formErrors: [message(key, params)] };
}

/** Refused, with a message at one field. */
export function fieldRefusal(status: Refusal["status"], field: string, key: string, params?: Record<string, unknown>): Refusal {
  return { ok: false, status, fieldErrors: { [field]: [message(key, params)] } };
}

/** Refused because the sender is over a rate limit: 429, and when to try again. */
export function tooManyAttempts(retryAfterSeconds: number): Refusal {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return { ok: false, status: 429, formErrors: [message("rate.limited", { minutes })], retryAfterSeconds };
}

interface Replying<R> {
  reply(options?: { formErrors?: string[]; fieldErrors?: FieldErrors; hideFields?: string[] }): R;
}

/**
 * The answer to a form its server module refused: conform's result (the typed values kept, the
 * messages at their fields) with the refusal's status, and Retry-After when it was a rate limit.
 * `around` puts the result inside a page's own answer (a page with several forms says which).
 */
export function refusedForm<R, T = { result: R }>(
  submission: Replying<R>,
  refused: Refusal,
  options: { hideFields?: string[]; around?: (result: R) => T } = {},
) {
  const result = submission.reply({ formErrors: refused.formErrors, fieldErrors: refused.fieldErrors, hideFields: options.hideFields });
  const headers: Record<string, string> = refused.retryAfterSeconds !== undefined ? { "Retry-After": String(refused.retryAfterSeconds) } : {};
  const body = options.around ? options.around(result) : ({ result } as T);
  return data(body, { status: refused.status, headers });
}

/** The answer to a form that did not parse: 400, with conform's messages at the fields. */
export function invalidForm<R, T = { result: R }>(submission: Replying<R>, options: { hideFields?: string[]; around?: (result: R) => T } = {}) {
  return refusedForm(submission, { ok: false, status: 400 }, options);
}
