// Assembles the running portal: SQLite (migrated, reference data loaded, demo data when empty),
// Meilisearch (embedded or external), the outbox worker, and the Remix app behind Express.
// `npm start`, the browser tests and the query-table test all start it through here.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import express from "express";
import type { OpenDatabase } from "../../db/client";
import { countChallenges } from "../../db/queries/challenges";
import { createSearchContext, indexName, isUnreachable, describeSearchError, type SearchContext } from "../../search/client";
import { EmbeddedMeili } from "../../search/embedded-meili";
import { SearchIndexer } from "../../search/indexer";
import { Matcher } from "../../search/matcher/engine";
import { MatchWorker } from "../../search/matcher/worker";
import { createHttpEmbedder } from "../../search/matcher/http-embedder";
import type { Embedder } from "../../search/matcher/types";
import { createLogger, type Logger } from "../../db/log";
import { reindexAll } from "../../search/reindex";
import { ensureIndex } from "../../search/settings";
import "../../app/context.server";
import { createCvrRegister } from "../../app/organisations/cvr-register.server";
import { logTransport, Mailer, smtpTransport } from "../../app/mail/mailer.server";
import { NotificationScheduler } from "../../app/notifications/notify.server";
import { BUILD_DIR, SERVER_BUILD } from "./build";
import type { Config } from "./config";
import { prepareDatabase } from "./database";
import { finalErrorHandler, portalHandler } from "./request-guards";
import { cspNonceOf, securityHeaders } from "./security-headers";
import { PageCache } from "./page-cache";

export interface Portal {
  url: string;
  config: Config;
  database: OpenDatabase;
  search: SearchContext;
  indexer: SearchIndexer;
  matcher: MatchWorker;
  mailer: Mailer;
  notifier: NotificationScheduler;
  meili?: EmbeddedMeili;
  log: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Serve through Vite's dev server with hot reload instead of the production build. */
  dev?: boolean;
}

/** Connects to the configured Meilisearch, or starts the embedded one. */
export async function connectSearch(config: Config, log: Logger, vectorDimensions?: number): Promise<{ search: SearchContext; meili?: EmbeddedMeili }> {
  if (config.meiliUrl) {
    log.info("using external meilisearch", { url: config.meiliUrl });
    return {
      search: createSearchContext({ url: config.meiliUrl, apiKey: config.meiliMasterKey, indexPrefix: config.meiliIndexPrefix, vectorDimensions }),
    };
  }
  const meili = new EmbeddedMeili({ dir: path.join(config.dataDir, "meili"), masterKey: config.meiliMasterKey, log });
  const url = await meili.start();
  return { meili, search: createSearchContext({ url, apiKey: meili.masterKey, indexPrefix: config.meiliIndexPrefix, vectorDimensions }) };
}

/**
 * The configured embedding service, asked once for its vector size. A service that does not
 * answer stops the start: silently falling back would mix two kinds of vectors.
 */
async function connectEmbedder(config: Config, log: Logger): Promise<Embedder | undefined> {
  if (!config.embedder) return undefined;
  try {
    const embedder = await createHttpEmbedder(config.embedder);
    log.info("using an embedding service for the matcher", { version: embedder.version });
    return embedder;
  } catch (error) {
    throw new Error(`EMBEDDER_URL: the embedding service did not answer as expected: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Brings index settings up to date, and rebuilds from SQLite when an index is empty but the
 * database is not (a new or wiped Meilisearch). An outage here is not fatal: the worker waits.
 */
async function prepareIndexes(database: OpenDatabase, search: SearchContext, log: Logger): Promise<void> {
  try {
    for (const kind of ["challenges", "solutions"] as const) {
      const changed = await ensureIndex(search, kind);
      if (changed.length > 0) log.info("index settings applied", { index: indexName(search, kind), changed: changed.join(",") });
    }
    const stats = await search.client.index(indexName(search, "challenges")).getStats();
    if (stats.numberOfDocuments === 0 && (await countChallenges(database.db)) > 0) {
      log.info("search index is empty; rebuilding it from the database");
      await reindexAll(database.db, search, { log });
    }
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    log.warn("search not ready at start-up; the portal serves from the database until it is", {
      error: describeSearchError(error),
    });
  }
}

async function loadServerBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests from other sites: the Origin (or, failing that, Referer) must
 * be this portal's public address or the address the request was sent to. Browsers send Origin
 * with every form post, so real users never meet this.
 */
export function sameOriginOnly(publicBaseUrl: string): express.RequestHandler {
  const publicOrigin = new URL(publicBaseUrl).origin;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    // RFC 8058 one-click unsubscribe: mail providers POST without an Origin, and the token in
    // the URL is all the authority the request needs (it can only end that one subscription).
    if (req.path === "/unsubscribe") return next();
    const source = req.get("origin") ?? req.get("referer");
    let origin: string | undefined;
    try {
      origin = source ? new URL(source).origin : undefined;
    } catch {
      origin = undefined;
    }
    const own = `${req.protocol}://${req.get("host")}`;
    if (origin && (origin === publicOrigin || origin === own)) return next();
    res.status(403).type("text/plain; charset=utf-8").send("Forespørgslen kom fra et andet websted og er afvist. / The request came from another site and was refused.\n");
  };
}

export async function startPortal(config: Config, options: StartOptions = {}): Promise<Portal> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = await prepareDatabase(config, log);
  const embedder = await connectEmbedder(config, log);
  const { search, meili } = await connectSearch(config, log, embedder?.dimensions);
  await prepareIndexes(database, search, log);

  const indexer = new SearchIndexer(database.db, search, { log });
  indexer.start();
  // Suggestions follow every write through the outbox; the model is fitted on the first round
  // when there is none, and refitted when enough of the corpus changed (checked hourly).
  const matcher = new MatchWorker(database.db, new Matcher(database.db, search, { log, embedder, fitProcess: { databaseFile: config.databasePath } }), { log, refitCheckMs: config.matchRefitCheckMs });
  matcher.start();
  const mailer = new Mailer(database.db, config.smtpUrl ? smtpTransport(config.smtpUrl) : logTransport(log), { from: config.mailFrom, log });
  mailer.start();
  const notifier = new NotificationScheduler(database.db, {
    publicBaseUrl: config.publicBaseUrl,
    intervalMs: config.notifyCheckMs ?? 15 * 60_000,
    log,
    afterQueue: () => mailer.nudge(),
  });
  notifier.start();
  meili?.on("restarted", () => {
    log.info("meilisearch is back; delivering waiting writes");
    indexer.nudge();
    matcher.nudge();
  });

  const shared = {
    db: database.db,
    search,
    publicBaseUrl: config.publicBaseUrl,
    securityContact: config.securityContact,
    log,
    afterWrite: () => {
      indexer.nudge();
      matcher.nudge();
      mailer.nudge();
    },
    mailServer: Boolean(config.smtpUrl),
    cvrRegister: config.cvrApiUrl ? createCvrRegister({ baseUrl: config.cvrApiUrl, userAgent: config.cvrUserAgent }) : undefined,
  };
  // req.ip is the socket's address, or X-Forwarded-For's as far as it came through trusted proxies.
  const loadContext = (req: express.Request, res: express.Response): AppLoadContext => ({
    ...shared,
    clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
    cspNonce: cspNonceOf(res),
    degraded: () => {},
  });
  const pageCache = new PageCache(database.sqlite, { seconds: config.pageCacheSeconds ?? 30 });

  const app = express();
  app.use(securityHeaders({ publicBaseUrl: config.publicBaseUrl, dev: options.dev }));
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustedProxies.length > 0 ? config.trustedProxies : false);
  let closeVite: (() => Promise<void>) | undefined;
  if (options.dev) {
    const vite = await import("vite");
    const server = await vite.createServer({ server: { middlewareMode: true } });
    closeVite = () => server.close();
    const remix = portalHandler({ build: () => server.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>, getLoadContext: loadContext, mode: "development", log });
    app.use(remix.guard);
    app.use(sameOriginOnly(config.publicBaseUrl));
    app.use(server.middlewares);
    app.all("*", remix.handler);
  } else {
    const remix = portalHandler({ build: await loadServerBuild(), getLoadContext: loadContext, mode: "production", log, pageCache });
    app.use(remix.guard);
    app.use(sameOriginOnly(config.publicBaseUrl));
    app.use("/assets", express.static(path.join(BUILD_DIR, "client", "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" }));
    app.all("*", remix.handler);
  }
  app.use(finalErrorHandler(log));

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;

  let stopped = false;
  return {
    url,
    config,
    database,
    search,
    indexer,
    matcher,
    mailer,
    notifier,
    meili,
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await closeVite?.();
      await indexer.stop();
      await matcher.stop();
      await notifier.stop();
      await mailer.stop();
      await meili?.stop();
      await database.close();
    },
  };
}
