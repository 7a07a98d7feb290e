// The page's translator: the i18next instance the root layout provides (one per language, see
// app/i18n.ts) and its `t`. Used instead of react-i18next's useTranslation, which copies the
// instance and makes a new `t` for every component it renders on the server: on a list page of
// 20 cards that was a fifth of the page's time.
import type { i18n as I18n, TFunction } from "i18next";
import { useContext } from "react";
import { I18nContext } from "react-i18next";
import { DEFAULT_LOCALE, i18nFor } from "../i18n";

const translators = new WeakMap<I18n, TFunction>();

/**
 * A `t` for one instance. An instance's language and texts never change (app/i18n.ts), so a key
 * asked for without options always gives the same text: it is looked up once. Keys with options
 * (interpolation, plurals) go to i18next every time.
 */
function translatorFor(i18n: I18n): TFunction {
  const plain = new Map<string, string>();
  const t = (key: string | string[], options?: unknown) => {
    if (options !== undefined || typeof key !== "string") return i18n.t(key, options as never);
    let text = plain.get(key);
    if (text === undefined) {
      text = i18n.t(key);
      plain.set(key, text);
    }
    return text;
  };
  return t as TFunction;
}

export function useTranslation(): { t: TFunction; i18n: I18n } {
  const i18n = useContext(I18nContext)?.i18n ?? i18nFor(DEFAULT_LOCALE);
  let t = translators.get(i18n);
  if (!t) {
    t = translatorFor(i18n);
    translators.set(i18n, t);
  }
  return { t, i18n };
}
