// `npm run match -- --challenges FILE.jsonl --solutions FILE.jsonl [--top 10] [--out FILE]`
// Ranks the solutions of every challenge with the portal's matcher, in a throwaway database
// and index, and writes JSONL {"challengeId","solutionId","rank","score","reasons"}: the top k
// of every challenge, challenges in input order. Progress goes to stderr. A malformed input
// line stops it with the file, line and field, and exit code 2.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { InputError, readMatchInputs } from "../search/matcher/input";
import { runMatch } from "./lib/match-run";

const USAGE = "usage: npm run match -- --challenges FILE.jsonl --solutions FILE.jsonl [--top 10] [--out FILE]";

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const argsSchema = z.object({
  challenges: z.string({ error: "--challenges FILE is required" }).min(1),
  solutions: z.string({ error: "--solutions FILE is required" }).min(1),
  top: z.coerce.number({ error: "--top must be a whole number from 1 to 1000" }).int("--top must be a whole number from 1 to 1000").min(1, "--top must be a whole number from 1 to 1000").max(1000, "--top must be a whole number from 1 to 1000").default(10),
  out: z.string().min(1).optional(),
});

const envSchema = z.object({
  MEILI_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ error: "MEILI_URL must be a URL such as http://127.0.0.1:7700" }).optional()),
  MEILI_MASTER_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
});

async function main() {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: { challenges: { type: "string" }, solutions: { type: "string" }, top: { type: "string" }, out: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const args = argsSchema.safeParse(values);
  if (!args.success) usage(args.error.issues[0]!.message);
  const env = envSchema.safeParse(process.env);
  if (!env.success) usage(env.error.issues[0]!.message);

  let challenges, solutions;
  try {
    challenges = readMatchInputs(args.data.challenges);
    solutions = readMatchInputs(args.data.solutions);
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const started = Date.now();
  const rows = await runMatch({
    challenges,
    solutions,
    top: args.data.top,
    meiliUrl: env.data.MEILI_URL,
    meiliKey: env.data.MEILI_MASTER_KEY,
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  const text = rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length > 0 ? "\n" : "");
  if (args.data.out) fs.writeFileSync(args.data.out, text);
  else process.stdout.write(text);
  process.stderr.write(`done: ${rows.length} rows for ${challenges.length} challenges in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error) => {
  process.stderr.write(`match failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
