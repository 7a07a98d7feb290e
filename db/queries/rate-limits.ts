// Rate limits kept in SQLite, so a restart forgets nothing. An attempt takes a slot in every
// bucket it counts against, or none if any bucket is full: counting and taking happen in one
// transaction, and SQLite has one writer, so parallel requests cannot all slip under a limit.
import type { DB } from "../client";

export interface RateCheck {
  /** e.g. "signin:address:10.0.0.7", "reset:account:ada@example.org". */
  bucket: string;
  max: number;
  windowMs: number;
}

export type RateVerdict = { ok: true; eventIds: number[] } | { ok: false; bucket: string; retryAfterSeconds: number };

export async function takeRateSlots(db: DB, checks: RateCheck[], now: Date = new Date()): Promise<RateVerdict> {
  return db.transaction().execute(async (trx) => {
    for (const check of checks) {
      const since = new Date(now.getTime() - check.windowMs).toISOString();
      // Old events of this bucket are of no further use.
      await trx.deleteFrom("rate_events").where("bucket", "=", check.bucket).where("at", "<=", since).execute();
      const rows = await trx.selectFrom("rate_events").select("at").where("bucket", "=", check.bucket).orderBy("at").limit(check.max).execute();
      if (rows.length >= check.max) {
        const freesAt = Date.parse(rows[0]!.at) + check.windowMs;
        return { ok: false, bucket: check.bucket, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000)) };
      }
    }
    const at = now.toISOString();
    const ids: number[] = [];
    for (const check of checks) {
      const { id } = await trx.insertInto("rate_events").values({ bucket: check.bucket, at }).returning("id").executeTakeFirstOrThrow();
      ids.push(id);
    }
    return { ok: true, eventIds: ids };
  });
}

/** Gives slots back: an attempt that turned out not to count (a successful sign-in). */
export async function releaseRateSlots(db: DB, eventIds: number[]): Promise<void> {
  if (eventIds.length > 0) await db.deleteFrom("rate_events").where("id", "in", eventIds).execute();
}

/** Empties buckets: the exact names given, and every bucket whose name starts with a prefix. */
export async function clearRateBuckets(db: DB, names: string[], prefixes: string[] = []): Promise<void> {
  if (names.length === 0 && prefixes.length === 0) return;
  await db
    .deleteFrom("rate_events")
    .where((eb) =>
      eb.or([
        ...(names.length > 0 ? [eb("bucket", "in", names)] : []),
        ...prefixes.map((p) => eb(eb.fn("substr", ["bucket", eb.val(1), eb.val(p.length)]), "=", p)),
      ]),
    )
    .execute();
}

