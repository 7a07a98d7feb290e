// What a workbench action answers: a notice on success, or a status, a message and the fields at fault.
import type { z } from "zod";
import { CurationError } from "../../db/queries/curation";
import { message } from "../lib/forms";

export type ActionOutcome =
  | { ok: true; notice: string; matchId?: number }
  | { ok: false; status: 400 | 403 | 404 | 409; error: string; fields?: Record<string, string> };

export function curationFailure(error: unknown): ActionOutcome {
  if (!(error instanceof CurationError)) throw error;
  switch (error.code) {
    case "not_found":
      return { ok: false, status: 404, error: message("curation.error.notFound") };
    case "already_decided":
      return { ok: false, status: 409, error: message("curation.error.alreadyDecided") };
    case "already_match":
      return { ok: false, status: 409, error: message("curation.error.alreadyMatch") };
    case "not_in_play":
      return { ok: false, status: 409, error: message("curation.error.notInPlay") };
    case "stale":
      return { ok: false, status: 409, error: message("curation.error.stale") };
    case "bad_transition":
      return { ok: false, status: 409, error: message("curation.error.badTransition") };
  }
}

export function fieldErrors(issues: z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
