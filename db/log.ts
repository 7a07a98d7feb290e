// The small logging interface db/ and search/ code is handed, so it never decides where logs go.
// Field values whose names look secret are replaced, and token-shaped text anywhere in a line is
// hidden, before anything is written.
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /key|secret|password|token|authorization|cookie/i;

/**
 * Hides secrets wherever they stand in a text: the value of every `token=` (and `…token=`)
 * parameter, and every run of 43 or more base64url characters, the shape of every token and
 * session secret the portal makes (db/tokens.ts), so `/invitations/<token>` is hidden as well.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&][\w.-]*token=)[^&#\s"'<>()[\]]+/gi, "$1[redacted]")
    .replace(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43,}(?![A-Za-z0-9_-])/g, "[redacted]");
}

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) ? "[redacted]" : v;
  return out;
}

function format(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(`${value.name}: ${value.message}`);
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** Logs one line per event to stderr: time, level, message, key=value fields. */
export function createLogger(level: LogLevel = "info", write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const emit = (at: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[at] < ORDER[level]) return;
    const rest = fields
      ? Object.entries(redact(fields))
          .map(([k, v]) => `${k}=${format(v)}`)
          .join(" ")
      : "";
    // The whole line is scrubbed: a token may come in a message, a URL, an error's text.
    write(redactSecrets(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}${rest ? ` ${rest}` : ""}`));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
