// Shared start of the command-line tools: validated configuration, a logger, the database.
import type { OpenDatabase } from "../../db/client";
import { createLogger, type Logger } from "../../db/log";
import { loadConfigOrExit, type Config } from "./config";
import { prepareDatabase } from "./database";

export async function openForCli(options: { demo?: boolean } = {}): Promise<{ config: Config; log: Logger; database: OpenDatabase }> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel);
  const database = await prepareDatabase({ ...config, demoData: options.demo ?? false }, log);
  return { config, log, database };
}

export function fail(error: unknown): never {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
