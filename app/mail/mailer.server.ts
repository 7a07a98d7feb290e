// The outbox consumer for e-mail. Mails are rendered when they are queued (db/mail.ts); this
// worker only hands each "email.send" row to a transport. Like the search indexer, it tells an
// outage from a rejection: while the mail server cannot be reached rows wait without spending
// attempts, while a mail the server refuses is retried with backoff and dead-lettered alone, so
// one bad address never holds up the others.
import nodemailer from "nodemailer";
import type { DB } from "../../db/client";
import { redactSecrets, type Logger } from "../../db/log";
import { markMailSettled } from "../../db/mail";
import { DEFAULT_RETRY, listDue, markFailed, type MailMessage, type OutboxMessage, type RetryPolicy } from "../../db/outbox";
import { EMPTY_ROUND, OutboxWorker, type RoundResult } from "../../db/outbox-worker";

export type OutgoingMail = MailMessage & { from: string; messageId: string };

/**
 * Something that delivers one mail. It resolves once the mail is accepted and throws otherwise;
 * an error with a connection-level `code` (see isMailServerUnreachable) means the server could
 * not be used at all, any other error is a rejection of this one mail.
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

// nodemailer waits two minutes for a connection and ten for a stalled socket by default; a
// round stuck that long also holds up stop(). A URL that sets its own values keeps them.
const SMTP_TIMEOUTS = { connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" };

/** Sends through an SMTP server given as a URL, e.g. smtps://user:pass@smtp.example:465. */
export function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(SMTP_TIMEOUTS)) {
    if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, value);
  }
  const transporter = nodemailer.createTransport(parsed.toString());
  return {
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        replyTo: mail.replyTo,
        subject: mail.subject,
        // Both parts make a multipart/alternative mail; clients without HTML show the text.
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
        // The parts are strings we rendered, never paths or URLs nodemailer should fetch.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    },
  };
}

/**
 * For installations without SMTP: each mail becomes one log line instead, with its links'
 * tokens hidden here as well as by createLogger, since any Logger may be handed in.
 * /admin/mail lists the same mails, as redacted.
 */
export function logTransport(log: Logger): MailTransport {
  return {
    async send(mail) {
      log.info("mail not sent (no SMTP configured)", {
        to: mail.to,
        kind: mail.kind,
        subject: mail.subject,
        text: redactSecrets(mail.text),
      });
    },
  };
}

// Connection-level failures, from nodemailer (ECONNECTION, ETIMEDOUT, ESOCKET, EDNS) or from a
// transport built on node's sockets or fetch. EAUTH and ETLS count too: wrong credentials or a
// broken certificate stop every mail alike, and spending attempts on them would dead-letter
// the whole queue over one configuration mistake.
const UNREACHABLE_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "EAUTH",
  "ETLS",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** Whether an error from a transport means the mail server could not be used at all. */
export function isMailServerUnreachable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return true;
  return name === "TimeoutError";
}

/** A short description of a mail error, with the server's reply but never credentials. */
export function describeMailError(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const e = error as { code?: unknown; response?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  if (typeof e.response === "string") {
    return [typeof e.code === "string" ? e.code : undefined, typeof e.command === "string" ? e.command : undefined, e.response]
      .filter(Boolean)
      .join(" ");
  }
  const message = typeof e.message === "string" ? e.message : String(error);
  return typeof e.code === "string" ? `${e.code}: ${message}` : message;
}

export interface MailerOptions {
  /** The From address, e.g. "Samskab <noreply@samskab.example>". */
  from: string;
  log?: Logger;
  retry?: RetryPolicy;
  pollMs?: number;
  batchSize?: number;
}

export class Mailer extends OutboxWorker {
  private readonly from: string;
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly db: DB,
    private readonly transport: MailTransport,
    options: MailerOptions,
  ) {
    // Every try during an outage opens a connection (and, with bad credentials, a failed login
    // a provider may hold against us), so tries are spaced wider than the search index's.
    // A mail queued in this process still goes out at once: nudge() wakes the loop.
    super("mailer", { pollMs: options.pollMs, maxOutageWaitMs: 15_000, log: options.log });
    this.from = options.from;
    this.batchSize = options.batchSize ?? 20;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** One round: send up to one batch of due mails, one at a time. */
  async runOnce(): Promise<RoundResult> {
    const due = await listDue(this.db, "email.send", this.batchSize);
    const round: RoundResult = { ...EMPTY_ROUND };
    for (const message of due) {
      const outcome = await this.deliver(message);
      if (outcome === "unreachable") return { ...round, unreachable: true };
      round[outcome]++;
    }
    return round;
  }

  private async deliver(message: OutboxMessage): Promise<"delivered" | "failed" | "dead" | "unreachable"> {
    const mail = message.payload as MailMessage;
    try {
      await this.transport.send({
        ...mail,
        from: this.from,
        // Derived from the row, so a retry carries the same id and a receiving server or
        // client that saw the first copy can tell it is the same mail.
        messageId: `<outbox-${message.id}@samskab>`,
      });
    } catch (error) {
      if (isMailServerUnreachable(error)) {
        this.noteOutage("mail server unusable; mails wait in the outbox", { error: describeMailError(error) });
        return "unreachable";
      }
      this.noteRecovery("mail server reachable again");
      const reason = describeMailError(error);
      const outcome = await markFailed(this.db, message, reason, this.retry);
      if (outcome === "dead") {
        // Never sent, never to be: its links are of no use to anyone now.
        await markMailSettled(this.db, message.id, "dead");
        this.log.error("mail dead-lettered", { row: message.id, kind: mail.kind, error: reason });
        return "dead";
      }
      this.log.warn("mail rejected; will retry", { row: message.id, kind: mail.kind, attempts: message.attempts + 1, error: reason });
      return "failed";
    }
    this.noteRecovery("mail server reachable again");
    // Marked one by one: a crash mid-batch then re-sends at most the one mail in flight. Its
    // links leave the database with it: only the recipient's copy can open them.
    await markMailSettled(this.db, message.id, "done", message.revision);
    return "delivered";
  }
}
