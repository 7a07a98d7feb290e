// The outbox worker for the search index. It runs inside the portal's process (and in the
// command-line tools), reads due "search.index" rows, loads the records' current state from
// SQLite and sends them to Meilisearch. A server outage postpones rows without counting it
// against them; a document Meilisearch rejects is retried with backoff and dead-lettered alone,
// so one poison document never blocks the others.
import type { DB } from "../db/client";
import { DEFAULT_RETRY, listDue, markDone, markFailed, type OutboxMessage, type RetryPolicy } from "../db/outbox";
import { describeSearchError, indexName, isUnreachable, waitForTask, type IndexKind, type SearchContext } from "./client";
import { buildDocuments, type DocumentBatch, type RecordRef } from "./documents";
import type { Logger } from "../db/log";
import { EMPTY_ROUND, OutboxWorker, type RoundResult } from "../db/outbox-worker";
import { ensureIndex } from "./settings";

export interface IndexerOptions {
  batchSize?: number;
  pollMs?: number;
  retry?: RetryPolicy;
  log?: Logger;
  /** How records become documents; tests swap in a mapper that produces a poison document. */
  documents?: typeof buildDocuments;
}

/** Sends one batch of documents and deletions; throws on transport errors, reports task failures. */
async function send(search: SearchContext, batch: DocumentBatch): Promise<{ ok: boolean; error?: string }> {
  const tasks = [];
  for (const kind of ["challenges", "solutions"] as IndexKind[]) {
    const index = search.client.index(indexName(search, kind));
    const docs = batch.upserts[kind];
    if (docs.length > 0) tasks.push(index.addDocuments(docs as unknown as Record<string, unknown>[], { primaryKey: "id" }));
    if (batch.deletes[kind].length > 0) tasks.push(index.deleteDocuments(batch.deletes[kind]));
  }
  const enqueued = await Promise.all(tasks);
  for (const task of enqueued) {
    const done = await waitForTask(search, task);
    if (done.status !== "succeeded") return { ok: false, error: done.error?.message ?? `task ${done.status}` };
  }
  return { ok: true };
}

export class SearchIndexer extends OutboxWorker {
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;
  private readonly documents: typeof buildDocuments;
  private indexesReady = false;

  constructor(
    private readonly db: DB,
    private readonly search: SearchContext,
    options: IndexerOptions = {},
  ) {
    super("search indexer", options);
    this.batchSize = options.batchSize ?? 200;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.documents = options.documents ?? buildDocuments;
  }

  private unreachable(error: unknown): RoundResult {
    this.noteOutage("search index unreachable; writes wait in the outbox", { error: describeSearchError(error) });
    this.indexesReady = false;
    return { ...EMPTY_ROUND, unreachable: true };
  }

  /** One round: deliver up to one batch of due rows. */
  async runOnce(): Promise<RoundResult> {
    const due = await listDue(this.db, "search.index", this.batchSize);
    if (due.length === 0) return EMPTY_ROUND;
    try {
      if (!this.indexesReady) {
        await ensureIndex(this.search, "challenges");
        await ensureIndex(this.search, "solutions");
        this.indexesReady = true;
      }
    } catch (error) {
      if (isUnreachable(error)) return this.unreachable(error);
      throw error;
    }

    let result: { ok: boolean; error?: string };
    try {
      result = await send(this.search, await this.documents(this.db, due.map((m) => m.payload as RecordRef)));
    } catch (error) {
      if (isUnreachable(error)) return this.unreachable(error);
      result = { ok: false, error: describeSearchError(error) };
    }
    this.noteRecovery("search index reachable again");
    if (result.ok) {
      await markDone(this.db, due);
      return { ...EMPTY_ROUND, delivered: due.length };
    }
    // Meilisearch fails a whole task for one bad document: find it by sending one at a time.
    this.log.warn("search batch rejected; retrying row by row", { rows: due.length, error: result.error });
    return this.deliverOneByOne(due);
  }

  private async deliverOneByOne(messages: OutboxMessage[]): Promise<RoundResult> {
    const round: RoundResult = { ...EMPTY_ROUND };
    for (const message of messages) {
      let error: string | undefined;
      try {
        const r = await send(this.search, await this.documents(this.db, [message.payload as RecordRef]));
        if (!r.ok) error = r.error;
      } catch (e) {
        if (isUnreachable(e)) return { ...round, ...this.unreachable(e) };
        error = describeSearchError(e);
      }
      if (error === undefined) {
        await markDone(this.db, [message]);
        round.delivered++;
        continue;
      }
      const outcome = await markFailed(this.db, message, error, this.retry);
      if (outcome === "dead") {
        round.dead++;
        this.log.error("outbox row dead-lettered", { row: message.id, record: message.recordKey, error });
      } else {
        round.failed++;
      }
    }
    return round;
  }
}
