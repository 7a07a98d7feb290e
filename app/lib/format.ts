// Dates and amounts the Danish or English way, always in Copenhagen time.
import { TIME_ZONE } from "../../db/rules/calendar";
import type { Locale } from "../i18n";

const intlLocale = (locale: Locale) => (locale === "da" ? "da-DK" : "en-GB");

/**
 * One formatter per language and style, made on first use: making an Intl formatter costs far
 * more than formatting with it, and a list page formats dozens of dates.
 */
function memoPerLocale<F>(make: (intl: string) => F): (locale: Locale) => F {
  const made = new Map<Locale, F>();
  return (locale) => {
    let formatter = made.get(locale);
    if (!formatter) {
      formatter = make(intlLocale(locale));
      made.set(locale, formatter);
    }
    return formatter;
  };
}

const dateFormat = memoPerLocale((intl) => new Intl.DateTimeFormat(intl, { day: "numeric", month: "long", year: "numeric", timeZone: TIME_ZONE }));
const dateTimeFormat = memoPerLocale((intl) => new Intl.DateTimeFormat(intl, { dateStyle: "long", timeStyle: "short", timeZone: TIME_ZONE }));
const wholeNumberFormat = memoPerLocale((intl) => new Intl.NumberFormat(intl, { maximumFractionDigits: 0 }));
const numberFormat = memoPerLocale((intl) => new Intl.NumberFormat(intl));

/**
 * "31. marts 2026" / "31 March 2026". Accepts an ISO timestamp or a YYYY-MM-DD date; anything
 * that is not a date is shown as it is rather than breaking the page it is on.
 */
export function formatDate(value: string, locale: Locale): string {
  // A bare date is a calendar day in Copenhagen: read it at noon UTC so no zone shifts the day.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat(locale).format(date);
}

/** "2. december 2026 kl. 10.16" / "2 December 2026, 10:16", in Copenhagen time. */
export function formatDateTime(value: string, locale: Locale): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return dateTimeFormat(locale).format(date);
}

/** "1.644.638 kr." / "DKK 1,644,638". */
export function formatDkk(amount: number, locale: Locale): string {
  const n = wholeNumberFormat(locale).format(amount);
  return locale === "da" ? `${n} kr.` : `DKK ${n}`;
}

export function formatNumber(n: number, locale: Locale): string {
  return numberFormat(locale).format(n);
}
