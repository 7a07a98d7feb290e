// Dates and amounts the Danish or English way, always in Copenhagen time.
import type { Locale } from "../i18n";

export const TIME_ZONE = "Europe/Copenhagen";

const intlLocale = (locale: Locale) => (locale === "da" ? "da-DK" : "en-GB");

/** "31. marts 2026" / "31 March 2026". Accepts an ISO timestamp or a YYYY-MM-DD date. */
export function formatDate(value: string, locale: Locale): string {
  // A bare date is a calendar day in Copenhagen: read it at noon UTC so no zone shifts the day.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(intlLocale(locale), { day: "numeric", month: "long", year: "numeric", timeZone: TIME_ZONE }).format(date);
}

/** "1.644.638 kr." / "DKK 1,644,638". */
export function formatDkk(amount: number, locale: Locale): string {
  const n = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(amount);
  return locale === "da" ? `${n} kr.` : `DKK ${n}`;
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}
