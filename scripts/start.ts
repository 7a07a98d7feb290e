// `npm start`: the whole portal from one command. `npm run dev` serves through Vite instead.
import { ensureBuild } from "./lib/build";
import { loadConfigOrExit } from "./lib/config";
import { keepHeapLean } from "./lib/heap";
import { startPortal } from "./lib/portal";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, existingDemoAccounts } from "../db/demo";
import { createLogger } from "../db/log";

const dev = process.argv.includes("--dev");
// Production mode unless developing: libraries read it too (Express, React), and no answer in
// production ever shows a stack trace.
if (!dev) process.env.NODE_ENV = "production";
keepHeapLean();

async function main() {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel);
  if (!dev) await ensureBuild((m) => log.info(m));
  const portal = await startPortal(config, { log, dev });
  log.info(`Samskab is running at ${portal.url}`, { data: config.dataDir, search: config.meiliUrl ? "external" : "embedded" });
  const demo = await existingDemoAccounts(portal.database.db);
  if (demo.length > 0) {
    process.stdout.write(
      `\nDemo accounts (password "${DEMO_PASSWORD}" – demo data only, never for real use):\n${demo
        .map((a) => `  ${a.email.padEnd(32)} ${a.what}${a.secondFactor ? " (second factor below)" : ""}`)
        .join("\n")}\n` +
        (demo.some((a) => a.secondFactor)
          ? `The administrator signs in with a code from an authenticator app too: add the key\n  ${DEMO_TOTP_SECRET}\n(TOTP, 6 digits, 30 s) to the app, or run \`npm run demo:code\` for the current code.\n\n`
          : "\n"),
    );
  }

  let stoppingSince = 0;
  const shutdown = (signal: string) => {
    if (stoppingSince) {
      // npm and the terminal may deliver the same Ctrl-C twice; only a later one means "now".
      if (Date.now() - stoppingSince < 2_000) return;
      log.warn("stopping now");
      process.exit(1);
    }
    stoppingSince = Date.now();
    log.info("stopping", { signal });
    portal
      .stop()
      .then(() => process.exit(0))
      .catch((error) => {
        log.error("stop failed", { error });
        process.exit(1);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error) => {
  process.stderr.write(`Samskab could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
