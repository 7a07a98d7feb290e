import { describe, expect, it } from "vitest";
import da from "../../app/locales/da.json";
import en from "../../app/locales/en.json";
import { formatDate, formatDkk } from "../../app/lib/format";

function keys(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe("translations", () => {
  it("have the same keys in Danish and English", () => {
    expect(keys(en).sort()).toEqual(keys(da).sort());
  });

  it("write English without Danish letters, except in Danish names (a copied Danish text would show them)", () => {
    const value = (key: string) => key.split(".").reduce<any>((o, p) => o?.[p], en) as string;
    const names = /Nørrebro|København\w*|Østerbro|Brønshøj|Vanløse|Amager Øst|Tilgængelighedserklæring/g;
    const danish = keys(en).filter((k) => /[æøå]/i.test(value(k).replace(names, "")));
    expect(danish).toEqual([]);
  });

  it("have no empty strings", () => {
    const empty = (obj: unknown) => keys(obj).filter((k) => k.split(".").reduce<any>((o, p) => o?.[p], obj) === "");
    expect(empty(da)).toEqual([]);
    expect(empty(en)).toEqual([]);
  });
});

describe("formatting", () => {
  it("writes dates the Danish way, in Copenhagen time", () => {
    expect(formatDate("2026-03-31", "da")).toBe("31. marts 2026");
    expect(formatDate("2026-03-31", "en")).toBe("31 March 2026");
    // 23:30 UTC on 31 October is already 1 November in Copenhagen (after the change to winter time).
    expect(formatDate("2026-10-31T23:30:00Z", "da")).toBe("1. november 2026");
    // 22:30 UTC on 28 March is still 28 March (UTC+1); the next evening it is 29 March at 00:30 (UTC+2).
    expect(formatDate("2026-03-28T22:30:00Z", "da")).toBe("28. marts 2026");
    expect(formatDate("2026-03-29T22:30:00Z", "da")).toBe("30. marts 2026");
  });

  it("writes amounts in kroner the Danish way", () => {
    expect(formatDkk(1644638, "da")).toBe("1.644.638 kr.");
    expect(formatDkk(1644638, "en")).toBe("DKK 1,644,638");
  });
});
