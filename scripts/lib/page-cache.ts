// Pages as a visitor without an account sees them are the same for every such visitor: the page
// cache keeps the finished answer (HTML, or the data of a client-side navigation) and serves it
// again until anything in the database changes, or PAGE_CACHE_SECONDS pass (dates and deadlines
// move with the clock). "Anything changes" is read off SQLite itself, so no write can be missed:
// `total_changes()` counts this connection's writes, `PRAGMA data_version` moves when another
// connection (the matcher's fit thread, a command-line script) commits. The search index follows
// the database through the outbox, whose rows are marked delivered only once Meilisearch has
// applied the change, so that marking invalidates too.
//
// Kept only: GET, no cookie but the language one, status 200, no Set-Cookie, no `no-store` or
// `private`, nothing written while it was made, and not answered from a fallback (search down).
// The CSP nonce is new for every answer: it is cut out of the kept HTML and the new one put in.
import type SQLite from "better-sqlite3";

export interface PageCacheOptions {
  /** How long an answer may be served again when nothing changed; 0 turns the cache off. */
  seconds: number;
  /** At most this many bytes of answers are kept; the least recently used go first. */
  maxBytes?: number;
  now?: () => number;
}

interface Kept {
  generation: string;
  madeAt: number;
  status: number;
  headers: [string, string][];
  /** The body, encoded, cut at each place the nonce stood. */
  parts: Uint8Array[];
  bytes: number;
}

/** Per answer: whether it may be kept. Loaders that answer from a fallback say it may not. */
export interface CacheVerdict {
  keep: boolean;
}

const COOKIES_OF_ANONYMOUS_VISITORS = new Set(["lang"]);
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function cookieNames(header: string | null): string[] {
  if (!header) return [];
  return header.split(";").map((part) => part.split("=")[0]!.trim()).filter(Boolean);
}

function languageCookie(header: string | null): string {
  const match = header?.match(/(?:^|;\s*)lang=([^;]*)/);
  return match?.[1] ?? "";
}

const encoder = new TextEncoder();

/**
 * A kept body with this answer's nonce between its parts, as a stream of the kept bytes
 * themselves: a hit copies nothing, which at thousands of answers a second is what keeps the
 * heap from growing.
 */
function streamOf(parts: Uint8Array[], nonce: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      parts.forEach((part, i) => {
        if (i > 0) controller.enqueue(nonce);
        controller.enqueue(part);
      });
      controller.close();
    },
  });
}

export class PageCache {
  private readonly kept = new Map<string, Kept>();
  private bytes = 0;
  private readonly totalChanges: SQLite.Statement;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: PageCacheOptions,
  ) {
    this.totalChanges = sqlite.prepare("SELECT total_changes()").pluck();
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = options.now ?? Date.now;
  }

  /** Serves `request` from the cache, or through `handle` and keeps the answer when it may. */
  async serve(
    request: Request,
    nonce: string,
    handle: (verdict: CacheVerdict) => Promise<Response>,
  ): Promise<Response> {
    const key = this.keyOf(request);
    if (key === undefined) return handle({ keep: false });
    const before = this.generation();
    const kept = this.kept.get(key);
    if (kept && kept.generation === before && this.now() - kept.madeAt < this.options.seconds * 1000) {
      // Most recently used last, so eviction takes the oldest first.
      this.kept.delete(key);
      this.kept.set(key, kept);
      return new Response(streamOf(kept.parts, encoder.encode(nonce)), { status: kept.status, headers: kept.headers });
    }
    const verdict: CacheVerdict = { keep: true };
    const response = await handle(verdict);
    if (!this.mayKeep(response)) return response;
    const body = await response.text();
    if (verdict.keep && this.generation() === before) {
      const parts = (nonce ? body.split(nonce) : [body]).map((part) => encoder.encode(part));
      const bytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
      this.remember(key, { generation: before, madeAt: this.now(), status: response.status, headers: [...response.headers], parts, bytes });
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** The cache key, or undefined when this request's answer is not for everyone. */
  private keyOf(request: Request): string | undefined {
    if (this.options.seconds <= 0 || request.method !== "GET") return undefined;
    const cookie = request.headers.get("cookie");
    if (cookieNames(cookie).some((name) => !COOKIES_OF_ANONYMOUS_VISITORS.has(name))) return undefined;
    return `${languageCookie(cookie)} ${request.url}`;
  }

  private mayKeep(response: Response): boolean {
    if (response.status !== 200 || response.headers.has("set-cookie")) return false;
    const control = response.headers.get("cache-control") ?? "";
    return !/no-store|private/i.test(control);
  }

  private generation(): string {
    return `${this.sqlite.pragma("data_version", { simple: true })}:${this.totalChanges.get()}`;
  }

  private remember(key: string, entry: Kept): void {
    const previous = this.kept.get(key);
    if (previous) {
      this.kept.delete(key);
      this.bytes -= previous.bytes;
    }
    if (entry.bytes > this.maxBytes / 4) return;
    this.kept.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest, old] of this.kept) {
      if (this.bytes <= this.maxBytes) break;
      this.kept.delete(oldest);
      this.bytes -= old.bytes;
    }
  }
}
