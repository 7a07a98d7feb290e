// `npm start` serves the production build, building it first when it is missing or older than
// the sources it is made from.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUILD_DIR = path.join(ROOT, "build");
export const SERVER_BUILD = path.join(BUILD_DIR, "server", "index.js");

/** What the browser and server bundles are built from. */
const SOURCES = ["app", "db", "search", "vite.config.ts", "package-lock.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

export function buildIsStale(root: string = ROOT): boolean {
  const server = path.join(root, "build", "server", "index.js");
  if (!fs.existsSync(server)) return true;
  const built = fs.statSync(server).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

export async function runBuild(root: string = ROOT): Promise<void> {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve("@remix-run/dev/package.json")), "dist", "cli.js");
  await new Promise<void>((resolve, reject) => {
    // NODE_ENV=production whatever the caller runs under (vitest sets "test"), or React's
    // development build would be bundled.
    const child = spawn(process.execPath, [cli, "vite:build"], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`The build failed (exit code ${code})`))));
  });
}

export async function ensureBuild(log: (message: string) => void = () => {}): Promise<void> {
  if (!buildIsStale()) return;
  log("building the portal (first start, or sources changed)…");
  await runBuild();
}
