// UI text in Danish and English through i18next. Danish is the default whatever the browser
// says; the choice is remembered in a cookie (app/lib/language.server.ts).
import i18next, { type i18n } from "i18next";
import da from "./locales/da.json";
import en from "./locales/en.json";

export const LOCALES = ["da", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "da";

export function isLocale(value: unknown): value is Locale {
  return value === "da" || value === "en";
}

export const resources = { da: { translation: da }, en: { translation: en } } as const;

const instances = new Map<Locale, i18n>();

/**
 * The translator for a language. One per language for the whole process: building an i18next
 * instance costs more than rendering a page's text, and nothing changes an instance's language or
 * resources after it is made (a language switch picks the other instance).
 */
export function i18nFor(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = createInstance(locale);
    instances.set(locale, instance);
  }
  return instance;
}

function createInstance(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    resources,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    // No advertising in our logs.
    showSupportNotice: false,
  });
  return instance;
}
