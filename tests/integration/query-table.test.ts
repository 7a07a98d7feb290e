// The Danish search-quality table, run through HTTP against the list pages with the demo data:
// each query must show its expected document in the top 3, and never its look-alike in the top 10.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDemoData } from "../../db/demo";
import { resultIds, startTestPortal, type TestPortal } from "../helpers/portal";

interface Row {
  q: string;
  index: "challenges" | "solutions";
  kind: string;
  expect: string;
  notInTop10: string | null;
  why: string;
}

const table = JSON.parse(fs.readFileSync(new URL("./query-table.json", import.meta.url), "utf8")) as { queries: Row[] };
const demo = readDemoData();
const titles = new Map<string, string>([
  ...demo.challenges.map((c) => [c.key, c.title] as const),
  ...demo.solutions.map((s) => [s.key, s.title] as const),
]);

let portal: TestPortal;
const ids = new Map<string, number>();

beforeAll(async () => {
  portal = await startTestPortal();
  await portal.settled();
  for (const [key, title] of titles) {
    const table = key.startsWith("c") ? "challenges" : "solutions";
    const row = await portal.database.db.selectFrom(table).select("id").where("title", "=", title).executeTakeFirst();
    if (row) ids.set(key, row.id);
  }
});
afterAll(async () => {
  await portal?.close();
});

describe("the query table", () => {
  it("has at least 40 queries of every kind", () => {
    expect(table.queries.length).toBeGreaterThanOrEqual(40);
    for (const kind of ["typo", "folding", "compound", "synonym", "english"]) {
      expect(table.queries.filter((r) => r.kind === kind).length, kind).toBeGreaterThanOrEqual(5);
    }
  });

  it.each(table.queries.map((r) => [`${r.kind}: "${r.q}" finds ${r.expect} in ${r.index}`, r] as const))("%s", async (_name, row) => {
    const html = await portal.html(`/${row.index}?q=${encodeURIComponent(row.q)}`);
    const found = resultIds(html);
    const byId = new Map([...ids].map(([k, v]) => [`${k.startsWith("c") ? "challenges" : "solutions"}:${v}`, k]));
    const keys = found.map((id) => byId.get(`${row.index}:${id}`) ?? `?${id}`);
    expect(keys.slice(0, 3), `top results: ${keys.slice(0, 10).join(", ")}`).toContain(row.expect);
    if (row.notInTop10) expect(keys.slice(0, 10)).not.toContain(row.notInTop10);
  });
});
