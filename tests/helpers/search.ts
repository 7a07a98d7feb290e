// The run's shared Meilisearch, under an index prefix of this test file's own.
import crypto from "node:crypto";
import { inject } from "vitest";
import { createSearchContext, type SearchContext } from "../../search/client";

export function testSearchContext(label = "t"): SearchContext {
  const prefix = `test_${label}_${crypto.randomBytes(4).toString("hex")}_`;
  return createSearchContext({ url: inject("meiliUrl"), apiKey: inject("meiliKey"), indexPrefix: prefix });
}

export async function waitUntil<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
