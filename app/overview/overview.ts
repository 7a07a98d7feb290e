// What the overview page and its server module share, safe for the browser bundle: the filter's
// fields and the names of the tables the CSV route serves.

export const FILTER_FIELDS = ["from", "to", "administration", "district"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
/** What the form shows: the visitor's text, kept as typed. */
export type FilterValues = Record<FilterField, string>;
/** Translation keys of what is wrong, by field. */
export type FilterErrors = Partial<Record<FilterField, string>>;

/** The overview's tables, as the CSV route names them (?table=…). */
export const OVERVIEW_TABLES = [
  "funnel-by-month",
  "funnel-by-administration",
  "funnel-by-district",
  "funnel-detail",
  "unmet-challenges",
  "unfound-solutions",
  "dismissals",
] as const;
export type OverviewTable = (typeof OVERVIEW_TABLES)[number];
