// The Meilisearch client. Node 20's fetch adds ~40 ms to small requests (a delayed-ACK stall), so
// requests go through node:http with keep-alive and Nagle off; a search then takes a few ms.
import http from "node:http";
import https from "node:https";
import { Meilisearch, MeilisearchApiError, MeilisearchError, type Task } from "meilisearch";

export interface SearchConfig {
  url: string;
  apiKey?: string;
  /** Prefix of every index name, so tests and tools can share a server. */
  indexPrefix: string;
  timeoutMs?: number;
  /** Size of the matcher's vectors (its LSA fit, or an HTTP embedder's); 128 when not said. */
  vectorDimensions?: number;
}

export interface SearchContext {
  client: Meilisearch;
  indexPrefix: string;
  vectorDimensions?: number;
}

export type IndexKind = "challenges" | "solutions";

export function indexName(ctx: Pick<SearchContext, "indexPrefix">, kind: IndexKind): string {
  return `${ctx.indexPrefix}${kind}`;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

function bodyOf(body: RequestInit["body"]): string | Buffer | undefined {
  if (body == null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError(`Unsupported request body for Meilisearch: ${Object.prototype.toString.call(body)}`);
}

/** A fetch-shaped function that returns parsed JSON, as meilisearch-js's httpClient option wants. */
export function keepAliveHttpClient(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<unknown> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const transport = url.protocol === "https:" ? https : http;
  const body = bodyOf(init?.body);
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    headers[key] = value;
  });
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));

  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: init?.method ?? "GET",
        headers,
        agent: url.protocol === "https:" ? agents.https : agents.http,
        signal: init?.signal ?? undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(parsed);
          else reject(new MeilisearchApiError(new Response(text, { status }), parsed as never));
        });
      },
    );
    req.on("socket", (socket) => socket.setNoDelay(true));
    req.on("error", reject);
    req.end(body);
  });
}

export function createSearchContext(config: SearchConfig): SearchContext {
  const client = new Meilisearch({
    host: config.url,
    apiKey: config.apiKey,
    httpClient: keepAliveHttpClient,
    timeout: config.timeoutMs ?? 5_000,
    defaultWaitOptions: { timeout: 60_000, interval: 25 },
  });
  return { client, indexPrefix: config.indexPrefix, vectorDimensions: config.vectorDimensions };
}

/**
 * Waits for an asynchronous Meilisearch task to finish. (meilisearch-js's own waitTask leaves an
 * abort listener behind on every poll, which Node reports as a leak on long waits.)
 */
export async function waitForTask(
  search: Pick<SearchContext, "client">,
  taskOrUid: number | { taskUid: number } | PromiseLike<{ taskUid: number }>,
  timeoutMs = 120_000,
): Promise<Task> {
  const resolved = await taskOrUid;
  const uid = typeof resolved === "number" ? resolved : resolved.taskUid;
  const until = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const task = await search.client.tasks.getTask(uid);
    if (task.status === "succeeded" || task.status === "failed" || task.status === "canceled") return task;
    if (Date.now() > until) throw new Error(`Meilisearch task ${uid} did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(100, delay * 2);
  }
}

/**
 * Deletes every index under the context's prefix and waits until Meilisearch has (a deletion is
 * a queued task): the command-line tools and the tests leave nothing behind on a shared server.
 */
export async function dropIndexes(search: SearchContext, timeoutMs = 30_000): Promise<void> {
  const { results } = await search.client.getIndexes({ limit: 1000 });
  for (const index of results) {
    if (index.uid.startsWith(search.indexPrefix)) await waitForTask(search, search.client.deleteIndex(index.uid), timeoutMs);
  }
}

/** The Meilisearch API error behind an error, if the server answered with one. */
export function apiErrorOf(error: unknown): MeilisearchApiError | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
    if (e instanceof MeilisearchApiError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * True when the server could not be reached or did not answer in time (an outage), as opposed
 * to the server rejecting a request (a bad document, a bad setting).
 */
export function isUnreachable(error: unknown): boolean {
  const api = apiErrorOf(error);
  if (api) return api.response.status >= 500;
  // A request that never got an answer (refused, reset, timed out). Our own bugs are not outages.
  return error instanceof MeilisearchError;
}

/** A short description of a search error that never includes the API key or request headers. */
export function describeSearchError(error: unknown): string {
  const api = apiErrorOf(error);
  if (api) {
    const body = api.cause as { code?: string; message?: string } | undefined;
    return `Meilisearch ${api.response.status}${body?.code ? ` ${body.code}` : ""}: ${body?.message ?? api.message}`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `Meilisearch unreachable (${cause.code})`;
  if (error instanceof MeilisearchError) return `Meilisearch unreachable (${error.name})`;
  // Not from the server: our own error, whose message holds no secret.
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
