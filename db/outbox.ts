// The outbox: every write that something outside SQLite must hear about (the search index now;
// vectors, suggestions and e-mail later) records a row here in the same transaction as the write.
// Rows for the same record coalesce while pending; a worker delivers them, retries with backoff,
// and parks a row that keeps failing as "dead" so it never blocks the rest.
import { sql, type RawBuilder, type SqlBool, type Transaction } from "kysely";
import { nowIso, type DB } from "./client";
import type { Database, OutboxRow } from "./schema";

/** An e-mail, rendered when it was queued (in the recipient's language). */
export interface MailMessage {
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** What kind of mail this is, e.g. "verify-email"; for the log and the admin mail page. */
  kind: string;
  /** Extra header fields, e.g. List-Unsubscribe on notification mails. */
  headers?: Record<string, string>;
}

/** The payload each topic carries. Add a topic here before writing rows for it. */
export interface OutboxTopics {
  /** (Re)index one record: the worker reads its current state from SQLite. */
  "search.index": { kind: "challenge" | "solution"; id: number };
  /** Send one e-mail. */
  "email.send": MailMessage;
  /** Recompute one record's matcher features and stored suggestions. */
  "match.refresh": { kind: "challenge" | "solution"; id: number };
}
export type OutboxTopic = keyof OutboxTopics;

export interface OutboxMessage<T extends OutboxTopic = OutboxTopic> {
  id: number;
  topic: T;
  recordKey: string;
  payload: OutboxTopics[T];
  revision: number;
  seq: number;
  attempts: number;
}

export type Executor = DB | Transaction<Database>;

export async function enqueue<T extends OutboxTopic>(
  trx: Executor,
  topic: T,
  recordKey: string,
  payload: OutboxTopics[T],
  now: string = nowIso(),
): Promise<void> {
  await upsertPending(trx, [{ topic, recordKey, payload, seq: sql<number>`(select coalesce(max(seq), 0) + 1 from outbox)` }], now);
}

/**
 * Inserts rows, or coalesces each into its record's pending row for the topic: the newer
 * payload, one more revision, the new place in the write sequence, attempts reset.
 */
async function upsertPending(trx: Executor, rows: Array<{ topic: OutboxTopic; recordKey: string; payload: unknown; seq: number | RawBuilder<number> }>, now: string): Promise<void> {
  await trx
    .insertInto("outbox")
    .values(
      rows.map((r) => ({
        topic: r.topic,
        record_key: r.recordKey,
        payload: JSON.stringify(r.payload),
        seq: r.seq,
        available_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(["topic", "record_key"])
        // Must repeat the partial index's predicate literally, so no bound parameter here.
        .where(sql<SqlBool>`status = 'pending'`)
        .doUpdateSet((eb) => ({
          payload: eb.ref("excluded.payload"),
          revision: sql<number>`outbox.revision + 1`,
          seq: eb.ref("excluded.seq"),
          attempts: 0,
          available_at: eb.ref("excluded.available_at"),
          last_error: null,
          updated_at: eb.ref("excluded.updated_at"),
        })),
    )
    .execute();
}

/**
 * A challenge or solution changed: the search index and the matcher must both hear of it. Every
 * write of a record calls this inside its transaction.
 */
export async function enqueueRecordChange(trx: Executor, kind: "challenge" | "solution", id: number, now: string = nowIso()): Promise<void> {
  await enqueue(trx, "search.index", `${kind}:${id}`, { kind, id }, now);
  await enqueue(trx, "match.refresh", `${kind}:${id}`, { kind, id }, now);
}

function toMessage(row: Pick<OutboxRow, "id" | "topic" | "record_key" | "payload" | "revision" | "seq" | "attempts">): OutboxMessage {
  return {
    id: row.id,
    topic: row.topic as OutboxTopic,
    recordKey: row.record_key,
    payload: JSON.parse(row.payload),
    revision: row.revision,
    seq: row.seq,
    attempts: row.attempts,
  };
}

/** Pending rows whose time has come, oldest write first. */
export async function listDue(db: DB, topic: OutboxTopic, limit: number, now: string = nowIso()): Promise<OutboxMessage[]> {
  const rows = await db
    .selectFrom("outbox")
    .select(["id", "topic", "record_key", "payload", "revision", "seq", "attempts"])
    .where("status", "=", "pending")
    .where("topic", "=", topic)
    .where("available_at", "<=", now)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(toMessage);
}

/**
 * Marks delivered rows done, unless a newer write coalesced into a row meanwhile: then its
 * revision moved on and it stays pending for the next round.
 */
export async function markDone(db: DB, messages: OutboxMessage[], now: string = nowIso()): Promise<number> {
  let done = 0;
  await db.transaction().execute(async (trx) => {
    for (const m of messages) {
      const result = await trx
        .updateTable("outbox")
        .set({ status: "done", done_at: now, updated_at: now, last_error: null })
        .where("id", "=", m.id)
        .where("revision", "=", m.revision)
        .where("status", "=", "pending")
        .executeTakeFirst();
      done += Number(result.numUpdatedRows);
    }
  });
  return done;
}

export interface RetryPolicy {
  /** After this many failed attempts the row is dead-lettered. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** Exponential backoff with a little jitter so retries of many rows spread out. */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/** Records a failed delivery of one row: retry later, or dead-letter it after too many attempts. */
export async function markFailed(
  db: DB,
  message: OutboxMessage,
  error: string,
  policy: RetryPolicy = DEFAULT_RETRY,
  now: Date = new Date(),
): Promise<"retry" | "dead" | "superseded"> {
  const attempts = message.attempts + 1;
  const dead = attempts >= policy.maxAttempts;
  const result = await db
    .updateTable("outbox")
    .set({
      attempts,
      status: dead ? "dead" : "pending",
      last_error: error.slice(0, 2000),
      available_at: new Date(now.getTime() + backoffMs(attempts, policy)).toISOString(),
      updated_at: now.toISOString(),
    })
    .where("id", "=", message.id)
    .where("revision", "=", message.revision)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return "superseded";
  return dead ? "dead" : "retry";
}

/** The highest write sequence number so far: a reindex's snapshot mark. */
export async function currentSeq(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.coalesce(eb.fn.max("seq"), eb.lit(0)).as("seq"))
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

/**
 * Marks pending rows done whose latest write came before a snapshot mark: a rebuild that read
 * the records after that mark has already indexed them.
 */
export async function markDoneUpTo(db: DB, topic: OutboxTopic, seq: number, now: string = nowIso()): Promise<number> {
  const result = await db
    .updateTable("outbox")
    .set({ status: "done", done_at: now, updated_at: now })
    .where("topic", "=", topic)
    .where("status", "=", "pending")
    .where("seq", "<=", seq)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Every record written after a snapshot mark, whatever its delivery state. */
export async function listWrittenSince<T extends OutboxTopic>(
  db: DB,
  topic: T,
  seq: number,
): Promise<Array<OutboxTopics[T]>> {
  const rows = await db
    .selectFrom("outbox")
    .select(["record_key", "payload"])
    .where("topic", "=", topic)
    .where("seq", ">", seq)
    .orderBy("seq")
    .execute();
  const byKey = new Map<string, OutboxTopics[T]>();
  for (const row of rows) byKey.set(row.record_key, JSON.parse(row.payload));
  return [...byKey.values()];
}

export interface OutboxStats {
  pending: number;
  done: number;
  dead: number;
}

export async function outboxStats(db: DB, topic?: OutboxTopic): Promise<OutboxStats> {
  let query = db.selectFrom("outbox").select(["status", (eb) => eb.fn.countAll<number>().as("n")]);
  if (topic) query = query.where("topic", "=", topic);
  const rows = await query.groupBy("status").execute();
  const stats: OutboxStats = { pending: 0, done: 0, dead: 0 };
  for (const row of rows) stats[row.status] = Number(row.n);
  return stats;
}

/** Deletes delivered rows older than the cut-off; pending and dead rows stay. */
export async function pruneDone(db: DB, olderThan: string): Promise<number> {
  const result = await db
    .deleteFrom("outbox")
    .where("status", "=", "done")
    .where("done_at", "<", olderThan)
    // Keep the newest row so the write sequence never restarts below a reindex's mark.
    .where("seq", "<", sql<number>`(select max(seq) from outbox)`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One row to queue: a topic with its record key and payload. */
export type OutboxEntry = { [T in OutboxTopic]: { topic: T; recordKey: string; payload: OutboxTopics[T] } }[OutboxTopic];

/** Rows per INSERT in enqueueAll: 7 values each, well under SQLite's limit of bound values. */
const ROWS_PER_INSERT = 200;

/**
 * Queues several rows in one transaction: all of them or none, in their order in the write
 * sequence. Many rows to one INSERT: a refit queues 44,000 at 20,000 records, and one statement
 * a row held the server's thread 130 ms per thousand.
 */
export async function enqueueAll(db: DB, entries: OutboxEntry[], now: string = nowIso()): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction().execute(async (trx) => {
    // Inside the transaction no other writer moves the sequence.
    const base = await currentSeq(trx);
    for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
      await upsertPending(
        trx,
        entries.slice(i, i + ROWS_PER_INSERT).map((e, j) => ({ ...e, seq: base + i + j + 1 })),
        now,
      );
    }
  });
}

/**
 * Deletes every row of a topic, whatever its state: for a throwaway database whose caller does
 * that work itself (`npm run match`, the bench).
 */
export async function discardTopic(db: DB, topic: OutboxTopic): Promise<number> {
  const result = await db.deleteFrom("outbox").where("topic", "=", topic).executeTakeFirst();
  return Number(result.numDeletedRows);
}
