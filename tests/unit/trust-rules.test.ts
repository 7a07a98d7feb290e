// The small pure rules the trust work rests on, table by table.
import { describe, expect, it } from "vitest";
import { isCalendarDate } from "../../db/rules/calendar";
import { lookupOf, own } from "../../app/lib/lookup";
import { safeRedirect } from "../../app/lib/redirects";
import { createLogger, redactSecrets } from "../../db/log";
import { newSecret } from "../../db/tokens";

describe("safeRedirect", () => {
  it.each([
    ["/me", "/me"],
    ["/challenges?q=ældre#top", "/challenges?q=%C3%A6ldre#top"],
    ["/invitations/abc", "/invitations/abc"],
    ["//evil.example", "/fallback"],
    ["/\t/evil.example", "/fallback"],
    ["/\\evil.example", "/fallback"],
    ["\\\\evil.example", "/fallback"],
    ["https://evil.example/", "/fallback"],
    ["javascript:alert(1)", "/fallback"],
    ["/\r\nSet-Cookie: x=1", "/fallback"],
    ["/%0d%0aSet-Cookie:%20x=1", "/%0d%0aSet-Cookie:%20x=1"],
    ["me", "/fallback"],
    ["", "/fallback"],
    [`/${"a".repeat(2001)}`, "/fallback"],
  ])("%j goes to %j", (to, expected) => {
    expect(safeRedirect(to, "/fallback")).toBe(expected);
  });

  it("refuses what is not a string", () => {
    expect(safeRedirect(["/me"], "/fallback")).toBe("/fallback");
    expect(safeRedirect(undefined)).toBe("/me");
  });
});

describe("isCalendarDate", () => {
  it.each([
    ["2026-03-31", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["9999-99-99", false],
    ["0000-00-00", false],
    ["1999-12-31", false],
    ["2100-01-01", false],
    ["2026-3-1", false],
    ["2026-03-31T00:00", false],
  ])("%s → %s", (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});

describe("lookups", () => {
  const table = lookupOf([["noerrebro", "Nørrebro"]]);
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])("know nothing of %s", (key) => {
    expect(table[key]).toBeUndefined();
    expect(own({ noerrebro: "Nørrebro" }, key)).toBeUndefined();
  });
  it("know their own keys", () => {
    expect(table.noerrebro).toBe("Nørrebro");
    expect(own(JSON.parse('{"__proto__": "x", "valby": "Valby"}') as Record<string, string>, "valby")).toBe("Valby");
  });
  it("take a __proto__ key as data, never as a prototype", () => {
    const t = lookupOf<unknown>([["__proto__", { polluted: true }]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(t)).toBeNull();
  });
});

describe("redactSecrets", () => {
  const token = newSecret();
  it.each([
    [`https://portal.test/invitations/${token}`, "https://portal.test/invitations/[redacted]"],
    [`/introductions/${token}?x=1`, "/introductions/[redacted]?x=1"],
    [`GET /reset-password?token=${token}&lang=da`, "GET /reset-password?token=[redacted]&lang=da"],
    [`{"cookie":"${token}"}`, '{"cookie":"[redacted]"}'],
    ["/unsubscribe?token=short", "/unsubscribe?token=[redacted]"],
    ["/challenges?q=madspild", "/challenges?q=madspild"],
  ])("%s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("keeps a token out of every log line, in the message or any field", () => {
    const lines: string[] = [];
    const log = createLogger("debug", (l) => lines.push(l));
    log.info(`request /invitations/${token}`, { path: `/introductions/${token}`, error: new Error(`no such token ${token}`), nested: { url: `/verify-email?token=${token}` } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(token);
    expect(lines[0]).toContain("/invitations/[redacted]");
  });
});
