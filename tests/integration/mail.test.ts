// E-mail through the outbox, against a real SMTP server on loopback (smtp-server), with the raw
// messages it receives read by a few lines of MIME below rather than by a parser library.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../db/log";
import { queueMail } from "../../db/mail";
import { outboxStats, type MailMessage } from "../../db/outbox";
import { Mailer, logTransport, smtpTransport } from "../../app/mail/mailer.server";
import { redactSecrets } from "../../db/log";
import { freePort } from "../../search/embedded-meili";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { closeSmtpServers, decodeWords, parse, smtpError, smtpUrl, startSmtp } from "../helpers/smtp";

const FROM = "Samskab <noreply@samskab.test>";
const fastRetry = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

// ---------------------------------------------------------------------------------------------

let t: TestDatabase | undefined;

afterEach(async () => {
  await closeSmtpServers();
  await t?.destroy();
  t = undefined;
});

async function fresh() {
  t = await createTestDatabase();
  return t;
}

function mail(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    to: "modtager@samskab.test",
    subject: "Bekræft din e-mailadresse",
    text: "Hej!\n\nBekræft din adresse her: https://portal.test/verify?token=abc\n",
    html: '<p>Hej!</p><p><a href="https://portal.test/verify?token=abc">Bekræft din adresse</a></p>',
    kind: "verify-email",
    ...overrides,
  };
}

async function queue(db: TestDatabase["db"], ...mails: MailMessage[]): Promise<number[]> {
  await db.transaction().execute(async (trx) => {
    for (const m of mails) await queueMail(trx, m);
  });
  const rows = await db.selectFrom("outbox").select("id").where("topic", "=", "email.send").orderBy("id").execute();
  return rows.map((r) => r.id);
}

async function mailRows(db: TestDatabase["db"]) {
  return db.selectFrom("outbox").select(["id", "status", "attempts", "last_error"]).where("topic", "=", "email.send").orderBy("id").execute();
}

describe("queueing mail", () => {
  it("keeps every mail apart, even two identical ones to the same person", async () => {
    const { db } = await fresh();
    await queue(db, mail(), mail());
    const rows = await db.selectFrom("outbox").select(["record_key", "status"]).where("topic", "=", "email.send").execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.record_key)).size).toBe(2);
    expect(rows.every((r) => /^mail:[0-9a-f-]{36}$/.test(r.record_key))).toBe(true);
  });

  it("queues nothing when the write it belongs to rolls back", async () => {
    const { db } = await fresh();
    await expect(
      db.transaction().execute(async (trx) => {
        await queueMail(trx, mail());
        throw new Error("the sign-up failed");
      }),
    ).rejects.toThrow("the sign-up failed");
    expect(await mailRows(db)).toEqual([]);
  });
});

describe("the mailer over SMTP", () => {
  it("sends a queued mail once, as text and HTML, with From, To, Reply-To, Subject and its Message-ID", async () => {
    const { db } = await fresh();
    const smtp = await startSmtp(await freePort());
    const [id] = await queue(db, mail({ replyTo: "kontakt@kk.test" }));
    const mailer = new Mailer(db, smtpTransport(smtp.url), { from: FROM });
    await mailer.drain();
    await mailer.drain();

    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    expect(got.mailFrom).toBe("noreply@samskab.test");
    expect(got.rcptTo).toEqual(["modtager@samskab.test"]);
    const message = parse(got.raw);
    expect(message.headers("From")).toBe("Samskab <noreply@samskab.test>");
    expect(message.headers("To")).toBe("modtager@samskab.test");
    expect(message.headers("Reply-To")).toBe("kontakt@kk.test");
    expect(decodeWords(message.headers("Subject") ?? "")).toBe("Bekræft din e-mailadresse");
    expect(message.headers("Message-ID")).toBe(`<outbox-${id}@samskab>`);
    expect(message.contentType).toMatch(/^multipart\/alternative;/);
    expect(message.parts.map((p) => p.contentType.split(";")[0])).toEqual(["text/plain", "text/html"]);
    expect(message.parts[0]!.text).toContain("Bekræft din adresse her: https://portal.test/verify?token=abc");
    expect(message.parts[1]!.text).toContain('<a href="https://portal.test/verify?token=abc">Bekræft din adresse</a>');
    expect(await outboxStats(db)).toEqual({ pending: 0, done: 1, dead: 0 });
  });

  it("leaves mails pending without spending attempts while the server is down, and sends them when it is back", async () => {
    const { db } = await fresh();
    const port = await freePort();
    await queue(db, mail({ to: "en@samskab.test" }), mail({ to: "to@samskab.test" }));
    const mailer = new Mailer(db, smtpTransport(smtpUrl(port)), { from: FROM, retry: fastRetry });

    expect(await mailer.runOnce()).toEqual({ delivered: 0, failed: 0, dead: 0, unreachable: true });
    expect(await mailer.runOnce()).toMatchObject({ unreachable: true });
    await expect(mailer.drain()).rejects.toThrow("unreachable");
    expect(mailer.healthy).toBe(false);
    expect((await mailRows(db)).map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ["pending", 0, null],
      ["pending", 0, null],
    ]);

    const smtp = await startSmtp(port);
    await mailer.drain();
    expect(mailer.healthy).toBe(true);
    expect(smtp.received.map((r) => r.rcptTo)).toEqual([["en@samskab.test"], ["to@samskab.test"]]);
    expect(await outboxStats(db)).toEqual({ pending: 0, done: 2, dead: 0 });
  });

  it("dead-letters a mail whose recipient the server rejects, after maxAttempts, while the next mail goes out", async () => {
    const { db } = await fresh();
    let refusals = 0;
    const smtp = await startSmtp(await freePort(), {
      rcptTo: (address) => {
        if (address.address !== "findes.ikke@samskab.test") return undefined;
        refusals++;
        return smtpError(550, "5.1.1 Mailbox does not exist");
      },
    });
    // The rejected mail is first in the batch, so the good one has to get past it.
    await queue(db, mail({ to: "findes.ikke@samskab.test" }), mail({ to: "modtager@samskab.test" }));
    const mailer = new Mailer(db, smtpTransport(smtp.url), { from: FROM, retry: fastRetry });

    expect(await mailer.runOnce()).toEqual({ delivered: 1, failed: 1, dead: 0, unreachable: false });
    await mailer.drain();

    expect(smtp.received.map((r) => r.rcptTo)).toEqual([["modtager@samskab.test"]]);
    expect(refusals).toBe(3);
    const [bad, good] = await mailRows(db);
    expect(bad).toMatchObject({ status: "dead", attempts: 3 });
    expect(bad!.last_error).toMatch(/550/);
    expect(good).toMatchObject({ status: "done", attempts: 0 });
  });

  it("retries a mail the server turns away for a moment, and it arrives once with the same Message-ID", async () => {
    const { db } = await fresh();
    const seenIds: Array<string | undefined> = [];
    const smtp = await startSmtp(await freePort(), {
      data: (raw) => {
        seenIds.push(parse(raw).headers("Message-ID"));
        return seenIds.length === 1 ? smtpError(451, "4.3.0 Try again later") : undefined;
      },
    });
    const [id] = await queue(db, mail());
    const mailer = new Mailer(db, smtpTransport(smtp.url), { from: FROM, retry: fastRetry });

    expect(await mailer.runOnce()).toEqual({ delivered: 0, failed: 1, dead: 0, unreachable: false });
    expect((await mailRows(db))[0]).toMatchObject({ status: "pending", attempts: 1, last_error: expect.stringMatching(/451/) });
    await mailer.drain();

    expect(seenIds).toEqual([`<outbox-${id}@samskab>`, `<outbox-${id}@samskab>`]);
    expect(smtp.received).toHaveLength(1);
    expect(await outboxStats(db)).toEqual({ pending: 0, done: 1, dead: 0 });
  });

  it("sends mails queued while it runs, woken by nudge()", async () => {
    const { db } = await fresh();
    const smtp = await startSmtp(await freePort());
    const mailer = new Mailer(db, smtpTransport(smtp.url), { from: FROM, pollMs: 60_000 });
    mailer.start();
    try {
      // Let the first, empty round finish so the loop is asleep for its long poll.
      await new Promise((r) => setTimeout(r, 200));
      await queue(db, mail());
      mailer.nudge();
      const until = Date.now() + 5_000;
      while (smtp.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await mailer.stop();
    }
    expect(smtp.received).toHaveLength(1);
  });
});

describe("the log transport", () => {
  it("hides the value of every token in a link, and only that", () => {
    expect(
      redactSecrets(
        [
          "https://portal.test/login?token=abc123",
          "https://portal.test/reset?lang=da&token=def456#form",
          "(https://portal.test/invite?reset_token=ghi789&next=%2Fprofil)",
          "https://portal.test/udfordringer?q=token",
        ].join("\n"),
      ),
    ).toBe(
      [
        "https://portal.test/login?token=[redacted]",
        "https://portal.test/reset?lang=da&token=[redacted]#form",
        "(https://portal.test/invite?reset_token=[redacted]&next=%2Fprofil)",
        "https://portal.test/udfordringer?q=token",
      ].join("\n"),
    );
  });

  it("logs one line per mail with recipient, kind and subject, and never a token", async () => {
    const { db } = await fresh();
    const lines: string[] = [];
    const log = createLogger("info", (line) => lines.push(line));
    await queue(
      db,
      mail({
        to: "ny@samskab.test",
        kind: "sign-in",
        subject: "Log ind på Samskab",
        text: "Log ind her: https://portal.test/login?token=s3cr3t-sign-in&lang=da\nGælder i 15 minutter.",
        html: '<a href="https://portal.test/login?token=s3cr3t-sign-in&amp;lang=da">Log ind</a>',
      }),
      mail({
        to: "glemt@samskab.test",
        kind: "password-reset",
        subject: "Nulstil din adgangskode",
        text: "Nulstil her: https://portal.test/reset?token=s3cr3t-reset",
        html: '<a href="https://portal.test/reset?token=s3cr3t-reset">Nulstil</a>',
      }),
    );
    const mailer = new Mailer(db, logTransport(log), { from: FROM });
    await mailer.drain();

    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toMatch(/s3cr3t/);
    expect(lines[0]).toContain("to=ny@samskab.test");
    expect(lines[0]).toContain("kind=sign-in");
    expect(lines[0]).toContain('subject="Log ind på Samskab"');
    expect(lines[0]).toContain("https://portal.test/login?token=[redacted]&lang=da");
    expect(lines[1]).toContain("kind=password-reset");
    expect(lines[1]).toContain("https://portal.test/reset?token=[redacted]");
    expect(await outboxStats(db)).toEqual({ pending: 0, done: 2, dead: 0 });
  });
});
