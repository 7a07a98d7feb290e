// Page titles in the visitor's language. Meta functions run outside React, so they read the
// locale from the root loader's data and the same i18n resources the pages use.
import type { MetaDescriptor } from "@remix-run/node";
import { i18nFor, DEFAULT_LOCALE, isLocale, type Locale } from "../i18n";

interface Match {
  id: string;
  data: unknown;
}

export function localeFromMatches(matches: Match[]): Locale {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}

/** `<title>` (and optionally a description) for a page, from translation keys or given text. */
export function pageMeta(
  matches: Match[],
  title: { key: string } | { text: string },
  description?: { key: string } | { text: string },
): MetaDescriptor[] {
  const { t } = i18nFor(localeFromMatches(matches));
  const resolve = (v: { key: string } | { text: string }) => ("key" in v ? t(v.key) : v.text);
  const out: MetaDescriptor[] = [{ title: `${resolve(title)} · Samskab` }];
  if (description) out.push({ name: "description", content: resolve(description) });
  return out;
}

function baseUrlFromMatches(matches: Match[]): string | undefined {
  const root = matches.find((m) => m.id === "root")?.data as { baseUrl?: unknown } | undefined;
  return typeof root?.baseUrl === "string" ? root.baseUrl : undefined;
}

/**
 * A public page's title and description, with its canonical address (without the query: one
 * address per page) and the Open Graph tags a link preview reads.
 */
export function publicPageMeta(
  matches: Match[],
  path: string,
  title: { key: string } | { text: string },
  description: { key: string } | { text: string },
): MetaDescriptor[] {
  const out = pageMeta(matches, title, description);
  const base = baseUrlFromMatches(matches);
  const locale = localeFromMatches(matches);
  const { t } = i18nFor(locale);
  const resolve = (v: { key: string } | { text: string }) => ("key" in v ? t(v.key) : v.text);
  const url = base ? new URL(path, `${base}/`).toString() : path;
  out.push(
    { tagName: "link", rel: "canonical", href: url },
    { property: "og:site_name", content: "Samskab" },
    { property: "og:type", content: "website" },
    { property: "og:title", content: resolve(title) },
    { property: "og:description", content: resolve(description) },
    { property: "og:url", content: url },
    { property: "og:locale", content: locale === "da" ? "da_DK" : "en_GB" },
  );
  return out;
}
