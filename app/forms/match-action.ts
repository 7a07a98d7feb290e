// What a community manager does on a match's page: introduce, move a stage, end, plan the next step, note.
import { z } from "zod";
import { message, optionalDate, optionalText, requiredText, versionField } from "../lib/forms";
import { END_REASONS } from "../curation/curation-codes";
import { STAGE_CHANGE_TARGETS } from "../../db/rules/matches";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const dateField = optionalDate("curation.error.date");

export const matchActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("introduce"), version: versionField }),
  z.object({
    intent: z.literal("stage"),
    version: versionField,
    to: z.enum(STAGE_CHANGE_TARGETS, { error: message("form.choose") }),
    route: z.preprocess(blankToUndefined, z.string().max(60).optional()),
    agreementNote: optionalText(4000),
    outcomeResult: optionalText(4000),
    note: optionalText(2000),
  }),
  z.object({ intent: z.literal("end"), version: versionField, endReason: z.enum(END_REASONS, { error: message("curation.endReasonRequired") }), note: optionalText(2000) }),
  z.object({ intent: z.literal("nextStep"), version: versionField, nextStep: optionalText(500), due: dateField }),
  z.object({ intent: z.literal("note"), body: requiredText(4000) }),
]);
