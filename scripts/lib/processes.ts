// What the bench and the load script read about processes on this machine (Linux /proc).
import fs from "node:fs";
import path from "node:path";

/** A kB figure from /proc/<pid>/status ("VmHWM:   123456 kB"): the peak (VmHWM) or current (VmRSS) resident memory. */
export function procStatusKb(pid: number, field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The meilisearch processes visible here, with their parents. */
function meilisearchProcesses(): Array<{ pid: number; parent: number }> {
  const found: Array<{ pid: number; parent: number }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv0 = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0] ?? "";
      if (path.basename(argv0) !== "meilisearch") continue;
      const parent = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      found.push({ pid: Number(entry), parent });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** An external Meilisearch on this machine, if exactly one meilisearch process is visible. */
export function localMeiliPid(): number | undefined {
  const found = meilisearchProcesses();
  return found.length === 1 ? found[0]!.pid : undefined;
}

/** The embedded Meilisearch a portal process started. */
export function meiliChildOf(parent: number): number | undefined {
  return meilisearchProcesses().find((p) => p.parent === parent)?.pid;
}
