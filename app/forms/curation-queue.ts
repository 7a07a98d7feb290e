// The workbench queue's filter, read from the query string.
import { z } from "zod";
import { message } from "../lib/forms";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const queueFilterSchema = z.object({
  scope: z.enum(["mine", "all"], { error: message("curation.filter.invalid") }).default("mine"),
  administration: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().positive().optional()),
  district: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9-]{1,40}$/, { error: message("curation.filter.invalid") }).optional()),
  sdg: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(1).max(17).optional()),
  minScore: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(0).max(100).optional()),
  maxAge: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(1).max(3650).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number({ error: message("curation.filter.invalid") }).int().min(1).max(10_000).default(1)),
});
export type QueueFilterInput = z.infer<typeof queueFilterSchema>;
