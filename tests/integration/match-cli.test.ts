// `npm run match` as a person or a script runs it: JSONL in, JSONL out, exit code 2 with the
// file, line and field on a malformed line.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-match-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/match.ts", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const challenges = [
  { id: "c-ensomhed", title: "Ensomhed blandt ældre", description: "Mange ældre i Bispebjerg sidder alene og savner fællesskab og besøg.", districts: ["Bispebjerg"], targetGroups: ["ældre"], sdgs: [3, "10.2"], department: "SUF" },
  { id: "c-cykler", title: "", description: "We want more people in the outer districts to cycle, and bikes repaired cheaply by people out of work." },
  { id: "c-madspild", description: "Butikkerne smider overskudsmad ud. Vi søger nogen, der kan dele madspild ud i boligområderne.", language: "da", districts: ["Et sted vi ikke kender"] },
];
const solutions = [
  { id: "s-besog", title: "Besøgsvenner", description: "Frivillige besøgsvenner besøger ensomme ældre hver uge og tager dem med til fællesspisning.", targetGroups: ["aeldre"], districts: ["bispebjerg"], organization: "Formiddagsstuen" },
  { id: "s-cykel", title: "Cykelværksted", description: "Ledige reparerer cykler i vores værksted og lærer mekanik.", organization: "Cykelkælderen" },
  { id: "s-mad", title: "Madspild til boligområder", description: "Vi henter overskudsmad i butikker og deler den ud i almene boligområder.", extra: "ignored" },
  { id: "s-byg", title: "Genbrug af mursten", description: "Vi genbruger mursten og vinduer fra nedrivninger." },
];

describe("npm run match", () => {
  it("writes the top k solutions of every challenge, in input order, best first, with scores in [0, 1] and reasons", async () => {
    const out = path.join(dir, "out.jsonl");
    const r = await run(["--challenges", write("c.jsonl", challenges), "--solutions", write("s.jsonl", solutions), "--top", "3", "--out", out], {
      MEILI_URL: inject("meiliUrl"),
      MEILI_MASTER_KEY: inject("meiliKey"),
    });
    expect(r.stderr).toContain("matched 3/3 challenges");
    expect(r.code).toBe(0);
    const rows = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows).toHaveLength(9);
    expect(rows.map((x) => x.challengeId)).toEqual(["c-ensomhed", "c-ensomhed", "c-ensomhed", "c-cykler", "c-cykler", "c-cykler", "c-madspild", "c-madspild", "c-madspild"]);
    expect(rows.map((x) => x.rank)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["challengeId", "rank", "reasons", "score", "solutionId"]);
      expect(row.score).toBeGreaterThanOrEqual(0);
      expect(row.score).toBeLessThanOrEqual(1);
      expect(Array.isArray(row.reasons)).toBe(true);
      for (const reason of row.reasons) expect(typeof reason.kind).toBe("string");
    }
    const best = Object.fromEntries(rows.filter((x) => x.rank === 1).map((x) => [x.challengeId, x.solutionId]));
    expect(best).toEqual({ "c-ensomhed": "s-besog", "c-cykler": "s-cykel", "c-madspild": "s-mad" });
    for (const c of ["c-ensomhed", "c-cykler", "c-madspild"]) {
      const scores = rows.filter((x) => x.challengeId === c).map((x) => x.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
    // Its indexes lived under a prefix of their own and are gone.
    const res = await fetch(`${inject("meiliUrl")}/indexes?limit=1000`, { headers: { Authorization: `Bearer ${inject("meiliKey")}` } });
    const { results } = (await res.json()) as { results: Array<{ uid: string }> };
    expect(results.filter((i) => i.uid.startsWith("match_"))).toEqual([]);
  }, 120_000);

  it("lists every solution when there are fewer than k, on stdout", async () => {
    const r = await run(["--challenges", write("c1.jsonl", challenges.slice(0, 1)), "--solutions", write("s2.jsonl", solutions.slice(0, 2))], {
      MEILI_URL: inject("meiliUrl"),
      MEILI_MASTER_KEY: inject("meiliKey"),
    });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((x) => x.solutionId)).toEqual(["s-besog", "s-cykel"]);
  }, 120_000);

  it.each([
    ["a missing description", [challenges[0], { id: "c2", title: "Uden tekst" }], ":2: description: is required"],
    ["a line that is not JSON", [challenges[0], challenges[1], "{not json"], ":3: line: not valid JSON"],
    ["a number where a string belongs", [{ id: 7, description: "x" }], ":1: id: must be a string"],
    ["a wrong language", [{ id: "c", description: "x", language: "de" }], ':1: language: must be "da" or "en"'],
    ["districts that are not a list", [{ id: "c", description: "x", districts: "Valby" }], ":1: districts: must be an array of strings"],
    ["the same id twice", [challenges[0], challenges[0]], ':2: id: "c-ensomhed" appears twice'],
  ])("stops with exit code 2, the file, line and field on %s", async (_what, lines, message) => {
    const file = write("bad.jsonl", lines);
    const r = await run(["--challenges", file, "--solutions", write("ok.jsonl", solutions)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}${message}`);
    expect(r.stdout).toBe("");
  });

  it("explains its arguments with exit code 2", async () => {
    const r = await run(["--challenges", "x.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--solutions FILE is required");
    const t = await run(["--challenges", "x", "--solutions", "y", "--top", "0"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("--top must be a whole number");
  });
});
