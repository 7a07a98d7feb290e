import { describe, expect, it } from "vitest";
import { copenhagenDate, isoWeekOf, lastEndedWeek, startOfCopenhagenDay } from "../../db/rules/calendar";

describe("the notification calendar (Europe/Copenhagen)", () => {
  it.each([
    ["2026-12-07", "2026-W50"],
    ["2026-12-06", "2026-W49"],
    ["2026-01-01", "2026-W01"],
    ["2027-01-03", "2026-W53"],
    ["2024-12-30", "2025-W01"],
    ["2021-01-03", "2020-W53"],
  ])("puts %s in ISO week %s", (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it("reads calendar days and midnights in Copenhagen time, across summer time", () => {
    expect(copenhagenDate(new Date("2026-10-31T23:30:00Z"))).toBe("2026-11-01");
    expect(copenhagenDate(new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(startOfCopenhagenDay("2026-12-07").toISOString()).toBe("2026-12-06T23:00:00.000Z");
    expect(startOfCopenhagenDay("2026-06-01").toISOString()).toBe("2026-05-31T22:00:00.000Z");
    // The nights the clocks change.
    expect(startOfCopenhagenDay("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfCopenhagenDay("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfCopenhagenDay("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z");
  });

  it("lets a week's digest go out from Monday midnight in Copenhagen, not from Monday UTC", () => {
    // Sunday 6 December, 23:59:59 in Copenhagen: week 49 is still running, 48 is the last ended.
    expect(lastEndedWeek(new Date("2026-12-06T22:59:59Z"))).toEqual({ period: "2026-W48", week: 48, endedAt: "2026-11-29T23:00:00.000Z" });
    // One second later it is Monday: week 49 has ended.
    expect(lastEndedWeek(new Date("2026-12-06T23:00:00Z"))).toEqual({ period: "2026-W49", week: 49, endedAt: "2026-12-06T23:00:00.000Z" });
    expect(lastEndedWeek(new Date("2026-12-13T12:00:00Z")).period).toBe("2026-W49");
    // Across the new year, into a 53-week year's last week.
    expect(lastEndedWeek(new Date("2027-01-04T08:00:00Z")).period).toBe("2026-W53");
  });
});
