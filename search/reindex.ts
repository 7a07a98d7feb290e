// Builds fresh indexes from SQLite beside the live ones and swaps them in, so searches never see
// a half-built index. Writes that land during the build are not lost: the write sequence is
// noted before anything is read, and every record written after that mark is queued again in
// the outbox once the new indexes are live, for the worker to deliver in order.
import type { DB } from "../db/client";
import { listAllChallengeIds } from "../db/queries/challenges";
import { loadReferenceLabels } from "../db/queries/reference";
import { listAllSolutionIds } from "../db/queries/solutions";
import { currentSeq, enqueueAll, listWrittenSince, markDoneUpTo } from "../db/outbox";
import { apiErrorOf, indexName, waitForTask, type IndexKind, type SearchContext } from "./client";
import { buildDocuments, type RecordRef } from "./documents";
import { silentLogger, type Logger } from "../db/log";
import { ensureIndex } from "./settings";

export interface ReindexResult {
  documents: Record<IndexKind, number>;
  replayed: number;
  ms: number;
}

async function indexExists(search: SearchContext, uid: string): Promise<boolean> {
  try {
    await search.client.getIndex(uid);
    return true;
  } catch (error) {
    if (apiErrorOf(error)?.response.status === 404) return false;
    throw error;
  }
}

export async function reindexAll(
  db: DB,
  search: SearchContext,
  options: { log?: Logger; batchSize?: number; onBuilt?: () => Promise<void> } = {},
): Promise<ReindexResult> {
  const log = options.log ?? silentLogger;
  const batchSize = options.batchSize ?? 1000;
  const started = Date.now();
  const mark = await currentSeq(db);
  const labels = await loadReferenceLabels(db);
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const documents: Record<IndexKind, number> = { challenges: 0, solutions: 0 };

  const plans: Array<{ kind: IndexKind; ids: number[]; ref: RecordRef["kind"] }> = [
    { kind: "challenges", ids: await listAllChallengeIds(db), ref: "challenge" },
    { kind: "solutions", ids: await listAllSolutionIds(db), ref: "solution" },
  ];

  const built: Array<{ live: string; fresh: string }> = [];
  try {
    for (const plan of plans) {
      const live = indexName(search, plan.kind);
      const fresh = `${live}__rebuild_${stamp}`;
      built.push({ live, fresh });
      await ensureIndex(search, plan.kind, fresh);
      for (let i = 0; i < plan.ids.length; i += batchSize) {
        const refs = plan.ids.slice(i, i + batchSize).map((id) => ({ kind: plan.ref, id }));
        const batch = await buildDocuments(db, refs, labels);
        const docs = batch.upserts[plan.kind];
        if (docs.length === 0) continue;
        const task = await waitForTask(
          search,
          search.client.index(fresh).addDocuments(docs as unknown as Record<string, unknown>[], { primaryKey: "id" }),
        );
        if (task.status !== "succeeded") throw new Error(`Indexing into ${fresh} failed: ${task.error?.message ?? task.status}`);
        documents[plan.kind] += docs.length;
      }
      log.info("index built", { index: fresh, documents: documents[plan.kind] });
    }
    await options.onBuilt?.();

    for (const { live } of built) {
      if (!(await indexExists(search, live))) await waitForTask(search, search.client.createIndex(live, { primaryKey: "id" }));
    }
    const swap = await waitForTask(
      search,
      search.client.swapIndexes(built.map(({ live, fresh }) => ({ indexes: [live, fresh] as [string, string], rename: false }))),
    );
    if (swap.status !== "succeeded") throw new Error(`Swapping indexes failed: ${swap.error?.message ?? swap.status}`);
  } finally {
    // After a swap these hold the old data; after a failure, the half-built new data.
    for (const { fresh } of built) {
      await waitForTask(search, search.client.deleteIndex(fresh)).catch(() => undefined);
    }
  }

  await markDoneUpTo(db, "search.index", mark);
  const written = await listWrittenSince(db, "search.index", mark);
  await enqueueAll(
    db,
    written.map((ref) => ({ topic: "search.index", recordKey: `${ref.kind}:${ref.id}`, payload: ref })),
  );
  const result = { documents, replayed: written.length, ms: Date.now() - started };
  log.info("reindex done", { ...result.documents, replayed: result.replayed, ms: result.ms });
  return result;
}
