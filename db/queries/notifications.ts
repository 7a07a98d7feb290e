// Notifications in SQL: people's subscriptions, the news waiting for them, and the claims that
// make sending idempotent. News is written in the transaction of the write that causes it
// (stored suggestions, a challenge's new status); what is sent, when and how lives in
// app/notifications/notify.server.ts.
import { nowIso, type DB } from "../client";
import type { Executor } from "../outbox";
import type { ChallengeStatus, Delivery, SubscriptionTopic } from "../schema";
import { consumeToken, revokeTokens, subjectId, subjectOf } from "../tokens";
import { isChallengePublic } from "../visibility";
import { MATCHABLE_CHALLENGE_STATUSES, MATCHABLE_SOLUTION_STATUSES, SETTLED_STAGES } from "../rules/matches";
import { ownedOrCoOwnedBy } from "./ownership";

export interface Subscription {
  id: number;
  topic: SubscriptionTopic;
  delivery: Delivery;
}

/** What a notification item says; stored as JSON, re-checked against the records when sent. */
export type NewsPayload =
  | { kind: "challenge"; id: number; title: string; score: number; via: { id: number; title: string } }
  | { kind: "solution"; id: number; title: string; score: number; via: { id: number; title: string } }
  | { kind: "challenge-status"; id: number; title: string; status: ChallengeStatus };

// ---------------------------------------------------------------------------------------------
// A person's subscriptions

export async function listSubscriptions(db: Executor, userId: number): Promise<Subscription[]> {
  return db.selectFrom("subscriptions").select(["id", "topic", "delivery"]).where("user_id", "=", userId).orderBy("topic").execute();
}

/** Subscribes (or changes the delivery of an existing subscription, keeping its waiting news). */
export async function subscribe(db: Executor, userId: number, topic: SubscriptionTopic, delivery: Delivery, now: string = nowIso()): Promise<void> {
  await db
    .insertInto("subscriptions")
    .values({ user_id: userId, topic, delivery, created_at: now })
    .onConflict((oc) => oc.columns(["user_id", "topic"]).doUpdateSet({ delivery }))
    .execute();
}

export async function findSubscription(db: Executor, id: number): Promise<Subscription | undefined> {
  return db.selectFrom("subscriptions").select(["id", "topic", "delivery"]).where("id", "=", id).executeTakeFirst();
}

/** Ends one subscription, whoever asks: the caller has checked the authority (a token). */
export async function deleteSubscription(db: Executor, id: number): Promise<boolean> {
  const result = await db.deleteFrom("subscriptions").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function unsubscribe(db: Executor, userId: number, topic: SubscriptionTopic): Promise<void> {
  await db.deleteFrom("subscriptions").where("user_id", "=", userId).where("topic", "=", topic).execute();
}

// ---------------------------------------------------------------------------------------------
// News

async function addItems(trx: Executor, rows: Array<{ subscriptionId: number; key: string; payload: NewsPayload }>, now: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await trx
      .insertInto("notification_items")
      .values(rows.slice(i, i + 200).map((r) => ({ subscription_id: r.subscriptionId, item_key: r.key, payload: JSON.stringify(r.payload), created_at: now })))
      // The same record is news once per subscription, however often it comes up again.
      .onConflict((oc) => oc.columns(["subscription_id", "item_key"]).doNothing())
      .execute();
  }
}

export interface StoredPair {
  challengeId: number;
  solutionId: number;
  score: number;
  /** The pair's stored score before this write; null or absent when the pair is new. */
  previousScore?: number | null;
}

/**
 * Newly stored suggestions become news: an open challenge for the members of the solution's
 * organisation who subscribed to "matching_challenges", a published solution for the staff of
 * the challenge's owning and co-owning administrations who subscribed to "matching_solutions".
 * A pair counts when it reaches `minScore` (the display threshold) for the first time; a
 * recomputed pair that was already shown is not news. Both records must be in play, which
 * also means public, so everyone told may see them. Call inside the storing transaction.
 */
export async function recordSuggestionNews(trx: Executor, pairs: StoredPair[], options: { minScore: number; now?: string }): Promise<void> {
  const news = pairs.filter((p) => p.score >= options.minScore && (p.previousScore == null || p.previousScore < options.minScore));
  if (news.length === 0) return;
  // Most installations have few subscribers: skip the rest when nobody asked.
  const anyone = await trx.selectFrom("subscriptions").select("id").where("topic", "in", ["matching_challenges", "matching_solutions"]).limit(1).executeTakeFirst();
  if (!anyone) return;
  const now = options.now ?? nowIso();

  const challengeIds = [...new Set(news.map((p) => p.challengeId))];
  const solutionIds = [...new Set(news.map((p) => p.solutionId))];
  const challenges = new Map(
    (
      await trx
        .selectFrom("challenges")
        .select(["id", "title"])
        .where("id", "in", challengeIds)
        .where("status", "in", [...MATCHABLE_CHALLENGE_STATUSES])
        .where("moderated_at", "is", null)
        .execute()
    ).map((c) => [c.id, c]),
  );
  const solutions = new Map(
    (
      await trx
        .selectFrom("solutions")
        .select(["id", "title", "organisation_id"])
        .where("id", "in", solutionIds)
        .where("status", "in", [...MATCHABLE_SOLUTION_STATUSES])
        .where("moderated_at", "is", null)
        .execute()
    ).map((s) => [s.id, s]),
  );
  if (challenges.size === 0 || solutions.size === 0) return;

  const subscribersOf = async (topic: SubscriptionTopic, organisationIds: number[]) => {
    const byOrganisation = new Map<number, number[]>();
    if (organisationIds.length === 0) return byOrganisation;
    const rows = await trx
      .selectFrom("subscriptions as s")
      .innerJoin("memberships as m", "m.user_id", "s.user_id")
      .select(["s.id", "m.organisation_id"])
      .where("s.topic", "=", topic)
      .where("m.organisation_id", "in", organisationIds)
      .execute();
    for (const r of rows) byOrganisation.set(r.organisation_id, [...(byOrganisation.get(r.organisation_id) ?? []), r.id]);
    return byOrganisation;
  };
  const entrepreneurs = await subscribersOf("matching_challenges", [...new Set([...solutions.values()].map((s) => s.organisation_id))]);
  // Staff of every administration that owns or co-owns the challenge, by challenge.
  const staff = new Map<number, number[]>();
  for (const r of await trx
    .selectFrom("subscriptions as s")
    .innerJoin("memberships as m", "m.user_id", "s.user_id")
    .innerJoin("challenges as c", (join) => join.on((eb) => ownedOrCoOwnedBy(eb, { id: "c.id", owner: "c.owner_organisation_id" }, "m.organisation_id")))
    .select(["s.id", "c.id as challenge_id"])
    .where("s.topic", "=", "matching_solutions")
    .where("c.id", "in", [...challenges.keys()])
    .execute()) {
    staff.set(r.challenge_id, [...(staff.get(r.challenge_id) ?? []), r.id]);
  }

  const rows: Array<{ subscriptionId: number; key: string; payload: NewsPayload }> = [];
  for (const p of news) {
    const c = challenges.get(p.challengeId);
    const s = solutions.get(p.solutionId);
    if (!c || !s) continue;
    for (const subscriptionId of entrepreneurs.get(s.organisation_id) ?? []) {
      rows.push({ subscriptionId, key: `challenge:${c.id}`, payload: { kind: "challenge", id: c.id, title: c.title, score: p.score, via: { id: s.id, title: s.title } } });
    }
    // A person on the staff of the owner and a co-owner is told once.
    for (const subscriptionId of new Set(staff.get(c.id))) {
      rows.push({ subscriptionId, key: `solution:${s.id}`, payload: { kind: "solution", id: s.id, title: s.title, score: p.score, via: { id: c.id, title: c.title } } });
    }
  }
  await addItems(trx, rows, now);
}

/**
 * A challenge's status changed: news for everyone who follows it and subscribed to
 * "followed_challenges". One item per challenge and status, so moving back and forth never
 * repeats itself; a challenge that is not public (a draft, unpublished) is nobody's news.
 * Call inside the transaction that changes the status.
 */
export async function recordChallengeStatusNews(trx: Executor, challengeId: number, status: ChallengeStatus, now: string = nowIso()): Promise<void> {
  const challenge = await trx.selectFrom("challenges").select(["id", "title", "status", "moderated_at"]).where("id", "=", challengeId).executeTakeFirst();
  if (!challenge || !isChallengePublic({ status, moderated_at: challenge.moderated_at })) return;
  const subscriptions = await trx
    .selectFrom("subscriptions as s")
    .innerJoin("follows as f", "f.user_id", "s.user_id")
    .select("s.id")
    .where("s.topic", "=", "followed_challenges")
    .where("f.challenge_id", "=", challengeId)
    .execute();
  await addItems(
    trx,
    subscriptions.map((s) => ({
      subscriptionId: s.id,
      key: `challenge:${challengeId}:status:${status}`,
      payload: { kind: "challenge-status", id: challengeId, title: challenge.title, status },
    })),
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// What is due

export interface WaitingItem {
  subscriptionId: number;
  key: string;
  payload: NewsPayload;
  createdAt: string;
}

/** Subscriptions of a delivery with news waiting that arrived before an instant. */
export async function listSubscriptionsWithNews(db: Executor, delivery: Delivery, before: string): Promise<number[]> {
  const rows = await db
    .selectFrom("notification_items as i")
    .innerJoin("subscriptions as s", "s.id", "i.subscription_id")
    .select("s.id")
    .distinct()
    .where("s.delivery", "=", delivery)
    .where("i.sent_period", "is", null)
    .where("i.created_at", "<", before)
    .orderBy("s.id")
    .execute();
  return rows.map((r) => r.id);
}

export async function listWaitingItems(db: Executor, subscriptionId: number, before: string): Promise<WaitingItem[]> {
  const rows = await db
    .selectFrom("notification_items")
    .select(["subscription_id", "item_key", "payload", "created_at"])
    .where("subscription_id", "=", subscriptionId)
    .where("sent_period", "is", null)
    .where("created_at", "<", before)
    .orderBy("created_at")
    .orderBy("item_key")
    .execute();
  return rows.map((r) => ({ subscriptionId: r.subscription_id, key: r.item_key, payload: JSON.parse(r.payload) as NewsPayload, createdAt: r.created_at }));
}

/**
 * Claims the send of one subscription's mail for a period: true when this caller got it. The
 * row's primary key (subscription, period) is the lock; the subscription must still exist with
 * the given delivery. Make it the first write of the sending transaction.
 */
export async function claimSend(trx: Executor, subscriptionId: number, period: string, delivery: Delivery, now: string = nowIso()): Promise<boolean> {
  const result = await trx
    .insertInto("notification_sends")
    .columns(["subscription_id", "period", "items", "sent_at"])
    .expression(
      trx
        .selectFrom("subscriptions")
        .select((eb) => [eb.ref("subscriptions.id").as("subscription_id"), eb.val(period).as("period"), eb.val(0).as("items"), eb.val(now).as("sent_at")])
        .where("subscriptions.id", "=", subscriptionId)
        .where("subscriptions.delivery", "=", delivery),
    )
    .onConflict((oc) => oc.columns(["subscription_id", "period"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Records what a claimed send carried: the count on the claim, the period on the items. */
export async function completeSend(trx: Executor, subscriptionId: number, period: string, itemKeys: string[]): Promise<void> {
  await trx.updateTable("notification_sends").set({ items: itemKeys.length }).where("subscription_id", "=", subscriptionId).where("period", "=", period).execute();
  for (let i = 0; i < itemKeys.length; i += 500) {
    await trx
      .updateTable("notification_items")
      .set({ sent_period: period })
      .where("subscription_id", "=", subscriptionId)
      .where("item_key", "in", itemKeys.slice(i, i + 500))
      .execute();
  }
}

/** Undoes a claim inside its own transaction, when there turned out to be nothing to send. */
export async function releaseSend(trx: Executor, subscriptionId: number, period: string): Promise<void> {
  await trx.deleteFrom("notification_sends").where("subscription_id", "=", subscriptionId).where("period", "=", period).execute();
}

/** Drops news that no longer holds (the record closed, archived or unpublished since). */
export async function dropItems(trx: Executor, subscriptionId: number, itemKeys: string[]): Promise<void> {
  if (itemKeys.length === 0) return;
  await trx.deleteFrom("notification_items").where("subscription_id", "=", subscriptionId).where("item_key", "in", itemKeys).execute();
}

/** The person a subscription mails, when they can be mailed (not erased, address confirmed). */
export async function findRecipient(db: Executor, subscriptionId: number) {
  return db
    .selectFrom("subscriptions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["s.id", "s.topic", "s.delivery", "u.id as userId", "u.email", "u.name", "u.locale"])
    .where("s.id", "=", subscriptionId)
    .where("u.erased_at", "is", null)
    .where("u.email_verified_at", "is not", null)
    .executeTakeFirst();
}

/** Of the items' records, which still hold: challenges in play or public, solutions in play. */
export async function currentStateOf(db: Executor, items: WaitingItem[]) {
  const challengeIds = [...new Set(items.filter((i) => i.payload.kind !== "solution").map((i) => i.payload.id))];
  const solutionIds = [...new Set(items.filter((i) => i.payload.kind === "solution").map((i) => i.payload.id))];
  const challenges = challengeIds.length
    ? await db.selectFrom("challenges").select(["id", "title", "status", "moderated_at"]).where("id", "in", challengeIds).execute()
    : [];
  const solutions = solutionIds.length
    ? await db.selectFrom("solutions").select(["id", "title", "status", "moderated_at"]).where("id", "in", solutionIds).execute()
    : [];
  return {
    challenges: new Map(challenges.map((c) => [c.id, c])),
    solutions: new Map(solutions.map((s) => [s.id, s])),
  };
}

// ---------------------------------------------------------------------------------------------
// Reminders

/** Matches whose next step is overdue (its day is before `today`) and not yet reminded for that day. */
export async function listOverdueMatches(db: DB, today: string) {
  return db
    .selectFrom("matches as m")
    .select(["m.id", "m.next_step_due"])
    .where("m.next_step_due", "is not", null)
    .where("m.next_step_due", "<", today)
    .where("m.stage", "not in", [...SETTLED_STAGES])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("reminder_sends as r").select("r.match_id").whereRef("r.match_id", "=", "m.id").whereRef("r.due", "=", "m.next_step_due"))),
    )
    .orderBy("m.next_step_due")
    .orderBy("m.id")
    .execute();
}

/** Claims the reminder of one match for one due date; false when it was sent, or the match moved on. */
export async function claimReminder(trx: Executor, matchId: number, due: string, today: string, now: string = nowIso()): Promise<boolean> {
  const result = await trx
    .insertInto("reminder_sends")
    .columns(["match_id", "due", "sent_at"])
    .expression(
      trx
        .selectFrom("matches")
        .select((eb) => [eb.ref("matches.id").as("match_id"), eb.val(due).as("due"), eb.val(now).as("sent_at")])
        .where("matches.id", "=", matchId)
        .where("matches.next_step_due", "=", due)
        .where("matches.next_step_due", "<", today)
        .where("matches.stage", "not in", [...SETTLED_STAGES]),
    )
    .onConflict((oc) => oc.columns(["match_id", "due"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Undoes a reminder's claim inside its own transaction, when there is nobody to remind. */
export async function releaseReminder(trx: Executor, matchId: number, due: string): Promise<void> {
  await trx.deleteFrom("reminder_sends").where("match_id", "=", matchId).where("due", "=", due).execute();
}

/**
 * Who is reminded of a match's next step: its curator (the community manager following it);
 * when it has none, every community manager covering the challenge's owning or co-owning
 * administration. Erased people never.
 */
export async function listReminderRecipients(db: Executor, matchId: number) {
  const match = await db
    .selectFrom("matches as m")
    .innerJoin("challenges as c", "c.id", "m.challenge_id")
    .innerJoin("solutions as s", "s.id", "m.solution_id")
    .select(["m.id", "m.curator_id", "m.next_step", "m.next_step_due", "m.challenge_id", "m.solution_id", "c.title as challenge", "c.owner_organisation_id", "s.title as solution"])
    .where("m.id", "=", matchId)
    .executeTakeFirst();
  if (!match) return undefined;
  const people = db.selectFrom("users as u").select(["u.id", "u.email", "u.name", "u.locale"]).where("u.erased_at", "is", null);
  const recipients = match.curator_id
    ? await people.where("u.id", "=", match.curator_id).execute()
    : await people
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom("curator_administrations as ca")
              .innerJoin("user_roles as r", (j) => j.onRef("r.user_id", "=", "ca.user_id").on("r.role", "=", "community_manager"))
              .select("ca.user_id")
              .whereRef("ca.user_id", "=", "u.id")
              .where((eb) => ownedOrCoOwnedBy(eb, { id: match.challenge_id, owner: match.owner_organisation_id }, "ca.organisation_id")),
          ),
        )
        .orderBy("u.id")
        .execute();
  return { match, recipients };
}

/** A person's choices for their subscriptions ("off" ends one), saved together. */
export async function saveSubscriptions(db: DB, userId: number, choices: Array<[SubscriptionTopic, Delivery | "off"]>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [topic, delivery] of choices) {
      if (delivery === "off") await unsubscribe(trx, userId, topic);
      else await subscribe(trx, userId, topic, delivery);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// One send, one transaction (app/notifications/notify.server.ts renders the mails)

export type Recipient = NonNullable<Awaited<ReturnType<typeof findRecipient>>>;

/**
 * One mail of a subscription for one period, in one transaction. The claim is the first write,
 * so SQLite's write lock is taken before anything is read and two runs never work from the same
 * snapshot. `write` gets the recipient (confirmed address, not erased), queues the mail and marks
 * what it carried; when there is nobody to tell or `write` finds nothing to send ("skipped"), the
 * claim goes again, in the same transaction, as if never made.
 */
export async function sendOnce(
  db: DB,
  claim: { subscriptionId: number; period: string; delivery: Delivery; at: string },
  write: (trx: Executor, recipient: Recipient) => Promise<"sent" | "skipped">,
): Promise<"sent" | "skipped"> {
  return db.transaction().execute(async (trx) => {
    if (!(await claimSend(trx, claim.subscriptionId, claim.period, claim.delivery, claim.at))) return "skipped";
    const recipient = await findRecipient(trx, claim.subscriptionId);
    if (!recipient) {
      await releaseSend(trx, claim.subscriptionId, claim.period);
      return "skipped";
    }
    const outcome = await write(trx, recipient);
    if (outcome === "skipped") await releaseSend(trx, claim.subscriptionId, claim.period);
    return outcome;
  });
}

/**
 * One reminder of a match's overdue next step, in one transaction: claims it, and when someone
 * can be reminded lets `write` queue their mails; "unassigned" (claim given back) when nobody can.
 */
export async function remindOnce(
  db: DB,
  claim: { matchId: number; due: string; today: string; at: string },
  write: (trx: Executor, found: NonNullable<Awaited<ReturnType<typeof listReminderRecipients>>>) => Promise<void>,
): Promise<"sent" | "skipped" | "unassigned"> {
  return db.transaction().execute(async (trx) => {
    if (!(await claimReminder(trx, claim.matchId, claim.due, claim.today, claim.at))) return "skipped";
    const found = await listReminderRecipients(trx, claim.matchId);
    if (!found || found.recipients.length === 0) {
      await releaseReminder(trx, claim.matchId, claim.due);
      return "unassigned";
    }
    await write(trx, found);
    return "sent";
  });
}

/**
 * Ends the subscription of an unsubscribe link's token; false when the token is unknown, used or
 * expired. All of that subscription's links stop working with it.
 */
export async function unsubscribeWithToken(db: DB, token: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const used = await consumeToken(trx, "unsubscribe", token);
    const id = used && subjectId(used.subject, "subscription");
    if (id === undefined || !(await deleteSubscription(trx, id))) return false;
    await revokeTokens(trx, subjectOf.subscription(id), ["unsubscribe"]);
    return true;
  });
}
