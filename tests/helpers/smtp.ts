// A real SMTP server on loopback (smtp-server) for tests, and just enough MIME to read what
// nodemailer sends, rather than a parser library.
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { waitUntil } from "./search";

export interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

export interface TestSmtp {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

// Every server a test starts; closeSmtpServers() closes them.
let servers: TestSmtp[] = [];

export async function closeSmtpServers(): Promise<void> {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
}

export const smtpUrl = (port: number) => `smtp://127.0.0.1:${port}`;

export function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtp(
  port: number,
  hooks: { rcptTo?: (address: SMTPServerAddress) => Error | undefined; data?: (raw: string) => Error | undefined } = {},
): Promise<TestSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(hooks.rcptTo?.(address) ?? null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const refusal = hooks.data?.(raw);
        if (refusal) return callback(refusal);
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const smtp = {
    url: smtpUrl(port),
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(smtp);
  return smtp;
}

// --- just enough MIME to read what nodemailer sends -----------------------------------------

function splitHead(raw: string): { head: string; body: string } {
  const at = raw.indexOf("\r\n\r\n");
  return { head: raw.slice(0, at), body: raw.slice(at + 4) };
}

function header(head: string, name: string): string | undefined {
  const unfolded = head.replace(/\r\n[ \t]+/g, " ");
  const line = unfolded.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** Decodes RFC 2047 words, e.g. =?UTF-8?Q?Bekr=C3=A6ft?=. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return Buffer.from(
        body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        "latin1",
      ).toString("utf8");
    default:
      return body;
  }
}

interface Part {
  contentType: string;
  text: string;
}

export function parse(raw: string): { headers: (name: string) => string | undefined; contentType: string; parts: Part[] } {
  const { head, body } = splitHead(raw);
  const contentType = header(head, "Content-Type") ?? "";
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  const parts = (boundary ? body.split(`--${boundary}`).slice(1, -1) : []).map((chunk) => {
    const part = splitHead(chunk.replace(/^\r\n/, ""));
    return {
      contentType: header(part.head, "Content-Type") ?? "",
      text: decodeBody(part.body.replace(/\r\n$/, ""), header(part.head, "Content-Transfer-Encoding")),
    };
  });
  return { headers: (name) => header(head, name), contentType, parts };
}


/** The plain-text part of the first mail to `to` whose subject matches, waiting for it to arrive. */
export async function waitForMail(smtp: TestSmtp, to: string, subject: RegExp, timeoutMs = 10_000): Promise<{ subject: string; text: string; html: string; raw: string }> {
  return waitUntil(
    async () => {
      for (const m of smtp.received) {
        if (!m.rcptTo.includes(to)) continue;
        const parsed = parse(m.raw);
        const subj = decodeWords(parsed.headers("Subject") ?? "");
        if (!subject.test(subj)) continue;
        const text = parsed.parts.find((p) => p.contentType.startsWith("text/plain"))?.text ?? "";
        const html = parsed.parts.find((p) => p.contentType.startsWith("text/html"))?.text ?? "";
        return { subject: subj, text, html, raw: m.raw };
      }
      return undefined;
    },
    timeoutMs,
    `a mail to ${to} about ${subject}`,
  );
}

/** The first link on the portal in a mail's text. */
export function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return new URL(match[0]);
}
