// What the portal's server refuses before any route runs, and how it hands the rest to Remix.
// A method no page takes is 405, a body no form sends 415, a body over the limit 413, a URL that
// is not a URL 400: each as the portal's own error page, in the visitor's language, rendered by
// app/routes/refused.tsx inside the layout. No answer ever carries a stack trace or a path: an
// unexpected error is logged with its context and answered with a plain 500.
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import type express from "express";
import type { Logger } from "../../db/log";
import type { PageCache } from "./page-cache";

/** The largest request body read (README: Security). The longest form, a challenge, stays far below. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Every page is read with GET (and HEAD) and every form is posted: nothing else is taken. */
const METHODS = new Set(["GET", "HEAD", "POST"]);
/**
 * What the portal's forms send, with and without JavaScript (Remix posts forms urlencoded too).
 * No form uploads a file, so multipart bodies, which the runtime's parser can choke on, are
 * refused with the rest.
 */
const FORM_TYPES = ["application/x-www-form-urlencoded"];

type Refusal = 400 | 405 | 413 | 415;

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Why a request is refused before its body is read, if it is. */
function refusalOf(req: express.Request): Refusal | undefined {
  if (!METHODS.has(req.method)) return 405;
  const raw = req.originalUrl;
  const path = raw.split("?")[0] ?? "";
  if (!raw.startsWith("/") || !isDecodable(path)) return 400;
  if (req.method === "POST") {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > BODY_LIMIT_BYTES) return 413;
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.includes(type)) return 415;
  }
  return undefined;
}

/** Reads a body up to the limit; undefined when it is longer. */
function readBody(req: express.Request, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

function headersOf(req: express.Request): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return headers;
}

async function send(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export interface PortalHandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "production" | "development";
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
  log: Logger;
  /** Keeps pages as visitors without an account see them; without it every request is rendered. */
  pageCache?: PageCache;
}

/**
 * Remix behind the guards. `guard` goes first, before static files (whose own path decoding
 * would otherwise answer a malformed URL with an error page of Express's); `handler` goes last
 * and gives Remix a request whose body was read within the limit.
 */
export function portalHandler(options: PortalHandlerOptions): { guard: express.RequestHandler; handler: express.RequestHandler } {
  const handle = createRequestHandler(options.build, options.mode);
  const origin = (req: express.Request) => `${req.protocol}://${req.get("host") ?? "localhost"}`;

  const refuse = async (req: express.Request, res: express.Response, status: Refusal) => {
    // The refusal page is a GET of its own route, with the visitor's cookies (language, session).
    const headers = headersOf(req);
    headers.delete("content-length");
    headers.delete("content-type");
    const page = new Request(`${origin(req)}/refused?status=${status}`, { headers });
    if (status === 405) res.setHeader("Allow", "GET, HEAD, POST");
    // A body that is not read is not waited for either.
    if (req.method === "POST") res.setHeader("Connection", "close");
    await send(res, await handle(page, options.getLoadContext(req, res)));
  };

  return {
    guard: async (req, res, next) => {
      const refusal = refusalOf(req);
      if (!refusal) return next();
      try {
        await refuse(req, res, refusal);
      } catch (error) {
        next(error);
      }
    },
    handler: async (req, res, next) => {
      try {
        const controller = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) controller.abort();
        });
        let body: Buffer | undefined;
        if (req.method === "POST") {
          body = await readBody(req, BODY_LIMIT_BYTES);
          if (!body) return await refuse(req, res, 413);
        }
        const request = new Request(`${origin(req)}${req.originalUrl}`, {
          method: req.method,
          headers: headersOf(req),
          body: body ? new Uint8Array(body) : undefined,
          signal: controller.signal,
        });
        const context = options.getLoadContext(req, res);
        const response = options.pageCache
          ? await options.pageCache.serve(request, context.cspNonce, (verdict) =>
              handle(request, { ...context, degraded: () => void (verdict.keep = false) }),
            )
          : await handle(request, context);
        await send(res, response);
      } catch (error) {
        next(error);
      }
    },
  };
}

/** The last word on an error nothing else handled: logged, answered in both languages, no internals. */
export function finalErrorHandler(log: Logger): express.ErrorRequestHandler {
  return (error, req, res, _next) => {
    log.error("request failed", { method: req.method, path: req.path.slice(0, 200), error });
    if (res.headersSent) return res.end();
    res
      .status(500)
      .type("text/plain; charset=utf-8")
      .send("Der skete en fejl hos os. Prøv igen om lidt.\nSomething went wrong on our side. Please try again in a moment.\n");
  };
}
