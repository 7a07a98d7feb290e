// Calendar days and ISO weeks in Copenhagen, for the notification schedule: a weekly digest
// covers one ISO week (Monday to Sunday, Europe/Copenhagen) and goes out once it has ended; a
// next step is overdue the day after its date. Pure: the instant is always passed in.
const TIME_ZONE = "Europe/Copenhagen";
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
