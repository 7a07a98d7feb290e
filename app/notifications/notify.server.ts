// Sends what people subscribed to (db/queries/notifications.ts): immediate mails, weekly
// digests, and reminders of overdue next steps on matches. The portal runs them on a schedule
// (NotificationScheduler, started in scripts/lib/portal.ts) and `npm run notify` runs them once,
// for cron.
//
// Idempotent by construction. Every mail is one SQLite transaction that (1) claims the send by
// inserting its notification_sends row (subscription + period) or reminder_sends row (match +
// due date), (2) queues the rendered mail in the outbox and (3) marks the news it carries as
// sent. A claim that conflicts means another run (another process, or a second call at the
// same moment) has it: nothing is queued. A crash before the commit leaves no claim, no mail and
// unsent news, so the next run sends it; after the commit the outbox delivers the mail from its
// row, exactly once. The claim is the transaction's first write, so SQLite's write lock is
// taken before anything is read, and two runs never work from the same snapshot.
import type { DB } from "../../db/client";
import { copenhagenDate, lastEndedWeek } from "../../db/rules/calendar";
import { silentLogger, type Logger } from "../../db/log";
import { queueMail } from "../../db/mail";
import type { Executor, MailMessage } from "../../db/outbox";
import { isMatchableChallenge, isMatchableSolution } from "../../db/rules/matches";
import {
  completeSend,
  currentStateOf,
  dropItems,
  findSubscription,
  listOverdueMatches,
  listSubscriptionsWithNews,
  listWaitingItems,
  remindOnce,
  sendOnce as claimAndSend,
  unsubscribeWithToken as endSubscriptionWithToken,
  type Recipient,
  type WaitingItem,
} from "../../db/queries/notifications";
import { listFollowedAmong } from "../../db/queries/proposals";
import type { ChallengeStatus, Delivery, SubscriptionTopic } from "../../db/schema";
import { issueToken, peekToken, SECRET_SHAPE, subjectId, subjectOf } from "../../db/tokens";
import { z } from "zod";
import type { PortalContext } from "../context.server";
import { i18nFor, type Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import { formatDate } from "../lib/format";

/** How a mail is queued: the outbox (db/mail.ts) unless a test says otherwise. */
export type QueueMail = (trx: Executor, mail: MailMessage) => Promise<void>;

export interface NotifyOptions {
  /** The moment the run acts for; now by default. */
  now?: Date;
  /** The portal's public address, for the links in the mails. */
  publicBaseUrl: string;
  log?: Logger;
  queue?: QueueMail;
}

export interface SendCounts {
  /** Mails queued by this run. */
  sent: number;
  /** Claimed by another run already, or nothing left to send. */
  skipped: number;
  /** Sends that failed (nothing of them was written; the next run tries again). */
  failed: number;
}

const ZERO: SendCounts = { sent: 0, skipped: 0, failed: 0 };

/** The path a mail's unsubscribe link and List-Unsubscribe header point at. */
export function unsubscribePath(token: string): string {
  return `/unsubscribe?token=${encodeURIComponent(token)}`;
}

function absolute(publicBaseUrl: string, path: string): string {
  return new URL(path, `${publicBaseUrl.replace(/\/+$/, "")}/`).toString();
}

/**
 * Splits waiting news into what still holds and what no longer does: matched records must still
 * be in play (an open challenge, a published solution, neither unpublished by a moderator), a
 * followed challenge must still be public and followed. Returns the current titles and status.
 */
async function sortOut(trx: Executor, recipient: Recipient, items: WaitingItem[]) {
  const state = await currentStateOf(trx, items);
  const followed = new Set(
    await listFollowedAmong(
      trx,
      recipient.userId,
      items.filter((i) => i.payload.kind === "challenge-status").map((i) => i.payload.id),
    ),
  );
  const live: Array<WaitingItem & { title: string; status?: ChallengeStatus }> = [];
  const stale: WaitingItem[] = [];
  for (const item of items) {
    const p = item.payload;
    if (p.kind === "solution") {
      const s = state.solutions.get(p.id);
      if (s && isMatchableSolution(s.status) && s.moderated_at === null) live.push({ ...item, title: s.title });
      else stale.push(item);
    } else {
      const c = state.challenges.get(p.id);
      const holds =
        c && c.moderated_at === null && (p.kind === "challenge" ? isMatchableChallenge(c.status) : c.status !== "draft" && followed.has(c.id));
      if (holds) live.push({ ...item, title: c.title, status: c.status });
      else stale.push(item);
    }
  }
  return { live, stale };
}

/** The lines of a mail, one per record: a challenge whose status changed twice shows once, as it is now. */
function renderItems(locale: Locale, publicBaseUrl: string, items: Awaited<ReturnType<typeof sortOut>>["live"]): string {
  const { t } = i18nFor(locale);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const item of items) {
    const p = item.payload;
    const record = `${p.kind === "solution" ? "solution" : "challenge"}:${p.id}`;
    if (seen.has(record)) continue;
    seen.add(record);
    if (p.kind === "challenge-status") {
      lines.push(t("mail.news.status", { title: item.title, status: t(`status.${item.status}`), url: absolute(publicBaseUrl, `/challenges/${p.id}`) }));
    } else {
      lines.push(
        t(`mail.news.${p.kind}`, {
          title: item.title,
          via: p.via.title,
          percent: Math.round(p.score * 100),
          url: absolute(publicBaseUrl, `/${p.kind === "challenge" ? "challenges" : "solutions"}/${p.id}`),
        }),
      );
    }
  }
  return lines.join("\n\n");
}

/**
 * One mail for one subscription and period, in one transaction: claim, check, render, queue,
 * mark. `pick` chooses which of the waiting items this send carries.
 */
async function sendOne(
  db: DB,
  subscriptionId: number,
  delivery: Delivery,
  period: string,
  waitingBefore: string,
  pick: (items: WaitingItem[]) => WaitingItem[],
  options: NotifyOptions & { week?: number },
): Promise<"sent" | "skipped"> {
  const queue = options.queue ?? queueMail;
  const at = (options.now ?? new Date()).toISOString();
  // Someone whose address is not confirmed (or who was erased) is not mailed; news waits.
  return claimAndSend(db, { subscriptionId, period, delivery, at }, async (trx, recipient) => {
    const { live, stale } = await sortOut(trx, recipient, pick(await listWaitingItems(trx, subscriptionId, waitingBefore)));
    await dropItems(trx, subscriptionId, stale.map((i) => i.key));
    // Never an empty mail: "skipped" gives the claim back, in the same transaction.
    if (live.length === 0) return "skipped";
    const { t } = i18nFor(recipient.locale);
    const token = await issueToken(trx, "unsubscribe", { userId: recipient.userId, email: recipient.email, subject: subjectOf.subscription(subscriptionId) });
    const unsubscribe = absolute(options.publicBaseUrl, unsubscribePath(token));
    const params = {
      name: recipient.name,
      intro: t(`mail.news.intro_${recipient.topic}`),
      items: renderItems(recipient.locale, options.publicBaseUrl, live),
      link: "/me#notifications",
      unsubscribe,
    };
    const mail =
      delivery === "weekly"
        ? renderMail("digest", recipient.locale, recipient.email, options.publicBaseUrl, { ...params, week: String(options.week ?? "") })
        : renderMail("notify-now", recipient.locale, recipient.email, options.publicBaseUrl, { ...params, title: live[0]!.title });
    // RFC 8058 one-click unsubscribe: mail providers POST "List-Unsubscribe=One-Click" to the URL.
    mail.headers = { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
    await queue(trx, mail);
    await completeSend(trx, subscriptionId, period, live.map((i) => i.key));
    return "sent";
  });
}

async function tally(counts: SendCounts, log: Logger, what: Record<string, unknown>, send: () => Promise<"sent" | "skipped">): Promise<void> {
  try {
    counts[await send()]++;
  } catch (error) {
    // Nothing of this send was committed; the next run tries it again.
    counts.failed++;
    log.error("notification send failed; will retry on the next run", { ...what, error });
  }
}

/** Immediate subscriptions: one mail per waiting item, period "now:<item_key>". */
export async function runImmediate(db: DB, options: NotifyOptions): Promise<SendCounts> {
  const log = options.log ?? silentLogger;
  const before = new Date((options.now ?? new Date()).getTime() + 1).toISOString();
  const counts = { ...ZERO };
  for (const subscriptionId of await listSubscriptionsWithNews(db, "immediate", before)) {
    for (const item of await listWaitingItems(db, subscriptionId, before)) {
      const period = `now:${item.key}`;
      await tally(counts, log, { subscription: subscriptionId, period }, () =>
        sendOne(db, subscriptionId, "immediate", period, before, (items) => items.filter((i) => i.key === item.key), options),
      );
    }
  }
  return counts;
}

/**
 * Weekly digests for the last ISO week that has ended (Monday to Sunday, Copenhagen time): run on
 * Monday or later, it sends each weekly subscriber one mail with everything waiting from before
 * that Monday's midnight, collapsed to one line per record. Period "2026-W49"; never twice, never
 * empty. News that arrived this week waits for next Monday.
 */
export async function runDigests(db: DB, options: NotifyOptions): Promise<SendCounts> {
  const log = options.log ?? silentLogger;
  const { period, week, endedAt } = lastEndedWeek(options.now ?? new Date());
  const counts = { ...ZERO };
  for (const subscriptionId of await listSubscriptionsWithNews(db, "weekly", endedAt)) {
    await tally(counts, log, { subscription: subscriptionId, period }, () =>
      sendOne(db, subscriptionId, "weekly", period, endedAt, (items) => items, { ...options, week }),
    );
  }
  return counts;
}

/**
 * Reminders of overdue next steps (the due day has passed, Copenhagen time, and the match is
 * neither ended nor at its outcome): one per match and due date, claimed in reminder_sends, to
 * the match's curator, or when it has none to every community manager covering the challenge's
 * owning or co-owning administration. A match nobody can be reminded of is left unclaimed, so
 * its reminder goes out once someone covers it. Reminders are work mail to the person
 * responsible for the match, not a subscription, so they carry no unsubscribe link or header.
 */
export async function runReminders(db: DB, options: NotifyOptions): Promise<SendCounts & { unassigned: number }> {
  const log = options.log ?? silentLogger;
  const queue = options.queue ?? queueMail;
  const now = options.now ?? new Date();
  const today = copenhagenDate(now);
  const counts = { ...ZERO, unassigned: 0 };
  for (const m of await listOverdueMatches(db, today)) {
    const due = m.next_step_due!;
    await tally(counts, log, { match: m.id, due }, async () => {
      const outcome = await remindOnce(db, { matchId: m.id, due, today, at: now.toISOString() }, async (trx, found) => {
        for (const r of found.recipients) {
          const { t } = i18nFor(r.locale);
          await queue(
            trx,
            renderMail("reminder", r.locale, r.email, options.publicBaseUrl, {
              name: r.name,
              challenge: found.match.challenge,
              solution: found.match.solution,
              due: formatDate(due, r.locale),
              nextStep: found.match.next_step ?? t("mail.reminder.noStep"),
              link: `/matches/${found.match.id}`,
            }),
          );
        }
      });
      if (outcome !== "unassigned") return outcome;
      counts.unassigned++;
      return "skipped";
    });
  }
  if (counts.unassigned > 0) log.warn("overdue next steps with nobody to remind (no curator, no community manager covering the administration)", { matches: counts.unassigned });
  return counts;
}

export interface NotifyRunResult {
  immediate: SendCounts;
  digests: SendCounts;
  reminders: SendCounts & { unassigned: number };
}

/** Everything due at one moment: immediate mails, the last ended week's digests, reminders. */
export async function runNotifications(db: DB, options: NotifyOptions): Promise<NotifyRunResult> {
  const now = options.now ?? new Date();
  return {
    immediate: await runImmediate(db, { ...options, now }),
    digests: await runDigests(db, { ...options, now }),
    reminders: await runReminders(db, { ...options, now }),
  };
}

export interface SchedulerOptions {
  publicBaseUrl: string;
  /** Time between runs; 0 (or less) keeps the schedule off, for installations that use cron. */
  intervalMs: number;
  log?: Logger;
  /** Called after a run queued mail, to wake the mailer. */
  afterQueue?: () => void;
  /** Delay before the first run, so start-up is not held up. */
  firstRunMs?: number;
}

/** Runs runNotifications in the portal's process every `intervalMs`. */
export class NotificationScheduler {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private running = false;
  private readonly log: Logger;

  constructor(
    private readonly db: DB,
    private readonly options: SchedulerOptions,
  ) {
    this.log = options.log ?? silentLogger;
  }

  start(): void {
    if (this.running || this.options.intervalMs <= 0) return;
    this.running = true;
    this.schedule(this.options.firstRunMs ?? Math.min(this.options.intervalMs, 10_000));
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.round = this.runOnce().then(() => {
        this.round = undefined;
        if (this.running) this.schedule(this.options.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }

  /** One run now; failures are logged, never thrown (the next run tries again). */
  async runOnce(now: Date = new Date()): Promise<NotifyRunResult | undefined> {
    try {
      const result = await runNotifications(this.db, { now, publicBaseUrl: this.options.publicBaseUrl, log: this.log });
      const sent = result.immediate.sent + result.digests.sent + result.reminders.sent;
      if (sent > 0) {
        this.log.info("notifications queued", { immediate: result.immediate.sent, digests: result.digests.sent, reminders: result.reminders.sent });
        this.options.afterQueue?.();
      }
      return result;
    } catch (error) {
      this.log.error("notification run failed", { error });
      return undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The unsubscribe page (app/routes/unsubscribe.tsx)

/** An unsubscribe link's token, as far as its shape goes (db/tokens.ts checks the rest). */
export const unsubscribeTokenSchema = z.string().trim().regex(SECRET_SHAPE);

/** The subscription a token would end, while the link works. */
async function subscriptionOfToken(db: PortalContext["db"], token: string) {
  const issued = await peekToken(db, "unsubscribe", token);
  const id = issued && subjectId(issued.subject, "subscription");
  return id === undefined ? undefined : findSubscription(db, id);
}

/** The topic a token unsubscribes from, or undefined when the token is unknown, used or expired. */
export async function topicOfToken(context: Pick<PortalContext, "db">, token: string): Promise<SubscriptionTopic | undefined> {
  return (await subscriptionOfToken(context.db, token))?.topic;
}

/**
 * Ends the subscription of a token; false when the token is unknown, used or expired. Every
 * mail carried its own token; all of that subscription's links stop working with it.
 */
export async function unsubscribeWithToken(context: Pick<PortalContext, "db">, token: string): Promise<boolean> {
  return endSubscriptionWithToken(context.db, token);
}
