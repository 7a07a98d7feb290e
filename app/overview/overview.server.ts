// The community managers' overview (/curation/overview): the filter read from the query string,
// the funnel, unmet need and dismissal reasons in the viewer's language, and the same tables as
// CSV files. Community managers and administrators only.
import { z } from "zod";
import {
  countDismissalReasons,
  emptyCounts,
  FUNNEL_STEPS,
  listChallengesWithoutGoodMatch,
  listDistricts,
  listSolutionsNotFound,
  loadFunnel,
  NO_DISTRICT,
  WHOLE_CITY,
  type FunnelCounts,
  type FunnelStep,
  type OverviewFilter,
} from "../../db/queries/overview";
import { listAdministrations } from "../../db/queries/organisations";
import { loadReferenceLabels } from "../../db/queries/reference";
import { addMonths, copenhagenDateOf, isMonth, monthOf, monthsBetween, TIME_ZONE } from "../../db/rules/calendar";
import { DISPLAY_THRESHOLD } from "../../search/matcher/score";
import type { PortalContext } from "../context.server";
import { i18nFor, type Locale } from "../i18n";
import { DISMISS_REASONS, isDismissReason } from "../curation/curation-codes";
import { FILTER_FIELDS, OVERVIEW_TABLES, type FilterErrors, type FilterField, type FilterValues, type OverviewTable } from "./overview";

export type { FunnelCounts, FunnelStep };

/** The default period: the last twelve months, this one included. The longest: ten years. */
export const DEFAULT_MONTHS = 12;
export const MAX_MONTHS = 120;
/** Rows an unmet-need table shows on the page; the CSV file has them all. */
export const PAGE_ROWS = 100;

// ---------------------------------------------------------------------------------------------
// The filter

const raw = z.string().trim().max(64).optional();
const querySchema = z.object({ from: raw, to: raw, administration: raw, district: raw });

export interface Choice {
  value: string;
  label: string;
}

interface Choices {
  administrations: Array<Choice & { id: number }>;
  districts: Choice[];
}

async function loadChoices(context: PortalContext, locale: Locale): Promise<Choices> {
  const [administrations, districts, refs] = await Promise.all([listAdministrations(context.db), listDistricts(context.db), loadReferenceLabels(context.db)]);
  const { t } = i18nFor(locale);
  return {
    // An administration without a reference code cannot be chosen by code; it still shows in the tables.
    administrations: administrations.flatMap((a) => (a.code ? [{ id: a.id, value: a.code, label: locale === "en" ? (a.name_en ?? a.name) : a.name }] : [])),
    districts: [
      ...districts.map((d) => ({ value: d.code, label: locale === "en" ? d.name_en : d.name_da })),
      { value: WHOLE_CITY, label: refs.municipality.wholeCity[locale] },
      { value: NO_DISTRICT, label: t("overview.noDistrict") },
    ],
  };
}

export type ParsedFilter =
  | { ok: true; filter: OverviewFilter; values: FilterValues }
  | { ok: false; errors: FilterErrors; values: FilterValues };

/** Reads from/to/administration/district. Empty means "all" (or the default period). */
export function parseFilter(url: URL, choices: Choices, now: Date = new Date()): ParsedFilter {
  const first = (k: FilterField) => url.searchParams.get(k) ?? undefined;
  const parsed = querySchema.safeParse({ from: first("from"), to: first("to"), administration: first("administration"), district: first("district") });
  const values: FilterValues = {
    from: (first("from") ?? "").slice(0, 64),
    to: (first("to") ?? "").slice(0, 64),
    administration: (first("administration") ?? "").slice(0, 64),
    district: (first("district") ?? "").slice(0, 64),
  };
  const errors: FilterErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as FilterField] = "overview.errors.tooLong";
    return { ok: false, errors, values };
  }
  const q = parsed.data;
  const current = monthOf(now.toISOString(), TIME_ZONE);
  if (q.from && !isMonth(q.from)) errors.from = "overview.errors.month";
  if (q.to && !isMonth(q.to)) errors.to = "overview.errors.month";
  const administration = q.administration ? choices.administrations.find((a) => a.value === q.administration) : undefined;
  if (q.administration && !administration) errors.administration = "overview.errors.administration";
  if (q.district && !choices.districts.some((d) => d.value === q.district)) errors.district = "overview.errors.district";
  if (errors.from || errors.to) return { ok: false, errors, values };

  const to = q.to || (q.from && q.from > current ? q.from : current);
  const from = q.from || addMonths(to, -(DEFAULT_MONTHS - 1));
  if (from > to) errors.to = "overview.errors.order";
  else if (monthsBetween(from, to).length > MAX_MONTHS) errors.from = "overview.errors.range";
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    filter: { from, to, timeZone: TIME_ZONE, administrationId: administration?.id, district: q.district || undefined },
    values: { ...values, from, to },
  };
}

/** The filter as a query string, for the CSV links and for sharing. */
function filterQuery(values: FilterValues): string {
  const params = new URLSearchParams();
  for (const k of FILTER_FIELDS) if (values[k]) params.set(k, values[k]);
  return params.toString();
}

// ---------------------------------------------------------------------------------------------
// The data

export interface OverviewData {
  filter: OverviewFilter;
  thresholdPercent: number;
  funnel: {
    total: FunnelCounts;
    byMonth: Array<{ period: string; counts: FunnelCounts }>;
    byAdministration: Array<{ id: number; name: string; counts: FunnelCounts }>;
    byDistrict: Array<{ code: string; name: string; counts: FunnelCounts }>;
    detail: Array<{ period: string; administration: string; district: string; counts: FunnelCounts }>;
  };
  unmetChallenges: Array<{ id: number; title: string; language: "da" | "en"; status: string; publishedAt: string | null; administration: string; districts: string[]; bestPercent: number | null }>;
  unfoundSolutions: Array<{ id: number; title: string; language: "da" | "en"; publishedAt: string | null; organisation: string; districts: string[]; bestPercent: number | null }>;
  dismissals: { rows: Array<{ code: string | null; label: string; count: number }>; total: number };
}

const percent = (score: number | null) => (score === null ? null : Math.round(score * 100));

async function loadData(context: PortalContext, filter: OverviewFilter, choices: Choices, locale: Locale): Promise<OverviewData> {
  const db = context.db;
  const { t } = i18nFor(locale);
  const [funnel, challenges, solutions, reasons, administrations] = await Promise.all([
    loadFunnel(db, { ...filter, minScore: DISPLAY_THRESHOLD }),
    listChallengesWithoutGoodMatch(db, { minScore: DISPLAY_THRESHOLD, administrationId: filter.administrationId, district: filter.district }),
    listSolutionsNotFound(db, { minScore: DISPLAY_THRESHOLD, district: filter.district }),
    countDismissalReasons(db, filter),
    listAdministrations(db),
  ]);
  const adminName = new Map(administrations.map((a) => [a.id, locale === "en" ? (a.name_en ?? a.name) : a.name]));
  const districtName = new Map(choices.districts.map((d) => [d.value, d.label]));
  const nameOfDistrict = (code: string) => districtName.get(code) ?? code;
  const nameOfAdministration = (id: number) => adminName.get(id) ?? String(id);

  // Every administration and district shows, those with nothing too; a chosen one alone.
  const shownAdministrations = administrations.filter((a) => (filter.administrationId === undefined ? a.code !== null || funnel.byAdministration.has(a.id) : a.id === filter.administrationId));
  const shownDistricts = choices.districts.filter((d) =>
    filter.district === undefined ? d.value !== NO_DISTRICT || funnel.byDistrict.has(NO_DISTRICT) : d.value === filter.district,
  );

  // Dismissal reasons: every known code in its order, then codes the list does not know, then none given.
  const counted = new Map(reasons.map((r) => [r.reason, r.count]));
  const unknown = reasons.filter((r) => r.reason !== null && !isDismissReason(r.reason)).sort((a, b) => String(a.reason).localeCompare(String(b.reason)));
  const dismissalRows = [
    ...DISMISS_REASONS.map((code) => ({ code, label: t(`curationCodes.dismiss.${code}`), count: counted.get(code) ?? 0 })),
    ...unknown.map((r) => ({ code: r.reason, label: r.reason!, count: r.count })),
    ...(counted.has(null) ? [{ code: null, label: t("overview.dismissals.noReason"), count: counted.get(null)! }] : []),
  ];

  return {
    filter,
    thresholdPercent: Math.round(DISPLAY_THRESHOLD * 100),
    funnel: {
      total: funnel.total,
      byMonth: funnel.byMonth,
      byAdministration: shownAdministrations.map((a) => ({ id: a.id, name: nameOfAdministration(a.id), counts: funnel.byAdministration.get(a.id) ?? emptyCounts() })),
      byDistrict: shownDistricts.map((d) => ({ code: d.value, name: d.label, counts: funnel.byDistrict.get(d.value) ?? emptyCounts() })),
      detail: funnel.detail.map((c) => ({ period: c.period, administration: nameOfAdministration(c.administrationId), district: nameOfDistrict(c.district), counts: c.counts })),
    },
    unmetChallenges: challenges.map((c) => ({
      id: c.id,
      title: c.title,
      language: c.language,
      status: c.status,
      publishedAt: c.publishedAt,
      administration: nameOfAdministration(c.administrationId),
      districts: c.districts.map(nameOfDistrict),
      bestPercent: percent(c.bestScore),
    })),
    unfoundSolutions: solutions.map((s) => ({
      id: s.id,
      title: s.title,
      language: s.language,
      publishedAt: s.publishedAt,
      organisation: s.organisation,
      districts: s.districts.map(nameOfDistrict),
      bestPercent: percent(s.bestScore),
    })),
    dismissals: { rows: dismissalRows, total: reasons.reduce((n, r) => n + r.count, 0) },
  };
}

export type OverviewPage =
  | {
      ok: true;
      values: FilterValues;
      choices: { administrations: Choice[]; districts: Choice[] };
      query: string;
      data: OverviewData;
      pageRows: number;
      /** The funnel's steps in order (the page has no other way to know them). */
      steps: readonly FunnelStep[];
    }
  | { ok: false; values: FilterValues; choices: { administrations: Choice[]; districts: Choice[] }; errors: FilterErrors };

/** The page's data; a filter that cannot be used gives the form back with what is wrong. */
export async function loadOverviewPage(context: PortalContext, request: Request, locale: Locale, now?: Date): Promise<OverviewPage> {
  const choices = await loadChoices(context, locale);
  const shown = { administrations: choices.administrations.map(({ value, label }) => ({ value, label })), districts: choices.districts };
  const parsed = parseFilter(new URL(request.url), choices, now);
  if (!parsed.ok) return { ok: false, values: parsed.values, choices: shown, errors: parsed.errors };
  return {
    ok: true,
    values: parsed.values,
    choices: shown,
    query: filterQuery(parsed.values),
    data: await loadData(context, parsed.filter, choices, locale),
    pageRows: PAGE_ROWS,
    steps: FUNNEL_STEPS,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

/*
 * The dialect is the one Danish Excel opens with a double click: UTF-8 with a byte-order mark
 * (without it Excel reads æ/ø/å as Windows-1252), fields separated by semicolons (Danish Excel's
 * list separator, since the comma is the decimal sign), lines ended by CRLF, and fields with a
 * semicolon, a double quote, a line break or surrounding spaces in double quotes with quotes
 * doubled (RFC 4180). Numbers are whole (counts, percentages), so no decimal sign is ever
 * needed; months are "2026-03" and dates "2026-03-31". Text that a spreadsheet would run as a
 * formula (starting with = + - @ or a tab) gets a leading apostrophe: titles are users' text.
 */
export type CsvCell = string | number | null;

function csvField(value: CsvCell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: CsvCell[][]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(";")).join("\r\n")}\r\n`;
}

function tableRows(table: OverviewTable, data: OverviewData, locale: Locale): CsvCell[][] {
  const { t } = i18nFor(locale);
  const steps = FUNNEL_STEPS.map((s) => t(`overview.steps.${s}`));
  const counts = (c: FunnelCounts) => FUNNEL_STEPS.map((s) => c[s]);
  switch (table) {
    case "funnel-by-month":
      return [[t("overview.columns.month"), ...steps], ...data.funnel.byMonth.map((r) => [r.period, ...counts(r.counts)]), [t("overview.total"), ...counts(data.funnel.total)]];
    case "funnel-by-administration":
      return [
        [t("overview.columns.administration"), ...steps],
        ...data.funnel.byAdministration.map((r) => [r.name, ...counts(r.counts)]),
        [t("overview.total"), ...counts(data.funnel.total)],
      ];
    case "funnel-by-district":
      return [[t("overview.columns.district"), ...steps], ...data.funnel.byDistrict.map((r) => [r.name, ...counts(r.counts)])];
    case "funnel-detail":
      return [
        [t("overview.columns.month"), t("overview.columns.administration"), t("overview.columns.district"), ...steps],
        ...data.funnel.detail.map((r) => [r.period, r.administration, r.district, ...counts(r.counts)]),
      ];
    case "unmet-challenges":
      return [
        ["id", t("overview.columns.challenge"), t("overview.columns.administration"), t("overview.columns.districts"), t("overview.columns.status"), t("overview.columns.published"), t("overview.columns.bestPercent")],
        ...data.unmetChallenges.map((r) => [r.id, r.title, r.administration, r.districts.join(", "), t(`status.${r.status}`), copenhagenDateOf(r.publishedAt), r.bestPercent]),
      ];
    case "unfound-solutions":
      return [
        ["id", t("overview.columns.solution"), t("overview.columns.organisation"), t("overview.columns.districts"), t("overview.columns.published"), t("overview.columns.bestPercent")],
        ...data.unfoundSolutions.map((r) => [r.id, r.title, r.organisation, r.districts.join(", "), copenhagenDateOf(r.publishedAt), r.bestPercent]),
      ];
    case "dismissals":
      return [
        [t("overview.columns.reasonCode"), t("overview.columns.reason"), t("overview.columns.count")],
        ...data.dismissals.rows.map((r) => [r.code, r.label, r.count]),
        [null, t("overview.total"), data.dismissals.total],
      ];
  }
}

/** The CSV answer for one table under the filter, or a 400 in the visitor's language. */
export async function overviewCsv(context: PortalContext, request: Request, locale: Locale, now?: Date): Promise<Response> {
  const { t } = i18nFor(locale);
  const url = new URL(request.url);
  const table = url.searchParams.get("table");
  const bad = (text: string) => new Response(`${text}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
  if (!table || !(OVERVIEW_TABLES as readonly string[]).includes(table)) return bad(t("overview.errors.table", { tables: OVERVIEW_TABLES.join(", ") }));
  const choices = await loadChoices(context, locale);
  const parsed = parseFilter(url, choices, now);
  if (!parsed.ok) {
    const what = Object.entries(parsed.errors).map(([field, key]) => `${t(`overview.filter.${field}`)}: ${t(key!)}`);
    return bad(`${t("overview.errors.title")}\n${what.join("\n")}`);
  }
  const data = await loadData(context, parsed.filter, choices, locale);
  const { from, to } = parsed.filter;
  return new Response(toCsv(tableRows(table as OverviewTable, data, locale)), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="samskab-${table}-${from}_${to}.csv"`,
      // Suggestions and names of people's work: not for shared caches.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
