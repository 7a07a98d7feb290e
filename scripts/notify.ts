// `npm run notify`: sends what is due once, for cron (the portal does the same every
// NOTIFY_CHECK_MINUTES): immediate notifications, the digests of the last week that has ended,
// and reminders of overdue next steps. Safe to run at any time, as often as you like, alongside
// the portal or another run: every mail is claimed in SQLite before it is queued, so nothing goes
// out twice. Mails are queued in the outbox, which the running portal's mailer delivers; with
// --send this command delivers them itself (only when no portal is running on the same data).
//
//   npm run notify [-- --send] [-- --now 2026-12-07T08:00:00+01:00]
//
// Exit codes: 0 done, 1 some sends failed (they are retried on the next run), 2 bad arguments.
import { parseArgs } from "node:util";
import { runNotifications } from "../app/notifications/notify.server";
import { logTransport, Mailer, smtpTransport } from "../app/mail/mailer.server";
import { fail, openForCli } from "./lib/cli";

const USAGE = "usage: npm run notify [-- --send] [-- --now <ISO time, e.g. 2026-12-07T08:00:00+01:00>]\n";

let args: { send?: boolean; now?: string; help?: boolean };
try {
  args = parseArgs({ options: { send: { type: "boolean" }, now: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }).values;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
// Acting as of another moment is for catching up after an outage (and for tests).
const now = args.now ? new Date(args.now) : new Date();
if (Number.isNaN(now.getTime())) {
  process.stderr.write(`--now: not a date and time: ${args.now}\n${USAGE}`);
  process.exit(2);
}

const { config, log, database } = await openForCli().catch(fail);
try {
  const result = await runNotifications(database.db, { now, publicBaseUrl: config.publicBaseUrl, log });
  if (args.send) {
    const mailer = new Mailer(database.db, config.smtpUrl ? smtpTransport(config.smtpUrl) : logTransport(log), { from: config.mailFrom, log });
    await mailer.drain(120_000);
  }
  const { immediate: i, digests: d, reminders: r } = result;
  process.stdout.write(
    `Queued ${i.sent} immediate notifications, ${d.sent} weekly digests and ${r.sent} reminders` +
      ` (${i.skipped + d.skipped + r.skipped} already sent or nothing to send, ${i.failed + d.failed + r.failed} failed` +
      `${r.unassigned ? `, ${r.unassigned} overdue matches with nobody to remind` : ""}).\n`,
  );
  if (i.failed + d.failed + r.failed > 0) process.exitCode = 1;
} catch (error) {
  log.error("notify failed", { error });
  process.exitCode = 1;
} finally {
  await database.close();
}
