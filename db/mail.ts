// E-mail goes through the outbox: a mail is queued in the same transaction as the write that
// causes it (a sign-up, a password reset), so it is sent if and only if that write commits,
// and an SMTP outage delays it instead of failing the request.
import { randomUUID } from "node:crypto";
import { enqueue, type Executor, type MailMessage } from "./outbox";

/** Queues one mail for the mailer. Pass the transaction of the write the mail belongs to. */
export async function queueMail(trx: Executor, mail: MailMessage): Promise<void> {
  // Pending rows with the same record key coalesce; two mails must never merge into one, so
  // every mail gets a key of its own.
  await enqueue(trx, "email.send", `mail:${randomUUID()}`, mail);
}
