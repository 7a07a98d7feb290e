// The portal's calendar, written once: it keeps time in Copenhagen. Calendar days, ISO weeks
// (the weekly digest covers Monday to Sunday and goes out once the week has ended) and calendar
// months (the overview counts by month) are Copenhagen's, not UTC's; a date a person types must
// be a real day. Pure: the instant is always passed in, so browser, server and SQL agree.

/** The portal's time zone. */
export const TIME_ZONE = "Europe/Copenhagen";
const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in a time zone (Copenhagen unless said) at an instant. */
export function wallClockIn(at: Date, timeZone: string = TIME_ZONE): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The calendar day (YYYY-MM-DD) in Copenhagen at an instant. */
export function copenhagenDate(at: Date): string {
  const c = wallClockIn(at);
  return `${c.year}-${String(c.month).padStart(2, "0")}-${String(c.day).padStart(2, "0")}`;
}

/** How far Copenhagen's wall clock is ahead of UTC at an instant (1 or 2 hours). */
function offsetMs(at: Date): number {
  const c = wallClockIn(at);
  const wall = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a Copenhagen calendar day begins (midnight; DST changes happen at 02:00/03:00, never at midnight). */
export function startOfCopenhagenDay(date: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let at = guess - offsetMs(new Date(guess));
  at = guess - offsetMs(new Date(at));
  return new Date(at);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the ISO week a calendar day belongs to. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
  return addDays(date, 1 - weekday);
}

/** The ISO week of a calendar day, e.g. "2026-W49" (the year is the week's, which may differ from the day's). */
export function isoWeekOf(date: string): string {
  const thursday = addDays(mondayOf(date), 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((Date.parse(`${thursday}T12:00:00Z`) - Date.parse(`${year}-01-01T12:00:00Z`)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/**
 * The last ISO week that has ended at an instant, Copenhagen time: its period name and the
 * instant it ended (the Monday midnight that began the current week). A digest for that week
 * carries what was waiting before that instant.
 */
export function lastEndedWeek(at: Date): { period: string; week: number; endedAt: string } {
  const monday = mondayOf(copenhagenDate(at));
  const period = isoWeekOf(addDays(monday, -7));
  return { period, week: Number(period.slice(6)), endedAt: startOfCopenhagenDay(monday).toISOString() };
}

/** The calendar day (YYYY-MM-DD) in Copenhagen at an ISO instant, or null for none. */
export function copenhagenDateOf(iso: string | null): string | null {
  return iso ? copenhagenDate(new Date(iso)) : null;
}

// Months in a time zone

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** "2026-03" plus n months. */
export function addMonths(month: string, n: number): string {
  const [, y, m] = MONTH.exec(month)!;
  const index = Number(y) * 12 + Number(m) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The calendar month ("2026-11") an instant falls in, in a time zone. */
export function monthOf(iso: string, timeZone: string): string {
  const p = wallClockIn(new Date(iso), timeZone);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}`;
}

/** The instant (ISO, UTC) a month begins in a time zone: midnight on its first day. */
export function monthStart(month: string, timeZone: string): string {
  const [, y, m] = MONTH.exec(month)!;
  const wall = Date.UTC(Number(y), Number(m) - 1, 1);
  const offsetAt = (t: number) => {
    const p = wallClockIn(new Date(t), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  // The offset at the guess may differ from the offset at the answer across a change of time;
  // asking twice settles it.
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first)).toISOString();
}

// Dates people type

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
