// Reports from anyone, and administrators unpublishing a text with a reason its owner sees.
import type { Transaction } from "kysely";
import { nowIso, type DB } from "../client";
import type { Database } from "../schema";
import { queueMail } from "../mail";
import { enqueueRecordChange, type Executor, type MailMessage } from "../outbox";
import { recordAuditEvent } from "./audit-events";

export type RecordKind = "challenge" | "solution";

export async function createReport(db: Executor, input: { kind: RecordKind; id: number; reason: string; reporterId: number | null }): Promise<number> {
  const { id } = await db
    .insertInto("reports")
    .values({ record_kind: input.kind, record_id: input.id, reason: input.reason, reporter_id: input.reporterId, created_at: nowIso() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A report and the mails telling administrators of it, in one transaction. */
export async function reportRecord(db: DB, input: { kind: RecordKind; id: number; reason: string; reporterId: number | null }, mails: MailMessage[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await createReport(trx, input);
    for (const mail of mails) await queueMail(trx, mail);
  });
}

export async function listOpenReports(db: DB) {
  const reports = await db
    .selectFrom("reports")
    .select(["id", "record_kind", "record_id", "reason", "created_at"])
    .where("resolved_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
  const titles = new Map<string, string>();
  for (const kind of ["challenge", "solution"] as const) {
    const ids = reports.filter((r) => r.record_kind === kind).map((r) => r.record_id);
    if (ids.length === 0) continue;
    const rows = await db.selectFrom(kind === "challenge" ? "challenges" : "solutions").select(["id", "title"]).where("id", "in", ids).execute();
    for (const row of rows) titles.set(`${kind}:${row.id}`, row.title);
  }
  return reports.map((r) => ({ ...r, title: titles.get(`${r.record_kind}:${r.record_id}`) ?? null }));
}

/**
 * Takes a published text off the public pages with a reason its owner sees, and resolves the
 * open reports about it. The record, its URL and history stay.
 */
export async function unpublish(
  db: DB,
  kind: RecordKind,
  id: number,
  reason: string,
  by: number,
  /** More writes for the same transaction, e.g. the mails telling the owners. */
  also?: (trx: Transaction<Database>) => Promise<void>,
): Promise<boolean> {
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const table = kind === "challenge" ? "challenges" : "solutions";
    const result = await trx
      .updateTable(table)
      .set((eb) => ({ moderated_at: now, moderated_by: by, moderation_reason: reason, version: eb("version", "+", 1), updated_at: now }))
      .where("id", "=", id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await trx
      .updateTable("reports")
      .set({ resolved_at: now, resolved_by: by, resolution: "unpublished" })
      .where("record_kind", "=", kind)
      .where("record_id", "=", id)
      .where("resolved_at", "is", null)
      .execute();
    await enqueueRecordChange(trx, kind, id, now);
    await also?.(trx);
    return true;
  });
}

/** Puts an unpublished text back; its reason stays in the record's history. */
export async function republish(db: DB, kind: RecordKind, id: number, also?: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const table = kind === "challenge" ? "challenges" : "solutions";
    await trx
      .updateTable(table)
      .set((eb) => ({ moderated_at: null, moderated_by: null, version: eb("version", "+", 1), updated_at: now }))
      .where("id", "=", id)
      .execute();
    await enqueueRecordChange(trx, kind, id, now);
    await also?.(trx);
  });
}

export async function dismissReport(db: DB, reportId: number, by: { id: number; name: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("reports")
      .set({ resolved_at: nowIso(), resolved_by: by.id, resolution: "dismissed" })
      .where("id", "=", reportId)
      .where("resolved_at", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) await recordAuditEvent(trx, { actor: by, action: "report.dismissed", subject: `report:${reportId}` });
  });
}
