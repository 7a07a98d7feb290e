// A date people type: a real calendar day, in years the portal has any use for. Pure, so the form
// schemas (shared by browser and server) can use it.

/** The years a date typed into the portal may fall in: enough for history and plans, no more. */
export const DATE_RANGE = { from: "2000-01-01", to: "2099-12-31" } as const;

/**
 * Whether a string is a real calendar date, YYYY-MM-DD, within DATE_RANGE: "2026-02-30" and
 * "9999-99-99" are not (JavaScript's Date would roll the first over to March).
 */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && value >= DATE_RANGE.from && value <= DATE_RANGE.to;
}
