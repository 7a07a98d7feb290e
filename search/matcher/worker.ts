// Keeps the stored suggestions current. Every write of a challenge or solution queues a
// "match.refresh" row (db/outbox.ts); this worker recomputes the record's features, queues its
// search document again (the vector changed), and stores its top partners, offering each pair
// to the partner's own list too. A record that left the matcher (draft, closed, archived,
// unpublished, deleted) loses its suggestions; curators' decisions live elsewhere and stay.
// It also refits the model now and then, when enough of the corpus changed.
import type { DB } from "../../db/client";
import { clearSuggestions, countRecordsChangedSince, findCurrentModelInfo, hasRecordsToFit, isMatchable, listFeatures, storeTopList, type RecordKind } from "../../db/queries/matcher";
import { recordSuggestionNews } from "../../db/queries/notifications";
import { DEFAULT_RETRY, enqueue, listDue, markDone, markFailed, type OutboxMessage, type RetryPolicy } from "../../db/outbox";
import type { Logger } from "../../db/log";
import { EMPTY_ROUND, OutboxWorker, type RoundResult } from "../../db/outbox-worker";
import { describeSearchError, isUnreachable } from "../client";
import type { Matcher } from "./engine";
import { embeddingToBuffer } from "./records";
import { DISPLAY_THRESHOLD } from "./score";

/** How many partners each record keeps in its own list. */
export const KEEP_PER_RECORD = 20;

export interface MatchWorkerOptions {
  log?: Logger;
  batchSize?: number;
  pollMs?: number;
  retry?: RetryPolicy;
  /** How often to ask whether the model should be refitted; 0 turns scheduled refits off. */
  refitCheckMs?: number;
  /** Refit when at least this share of the records changed since the fit. */
  refitShare?: number;
}

export class MatchWorker extends OutboxWorker {
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;
  private readonly refitCheckMs: number;
  private readonly refitShare: number;
  private lastRefitCheck = 0;

  constructor(
    private readonly db: DB,
    private readonly matcher: Matcher,
    options: MatchWorkerOptions = {},
  ) {
    // Draining may include a first fit, which takes longer than a batch of mails.
    super("matcher", options, 120_000);
    this.batchSize = options.batchSize ?? 25;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.refitCheckMs = options.refitCheckMs ?? 60 * 60_000;
    this.refitShare = options.refitShare ?? 0.1;
  }

  /** Stops the loop, and a refit running in its own process with it instead of waiting for it. */
  override async stop(): Promise<void> {
    this.matcher.stop();
    await super.stop();
  }

  /** Refits when there is no model yet, or when enough records changed since the last fit. */
  async refitIfDue(now: Date = new Date()): Promise<boolean> {
    const info = await findCurrentModelInfo(this.db);
    if (info) {
      const changed = await countRecordsChangedSince(this.db, info.fittedAt);
      if (changed < Math.max(5, info.documents * this.refitShare) && !(await this.matcher.needsReembedding())) return false;
    } else if (!(await hasRecordsToFit(this.db))) return false;
    await this.matcher.refit({ now });
    return true;
  }

  async runOnce(): Promise<RoundResult> {
    if (this.refitCheckMs > 0 && Date.now() - this.lastRefitCheck >= this.refitCheckMs) {
      this.lastRefitCheck = Date.now();
      try {
        if (await this.refitIfDue()) return { ...EMPTY_ROUND, delivered: 1 };
      } catch (error) {
        if (error instanceof Error && error.name === "AbortError") this.log.info("matcher refit stopped with the portal");
        else this.log.error("matcher refit failed", { error });
      }
    }
    const due = await listDue(this.db, "match.refresh", this.batchSize);
    const round: RoundResult = { ...EMPTY_ROUND };
    for (const message of due as Array<OutboxMessage<"match.refresh">>) {
      try {
        await this.refresh(message.payload.kind, message.payload.id);
        await markDone(this.db, [message]);
        round.delivered++;
      } catch (error) {
        if (isUnreachable(error)) {
          this.log.warn("matcher: search unreachable; suggestions wait", { error: describeSearchError(error) });
          return { ...round, unreachable: true };
        }
        const outcome = await markFailed(this.db, message, describeSearchError(error), this.retry);
        if (outcome === "dead") {
          round.dead++;
          this.log.error("outbox row dead-lettered", { row: message.id, record: message.recordKey, error: describeSearchError(error) });
        } else round.failed++;
      }
    }
    return round;
  }

  /** Recomputes one record: features always, suggestions when it is still in play. */
  async refresh(kind: RecordKind, id: number): Promise<void> {
    const [before] = await listFeatures(this.db, kind, [id]);
    const features = (await this.matcher.computeFeatures(kind, [id])).get(id);
    if (!features) {
      await clearSuggestions(this.db, kind, id);
      return;
    }
    // The write queued its search document already, perhaps before this vector existed.
    if (!before || !embeddingToBuffer(features.embedding).equals(before.embedding)) {
      await enqueue(this.db, "search.index", `${kind}:${id}`, { kind, id });
    }
    if (!(await isMatchable(this.db, kind, id))) {
      await clearSuggestions(this.db, kind, id);
      return;
    }
    const model = await this.matcher.model();
    const ranked = await this.matcher.rank(kind, id, KEEP_PER_RECORD, features);
    await storeTopList(
      this.db,
      kind,
      id,
      ranked.map((r) => ({
        challengeId: kind === "challenge" ? id : r.id,
        solutionId: kind === "challenge" ? r.id : id,
        score: r.score,
        features: JSON.stringify(r.features),
        reasons: JSON.stringify(r.reasons),
      })),
      {
        modelVersion: this.matcher.featureVersion(model),
        keep: KEEP_PER_RECORD,
        // Pairs shown for the first time are news for subscribers, in the same transaction.
        onStored: (trx, stored) => recordSuggestionNews(trx, stored, { minScore: DISPLAY_THRESHOLD }),
      },
    );
  }
}
