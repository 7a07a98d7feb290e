// Shared start of the command-line tools: validated configuration, a logger, the database.
import type { OpenDatabase } from "../../db/client";
import { createLogger, type Logger } from "../../search/log";
import { ConfigError, loadConfig, type Config } from "./config";
import { prepareDatabase } from "./database";

export async function openForCli(options: { demo?: boolean } = {}): Promise<{ config: Config; log: Logger; database: OpenDatabase }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const database = await prepareDatabase({ ...config, demoData: options.demo ?? false }, log);
  return { config, log, database };
}

export function fail(error: unknown): never {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
