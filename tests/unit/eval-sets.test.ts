// The judged sets `npm run eval -- --set DIR` reads: the committed hard set loads whole, and a
// judgment naming a record the folder does not have stops the run with its file and line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { folderSet } from "../../search/eval/sets";

describe("a judged folder", () => {
  it("loads the committed hard set: every challenge judged, every judged id a record", () => {
    const set = folderSet("search/eval/hard");
    expect(set.challenges).toHaveLength(40);
    expect(set.solutions.length).toBeGreaterThanOrEqual(120);
    expect(set.qrels.size).toBe(40);
    const solutionIds = new Set(set.solutions.map((s) => s.id));
    for (const judged of set.qrels.values()) for (const id of judged.keys()) expect(solutionIds.has(id)).toBe(true);
    expect(set.warnings).toEqual([]);
  });

  it("names the file and line of a judgment about an unknown solution", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-set-"));
    try {
      fs.writeFileSync(path.join(dir, "challenges.jsonl"), `${JSON.stringify({ id: "c1", title: "Ensomhed", description: "Ældre er ensomme." })}\n`);
      fs.writeFileSync(path.join(dir, "solutions.jsonl"), `${JSON.stringify({ id: "s1", title: "Besøgsven", description: "Frivillige besøger ældre." })}\n`);
      fs.writeFileSync(path.join(dir, "judgments.tsv"), "challenge\tsolution\tgrade\tnote\nc1\ts1\t3\tfits\nc1\ts9\t2\tmissing\n");
      expect(() => folderSet(dir)).toThrow(/judgments\.tsv:3: solution "s9" is not in/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
