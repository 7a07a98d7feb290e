// An Embedder backed by an embedding service that an installation runs itself: anything that
// speaks OpenAI's POST /v1/embeddings (llama.cpp's server, vLLM, LM Studio, LocalAI, OpenAI) or
// Ollama's POST /api/embed. Optional: without one the matcher uses its offline embedder.
//
// Why node:http and not fetch: Node 20's fetch adds ~40 ms to every small request on loopback (a
// delayed-ACK stall, see STACK.md), which a matcher embedding text by text would feel at once. So
// requests go through a keep-alive agent with Nagle off, as search/client.ts does for Meilisearch.
//
// What a caller can rely on:
// - Vectors come back in the order of the texts, scaled to unit length (a zero vector stays zero),
//   each with the dimensions the service showed when it was probed at start-up.
// - Anything else the service does (an HTTP error, a body that is not JSON, a wrong count or
//   dimension, a non-finite number, no answer within timeoutMs) is an EmbedderError. Its message
//   names the endpoint without credentials or query string, and never contains the API key.
// - A batch is retried once, and only when a retry can help: the connection failed (a refused
//   connect, or a keep-alive socket the server had already closed) or the service answered 5xx.
//   A timeout is not retried: a service too slow once is likely too slow again, and a retry would
//   double the wait of the page or script behind it. 4xx and malformed answers are not retried.
import http from "node:http";
import https from "node:https";
import { z } from "zod";
import type { Embedder } from "./types";

export type HttpEmbedderApi = "openai" | "ollama";

export interface HttpEmbedderOptions {
  /**
   * Base URL of the service: "http://localhost:8080" or ".../v1" (OpenAI style), or
   * "http://localhost:11434" or ".../api" (Ollama). The API path is added unless already there.
   */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Credentials in the URL are sent as Basic auth. */
  apiKey?: string;
  /**
   * Which API the service speaks. Default: "ollama" when the URL's port is 11434 (Ollama's own)
   * or its path contains "/api", otherwise "openai". Set it when a proxy hides those signs.
   */
  api?: HttpEmbedderApi;
  /** For each request, from connecting to the last byte of the answer. Default 30 000 ms. */
  timeoutMs?: number;
  /** Texts per request. Default 64. */
  batchSize?: number;
}

export type EmbedderErrorKind = "config" | "network" | "timeout" | "http" | "response";

/** The embedding service failed or answered something unusable. Safe to log: holds no secret. */
export class EmbedderError extends Error {
  override readonly name = "EmbedderError";
  constructor(
    message: string,
    readonly kind: EmbedderErrorKind,
    /** The endpoint without credentials or query string. */
    readonly url: string,
    /** The HTTP status, when the service answered with one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_BATCH_SIZE = 64;
const PROBE_TEXT = "dimensions probe";
// A 64-text batch of 4096-dimension vectors is about 6 MB of JSON; far more is a wrong endpoint.
const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;
const RETRY_PAUSE_MS = 100;

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
};

/**
 * Which API a URL speaks and the endpoint to POST to. Pure, so the default is easy to check:
 * "ollama" when the port is 11434 or the path contains "/api", otherwise "openai".
 */
export function resolveHttpEmbedderEndpoint(url: string, api?: HttpEmbedderApi): { api: HttpEmbedderApi; endpoint: URL } {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    // Not the URL itself in the message: it may hold credentials.
    throw new EmbedderError("Embedding service URL is not a valid URL", "config", "(invalid URL)");
  }
  if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
    throw new EmbedderError(`Embedding service URL must be http or https, not ${endpoint.protocol}`, "config", safeUrl(endpoint));
  }
  const chosen = api ?? (endpoint.port === "11434" || endpoint.pathname.includes("/api") ? "ollama" : "openai");
  const path = endpoint.pathname.replace(/\/+$/, "");
  if (chosen === "openai") endpoint.pathname = path.endsWith("/v1") ? `${path}/embeddings` : `${path}/v1/embeddings`;
  else endpoint.pathname = path.endsWith("/api") ? `${path}/embed` : `${path}/api/embed`;
  return { api: chosen, endpoint };
}

/** Starts an HTTP embedder, asking the service once for a vector to learn its dimensions. */
export async function createHttpEmbedder(options: HttpEmbedderOptions): Promise<Embedder> {
  const { api, endpoint } = resolveHttpEmbedderEndpoint(options.url, options.api);
  const where = safeUrl(endpoint);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const model = options.model.trim();
  if (!model) throw new EmbedderError(`Embedding service ${where}: no model given`, "config", where);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new EmbedderError(`Embedding service ${where}: timeoutMs must be a positive number`, "config", where);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EmbedderError(`Embedding service ${where}: batchSize must be a positive whole number`, "config", where);
  }

  const secrets = [options.apiKey, endpoint.username, endpoint.password]
    .flatMap((s) => (s ? [s, safeDecode(s)] : []))
    .filter((s) => s.length > 0);
  const fail = (problem: string, kind: EmbedderErrorKind, status?: number): EmbedderError =>
    new EmbedderError(redact(`Embedding service ${where}: ${problem}`, secrets), kind, where, status);

  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    "user-agent": "Samskab (matcher embeddings)",
  };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  /** One batch: raw vectors in text order, retried once on a failed connection or a 5xx. */
  async function embedBatch(texts: string[]): Promise<number[][]> {
    const payload = JSON.stringify({ model, input: texts });
    let answer: RawAnswer;
    try {
      answer = await postOnce(endpoint, payload, headers, timeoutMs);
      if (answer.status >= 500) throw new RetryableStatus(answer);
    } catch (error) {
      if (error instanceof TimeoutFailure) throw fail(`no answer within ${timeoutMs} ms`, "timeout");
      if (error instanceof TooLargeFailure) throw fail(`answer larger than ${MAX_RESPONSE_BYTES} bytes`, "response");
      const first = error instanceof RetryableStatus ? describeStatus(error.answer) : describeNetworkError(error);
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      try {
        answer = await postOnce(endpoint, payload, headers, timeoutMs);
      } catch (retryError) {
        if (retryError instanceof TimeoutFailure) {
          throw fail(`${first}; the retry got no answer within ${timeoutMs} ms`, "timeout");
        }
        if (retryError instanceof TooLargeFailure) throw fail(`answer larger than ${MAX_RESPONSE_BYTES} bytes`, "response");
        throw fail(`${describeNetworkError(retryError)} (after a retry; first attempt: ${first})`, "network");
      }
      if (answer.status >= 500) throw fail(`${describeStatus(answer)} (after a retry)`, "http", answer.status);
    }
    if (answer.status < 200 || answer.status > 299) throw fail(describeStatus(answer), "http", answer.status);

    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      throw fail(`answered ${answer.status} with a body that is not JSON (${answer.contentType || "no content-type"}): ${snippet(answer.body)}`, "response");
    }
    const vectors = api === "openai" ? openAiVectors(body, texts.length) : ollamaVectors(body);
    if (typeof vectors === "string") throw fail(vectors, "response");
    if (vectors.length !== texts.length) {
      throw fail(`sent ${texts.length} texts but got ${vectors.length} vectors back`, "response");
    }
    return vectors;
  }

  function toUnit(raw: number[], position: number, expected: number | undefined): Float32Array {
    if (expected !== undefined && raw.length !== expected) {
      throw fail(`vector ${position} has ${raw.length} dimensions, expected ${expected} (model ${model})`, "response");
    }
    // Scaled by the largest component first, so huge or tiny values neither overflow nor vanish.
    let max = 0;
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i]!;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw fail(`vector ${position} has a value that is not a finite number at ${i}`, "response");
      }
      max = Math.max(max, Math.abs(v));
    }
    const unit = new Float32Array(raw.length);
    if (max === 0) return unit;
    let sum = 0;
    for (const v of raw) sum += (v / max) ** 2;
    const norm = Math.sqrt(sum);
    for (let i = 0; i < raw.length; i++) unit[i] = raw[i]! / max / norm;
    return unit;
  }

  const probe = await embedBatch([PROBE_TEXT]);
  const dimensions = probe[0]!.length;
  if (dimensions === 0) throw fail("answered the probe with an empty vector", "response");
  toUnit(probe[0]!, 0, dimensions);

  return {
    version: `http:${api}:${model}:${dimensions}`,
    dimensions,
    async embed(texts) {
      const out: Float32Array[] = [];
      // One batch at a time: the service is usually one local process, and order stays plain.
      for (let start = 0; start < texts.length; start += batchSize) {
        const raw = await embedBatch(texts.slice(start, start + batchSize));
        raw.forEach((vector, i) => out.push(toUnit(vector, start + i, dimensions)));
      }
      return out;
    },
  };
}

// ---- The answers' shapes. Only what we use; other fields are ignored. ----

const openAiSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.unknown()), index: z.number().int().nonnegative().optional() })),
});
const ollamaSchema = z.object({ embeddings: z.array(z.array(z.unknown())) });

/** Vectors in input order, or what is wrong with the answer. */
function openAiVectors(body: unknown, count: number): number[][] | string {
  const parsed = openAiSchema.safeParse(body);
  if (!parsed.success) return `answer is not an OpenAI embeddings response (${describeIssue(parsed.error)})`;
  const data = parsed.data.data;
  if (data.length !== count) return `sent ${count} texts but got ${data.length} vectors back`;
  // The API gives each vector the index of its input; servers do not promise to keep order.
  if (data.every((d) => d.index === undefined)) return data.map((d) => d.embedding as number[]);
  const ordered: number[][] = new Array(count);
  for (const d of data) {
    if (d.index === undefined || d.index >= count || ordered[d.index] !== undefined) {
      return `answer's indexes are not 0..${count - 1}, each once`;
    }
    ordered[d.index] = d.embedding as number[];
  }
  return ordered;
}

function ollamaVectors(body: unknown): number[][] | string {
  const parsed = ollamaSchema.safeParse(body);
  if (!parsed.success) return `answer is not an Ollama embed response (${describeIssue(parsed.error)})`;
  return parsed.data.embeddings as number[][];
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  const path = issue.path.length ? issue.path.map(String).join(".") : "body";
  return `${path}: ${issue.message}`;
}

// ---- One POST over node:http. ----

interface RawAnswer {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

class TimeoutFailure extends Error {}
class TooLargeFailure extends Error {}
class RetryableStatus extends Error {
  constructor(readonly answer: RawAnswer) {
    super(`HTTP ${answer.status}`);
  }
}

/**
 * POSTs once and reads the whole answer, whatever its status. Rejects with TimeoutFailure when
 * the answer is not complete within timeoutMs (a server that sends headers and then stalls is as
 * slow as one that never answers), TooLargeFailure, or the socket's own error.
 */
function postOnce(endpoint: URL, payload: string, headers: Record<string, string>, timeoutMs: number): Promise<RawAnswer> {
  const isHttps = endpoint.protocol === "https:";
  const transport = isHttps ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, answer?: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(answer!);
    };
    // Credentials in the URL go out as Basic auth, unless an API key set Authorization already.
    const req = transport.request(
      endpoint,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(payload)) },
        agent: isHttps ? agents.https : agents.http,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) settle(new TooLargeFailure());
          else chunks.push(chunk);
        });
        res.on("error", (e) => settle(e));
        res.on("aborted", () => settle(Object.assign(new Error("connection closed mid-answer"), { code: "ECONNRESET" })));
        res.on("end", () =>
          settle(undefined, {
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            contentType: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    const timer = setTimeout(() => settle(new TimeoutFailure()), timeoutMs);
    req.on("socket", (socket) => socket.setNoDelay(true));
    req.on("error", (e) => settle(e));
    req.end(payload);
  });
}

// ---- Messages without secrets. ----

/** The endpoint as it may appear in a message or a log: no user, password or query string. */
function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Belt and braces: a server may echo the Authorization header back in its error body. */
function redact(message: string, secrets: string[]): string {
  let out = message;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}

function snippet(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  if (!flat) return "(empty)";
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describeStatus(answer: RawAnswer): string {
  const head = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`;
  // OpenAI-style servers answer {"error": {"message"}}, Ollama {"error": "..."}.
  let detail: string | undefined;
  try {
    const body = JSON.parse(answer.body) as { error?: unknown };
    const error = body?.error;
    if (typeof error === "string") detail = error;
    else if (error && typeof (error as { message?: unknown }).message === "string") detail = (error as { message: string }).message;
  } catch {
    // Not JSON: the raw text below.
  }
  return `${head}: ${snippet(detail ?? answer.body)}`;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return "request failed";
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `could not connect or lost the connection (${code})` : `request failed (${error.message})`;
}
