// The browser-test harness: Debian's Chromium driven by playwright-core (never a downloaded
// browser), axe-core for WCAG 2.1 A/AA, and the real portal started by tests/helpers/portal.
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser profile, optionally with English chosen (the language cookie). */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: { locale?: "da" | "en"; javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    timezoneId: "Europe/Copenhagen",
  });
  if (options.locale === "en") {
    // Choose English the way a visitor does, through the language switch's form.
    const res = await context.request.post("/language", { form: { lang: "en", returnTo: "/" }, maxRedirects: 0, headers: { Origin: baseURL } });
    if (res.status() !== 302) throw new Error(`language switch answered ${res.status()}`);
  }
  return context;
}

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** axe-core's WCAG 2.1 A/AA violations on the page, as "rule: element" lines for a readable failure. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`));
}

/** Headings out of order: the first must be the h1, and none may skip a level going deeper. */
export function headingOrderProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => ({ level: Number(h.tagName[1]), text: (h.textContent ?? "").trim().slice(0, 50) }));
    const problems: string[] = [];
    if (headings[0]?.level !== 1) problems.push(`the first heading is h${headings[0]?.level ?? "–"} "${headings[0]?.text ?? ""}", not the h1`);
    headings.forEach((h, i) => {
      const before = headings[i - 1];
      if (before && h.level > before.level + 1) problems.push(`h${h.level} "${h.text}" follows h${before.level} "${before.text}"`);
    });
    return problems;
  });
}
