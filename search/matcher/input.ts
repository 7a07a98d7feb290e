// The file formats of `npm run match` (and of `npm run eval`, which feeds it the same shapes):
// JSONL in, one object a line, checked here with zod; JSONL out.
import fs from "node:fs";
import { z } from "zod";
import type { MatchReason } from "./types";

const sdg = z.union([z.number().int().min(1).max(17), z.string().regex(/^\d{1,2}(\.[0-9a-z]{1,2})?$/, 'must be a goal number or a target id like "11.a"')]);

export const matchInputSchema = z.object({
  id: z.string({ error: "must be a string" }).min(1, "must not be empty"),
  title: z.string({ error: "must be a string" }).optional().default(""),
  description: z.string({ error: "must be a string" }),
  language: z.enum(["da", "en"], { error: 'must be "da" or "en"' }).optional(),
  districts: z.array(z.string(), { error: "must be an array of strings" }).optional().default([]),
  sdgs: z.array(sdg, { error: "must be an array of goal numbers or target ids" }).optional().default([]),
  targetGroups: z.array(z.string(), { error: "must be an array of strings" }).optional().default([]),
  department: z.string({ error: "must be a string" }).optional(),
  organization: z.string({ error: "must be a string" }).optional(),
});
export type MatchInput = z.infer<typeof matchInputSchema>;

export interface MatchOutputRow {
  challengeId: string;
  solutionId: string;
  rank: number;
  score: number;
  reasons: MatchReason[];
}

export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}:${line}: ${field}: ${detail}`);
    this.name = "InputError";
  }
}

/** Parses a JSONL file; the first bad line throws an InputError naming file, line and field. */
export function readMatchInputs(file: string): MatchInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(file, 0, "file", (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error));
  }
  const out: MatchInput[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new InputError(file, i + 1, "line", `not valid JSON (${(error as Error).message})`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(file, i + 1, "line", "must be a JSON object");
    const parsed = matchInputSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.join(".") : "line";
      const message = issue.code === "invalid_type" && (value as Record<string, unknown>)[String(issue.path[0])] === undefined ? "is required" : issue.message;
      throw new InputError(file, i + 1, field, message);
    }
    if (seen.has(parsed.data.id)) throw new InputError(file, i + 1, "id", `"${parsed.data.id}" appears twice`);
    seen.add(parsed.data.id);
    out.push(parsed.data);
  }
  return out;
}
