// `npm run load`: how the portal's pages hold up under concurrent visitors, with figures for the
// README. Starts a portal of its own (a temporary DATA_DIR with the demo data and an embedded
// Meilisearch, as `npm start` makes them) unless --url names a running one, waits until its
// outbox is drained (the first fit and suggestions done), then drives autocannon over the front
// page, both lists, a search of each and a detail page of each, at each connection count.
//
//   npm run load -- [--url URL] [--connections 8,32] [--duration S] [--warmup S]
//
// Prints per page and connection count: requests per second, latency p50/p95/p99, errors
// (connection failures and timeouts) and answers other than 2xx; then the portal's and its
// Meilisearch's peak resident memory (only for a portal this script started: their
// /proc/<pid>/status VmHWM). Progress goes to stderr, the results to stdout. Exit codes: 0 done,
// 1 the run failed, 2 the arguments are wrong.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { ROOT } from "./lib/build";
import { meiliChildOf, procStatusKb } from "./lib/processes";

const USAGE = `usage: npm run load -- [--url URL] [--connections 8,32] [--duration S] [--warmup S]
  --url URL          a running portal to load (default: start one with the demo data)
  --connections L    comma-separated connection counts (default 8,32)
  --duration S       seconds of load per page and connection count (default 10)
  --warmup S         seconds of unmeasured load before each page's first run (default 2)`;

interface Options {
  url?: string;
  connections: number[];
  duration: number;
  warmup: number;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      connections: { type: "string", default: "8,32" },
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const whole = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}`);
    return n;
  };
  let url: string | undefined;
  if (values.url) {
    try {
      url = new URL(values.url).origin;
    } catch {
      throw new UsageError("--url must be an address such as http://127.0.0.1:3000");
    }
  }
  return {
    url,
    connections: values.connections.split(",").map((c) => whole("connections", c.trim(), 1)),
    duration: whole("duration", values.duration, 1),
    warmup: whole("warmup", values.warmup, 0),
  };
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A portal started as `npm start` starts it, in a folder of its own; resolves once it listens. */
async function startOwnPortal(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-load-"));
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_PATH: "", PORT: String(port), HOST: "127.0.0.1", PUBLIC_BASE_URL: "", LOG_LEVEL: "info", DEMO_DATA: "true", MEILI_URL: "", MEILI_MASTER_KEY: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /Samskab is running at (http:\/\/[^\s"]+)/.exec(seen);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.once("exit", (code) => reject(new Error(`the portal stopped before it listened (exit ${code}):\n${seen.slice(-2000)}`)));
  });
  return { url, child, dataDir };
}

/** Waits until search is up and nothing waits in the outbox (a fresh portal's first fit and suggestions). */
async function settled(url: string, timeoutMs = 600_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      const body = (await res.json()) as { search?: string; outbox?: { pending?: number } };
      if (body.search === "up" && body.outbox?.pending === 0) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > until) throw new Error("the portal did not settle: search down or the outbox not drained");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The first result of a list page, for the detail pages. */
async function firstResult(url: string, list: string): Promise<string> {
  const html = await (await fetch(`${url}${list}`)).text();
  const id = /data-result-id="(\d+)"/.exec(html)?.[1];
  if (!id) throw new Error(`${list} shows no results to open`);
  return `${list}/${id}`;
}

interface Figures {
  page: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One autocannon run; its own percentiles stop at p97.5, so p95 comes from every response's time. */
async function run(url: string, page: string, connections: number, seconds: number): Promise<Figures> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${url}${page}`, connections, duration: seconds }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    page,
    connections,
    requestsPerSecond: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : "–");

function table(rows: Figures[]): string {
  const head = ["page", "conns", "req/s", "p50", "p95", "p99", "errors", "non-2xx"];
  const body = rows.map((r) => [r.page, String(r.connections), r.requestsPerSecond.toFixed(0), ms(r.p50), ms(r.p95), ms(r.p99), String(r.errors), String(r.non2xx)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...body.map(line)].join("\n");
}

async function main(options: Options): Promise<void> {
  let own: Awaited<ReturnType<typeof startOwnPortal>> | undefined;
  try {
    let url = options.url;
    if (!url) {
      progress("starting a portal with the demo data…");
      own = await startOwnPortal();
      url = own.url;
    }
    progress(`waiting for ${url} to settle…`);
    await settled(url);
    const pages = ["/", "/challenges", "/challenges?q=ensomhed%20%C3%A6ldre", "/solutions", "/solutions?q=madspild", await firstResult(url, "/challenges"), await firstResult(url, "/solutions")];
    const rows: Figures[] = [];
    for (const page of pages) {
      if (options.warmup > 0) await run(url, page, options.connections[0]!, options.warmup);
      for (const connections of options.connections) {
        progress(`${page} at ${connections} connections for ${options.duration} s…`);
        rows.push(await run(url, page, connections, options.duration));
      }
    }
    const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    process.stdout.write(`\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${load} at the end\n\n${table(rows)}\n`);
    if (own?.child.pid) {
      const portalKb = procStatusKb(own.child.pid, "VmHWM");
      const meiliPid = meiliChildOf(own.child.pid);
      const meiliKb = meiliPid ? procStatusKb(meiliPid, "VmHWM") : undefined;
      const mb = (kb: number | undefined) => (kb ? `${(kb / 1024).toFixed(0)} MB` : "–");
      process.stdout.write(`\npeak RSS: portal ${mb(portalKb)}, Meilisearch ${mb(meiliKb)}\n`);
    }
  } finally {
    if (own) {
      const exited = new Promise((r) => own!.child.once("exit", r));
      own.child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (own.child.exitCode === null) own.child.kill("SIGKILL");
      fs.rmSync(own.dataDir, { recursive: true, force: true });
    }
  }
}

let options: Options | "help";
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
if (options === "help") {
  process.stdout.write(`${USAGE}\n`);
} else {
  main(options).catch((error) => {
    process.stderr.write(`load failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
