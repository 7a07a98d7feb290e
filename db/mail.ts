// E-mail goes through the outbox: a mail is queued in the same transaction as the write that
// causes it (a sign-up, a password reset), so it is sent if and only if that write commits,
// and an SMTP outage delays it instead of failing the request.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { nowIso, type DB } from "./client";
import { redactSecrets } from "./log";
import { enqueue, type Executor, type MailMessage } from "./outbox";

/** Queues one mail for the mailer. Pass the transaction of the write the mail belongs to. */
export async function queueMail(trx: Executor, mail: MailMessage): Promise<void> {
  // Pending rows with the same record key coalesce; two mails must never merge into one, so
  // every mail gets a key of its own.
  await enqueue(trx, "email.send", `mail:${randomUUID()}`, mail);
}

/** The mail with every secret in it hidden (db/log.ts's redactSecrets): what may be kept or shown. */
export function redactMail(mail: MailMessage): MailMessage {
  return {
    ...mail,
    text: redactSecrets(mail.text),
    html: redactSecrets(mail.html),
    ...(mail.headers ? { headers: Object.fromEntries(Object.entries(mail.headers).map(([k, v]) => [k, redactSecrets(v)])) } : {}),
  };
}

/**
 * Settles a mail row: delivered ("done", only while it is still the pending row of that
 * revision) or dead-lettered ("dead", already marked so), and in the same statement replaces
 * its payload with the redacted mail, so no working link stays in the database.
 */
export async function markMailSettled(db: DB, id: number, status: "done" | "dead", revision?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("outbox").select(["payload"]).where("id", "=", id).where("topic", "=", "email.send").executeTakeFirst();
    if (!row) return;
    const now = nowIso();
    const payload = JSON.stringify(redactMail(JSON.parse(row.payload) as MailMessage));
    let q = trx.updateTable("outbox").set({ payload, updated_at: now, ...(status === "done" ? { status, done_at: now, last_error: null } : {}) }).where("id", "=", id);
    q = status === "done" ? q.where("status", "=", "pending").where("revision", "=", revision ?? -1) : q.where("status", "=", "dead");
    await q.execute();
  });
}

/** The newest queued mails' rows, newest first, as stored (payloads unredacted: redact before showing). */
export async function listRecentMail(db: DB, limit: number) {
  return db
    .selectFrom("outbox")
    .select(["id", "payload", "status", "created_at", "attempts", "last_error"])
    .where("topic", "=", "email.send")
    .orderBy(sql`id`, "desc")
    .limit(limit)
    .execute();
}
