// The browser-test harness: Debian's Chromium driven by playwright-core (never a downloaded
// browser), axe-core for WCAG 2.1 A/AA, and the real portal started by tests/helpers/portal.
import fs from "node:fs";
import { createRequire } from "node:module";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
} from "playwright-core";
import da from "../../app/locales/da.json";
import en from "../../app/locales/en.json";
import type { DB } from "../../db/client";
import { DEMO_PASSWORD } from "../../db/demo";
import { nextTotpCode } from "../helpers/second-factor";

/**
 * Debian's headless shell (package chromium-headless-shell) when it is there: the same Blink and
 * V8 as Chromium without the browser's own window machinery, which on two cores made the browser
 * tests take about 40 % less time. Otherwise Debian's Chromium; CHROMIUM_PATH chooses another.
 */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((path) => fs.existsSync(path)) ??
  "/usr/bin/chromium";

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
      // One renderer process for all of a file's profiles and pages: on two cores, a process per
      // profile (each compiling the portal's scripts afresh) cost more than it ran side by side.
      "--renderer-process-limit=1",
    ],
  });
}

/** axe-core itself, as its package ships it for browsers. */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface ContextOptions {
  locale?: "da" | "en";
  /** Pages get axe-core as they open (for pages checked with accessibilityViolations). */
  axe?: boolean;
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
}

/** A fresh browser profile, optionally with English chosen (the language cookie). */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: ContextOptions = {}
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    timezoneId: "Europe/Copenhagen",
  });
  // As each document is created, so that checking a page does not send and compile axe-core's
  // 580 KB again (0.2–0.5 s of the browser's time per check).
  if (options.axe) await context.addInitScript({ content: AXE_SOURCE });
  if (options.locale === "en") {
    // Choose English the way a visitor does, through the language switch's form.
    const res = await context.request.post("/language", {
      form: { lang: "en", returnTo: "/" },
      maxRedirects: 0,
      headers: { Origin: baseURL },
    });
    if (res.status() !== 302)
      throw new Error(`language switch answered ${res.status()}`);
  }
  return context;
}

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** axe-core's WCAG 2.1 A/AA violations on the page, as "rule: element" lines for a readable failure. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // axe.run() in the page itself, on the whole document, with every rule of the four WCAG tags.
  // (The portal's pages have no frames: its Content-Security-Policy allows none.)
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    type Axe = { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> };
    const { violations } = await (window as unknown as { axe: Axe }).axe.run(document, { runOnly: { type: "tag", values: tags } });
    return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`));
  }, WCAG_TAGS);
}

/** Headings out of order: the first must be the h1, and none may skip a level going deeper. */
export function headingOrderProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const headings = [
      ...document.querySelectorAll("h1, h2, h3, h4, h5, h6"),
    ].map((h) => ({
      level: Number(h.tagName[1]),
      text: (h.textContent ?? "").trim().slice(0, 50),
    }));
    const problems: string[] = [];
    if (headings[0]?.level !== 1)
      problems.push(
        `the first heading is h${headings[0]?.level ?? "–"} "${
          headings[0]?.text ?? ""
        }", not the h1`
      );
    headings.forEach((h, i) => {
      const before = headings[i - 1];
      if (before && h.level > before.level + 1)
        problems.push(
          `h${h.level} "${h.text}" follows h${before.level} "${before.text}"`
        );
    });
    return problems;
  });
}

type Messages = { [key: string]: string | Messages };
function flatten(messages: Messages, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const MESSAGES = { da: flatten(da as Messages), en: flatten(en as Messages) };

/**
 * The other language's UI strings that show on a page (none, when every text in the page's own
 * language comes from its own translations). Text inside an element marked with another `lang` –
 * user content in its own language – is left out. Each string is looked for by its fixed parts
 * (between placeholders) of ten characters or more that its counterpart does not share.
 */
export async function otherLanguageStrings(
  page: Page,
  locale: "da" | "en"
): Promise<string[]> {
  const text = await page.evaluate((own) => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(
      document.body,
      NodeFilter.SHOW_TEXT
    );
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("script, style, noscript")) continue;
      const marked = parent.closest("[lang]")?.getAttribute("lang");
      if (marked && marked !== own) continue;
      parts.push(node.textContent ?? "");
    }
    // Attributes people hear or see too.
    for (const el of document.querySelectorAll(
      "[aria-label], [placeholder], [title], img[alt]"
    )) {
      const marked = el.closest("[lang]")?.getAttribute("lang");
      if (marked && marked !== own) continue;
      for (const a of ["aria-label", "placeholder", "title", "alt"])
        if (el.hasAttribute(a)) parts.push(el.getAttribute(a)!);
    }
    return parts.join(" ").replace(/\s+/g, " ");
  }, locale);
  const found: string[] = [];
  for (const [key, fragments] of telltaleFragments(locale)) {
    const shown = fragments.find((f) => text.includes(f));
    if (shown) found.push(`${key}: "${shown}"`);
  }
  return found;
}

// The fragments depend on the translations only: worked out once per language, not per page
// (comparing every string with every other takes a noticeable share of a second).
const TELLTALES = new Map<"da" | "en", Array<[string, string[]]>>();
function telltaleFragments(locale: "da" | "en"): Array<[string, string[]]> {
  let list = TELLTALES.get(locale);
  if (!list) {
    const own = [...MESSAGES[locale].values()];
    const other = locale === "da" ? MESSAGES.en : MESSAGES.da;
    list = [];
    for (const [key, value] of other) {
      if (MESSAGES[locale].get(key) === value) continue;
      const fragments = value
        .split(/\{\{[^}]*\}\}|<[^>]*>|\$t\([^)]*\)/)
        .map((f) => f.trim())
        .filter((f) => f.length >= 10 && !own.some((o) => o.includes(f)));
      if (fragments.length > 0) list.push([key, fragments]);
    }
    TELLTALES.set(locale, list);
  }
  return list;
}

/**
 * Signs in through the sign-in form, as a person does (works with JavaScript on or off); an
 * account with a second factor (the demo administrator) types a fresh code on the next page.
 */
export async function signInWithForm(
  page: Page,
  email: string,
  db: DB,
  password = DEMO_PASSWORD
): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  // Signing in hashes the password (argon2) on the server: on two busy cores that alone can
  // take longer than a page's usual wait.
  await page.waitForURL(/\/me|\/login\/second-factor/, { timeout: 30_000 });
  if (new URL(page.url()).pathname === "/login/second-factor") {
    await page.getByLabel("Kode").fill(await nextTotpCode(db, email));
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.waitForURL(/\/me/, { timeout: 30_000 });
  }
}

// One session per portal and person, shared by the contexts that need one: signing in again for
// every page would cost an argon2 hash each time, and the administrator a fresh TOTP step.
const sessions = new Map<string, Promise<Cookie[]>>();

/** Signs a browser context in without a page (its cookie jar gets the session), with the second factor where the account has one. */
export async function signInContext(
  context: BrowserContext,
  portal: { url: string; database: { db: DB } },
  email: string,
  password = DEMO_PASSWORD
): Promise<void> {
  const key = `${portal.url} ${email}`;
  let cookies = sessions.get(key);
  if (!cookies) {
    cookies = (async () => {
      const headers = { Origin: portal.url };
      const res = await context.request.post("/login", {
        form: { email, password },
        maxRedirects: 0,
        headers,
      });
      if (res.status() !== 302)
        throw new Error(`sign-in of ${email} answered ${res.status()}`);
      const location = res.headers()["location"] ?? "";
      if (location.startsWith("/login/second-factor")) {
        const second = await context.request.post(location, {
          form: { code: await nextTotpCode(portal.database.db, email) },
          maxRedirects: 0,
          headers,
        });
        if (second.status() !== 302)
          throw new Error(
            `second factor of ${email} answered ${second.status()}`
          );
      }
      return (await context.cookies()).filter(
        (c) => c.name === "samskab_session"
      );
    })();
    sessions.set(key, cookies);
  }
  await context.addCookies(await cookies);
}

type PoolPortal = { url: string; database: { db: DB } };

/**
 * Open pages to check pages with, kept between tests: a browser context and a page for every
 * visit cost a renderer process and a language switch each (about half a second of CPU). One
 * profile per person, language and screen, signed in once; each page is lent to one test at a
 * time, so tests may run concurrently. Every visit starts with a navigation, which leaves
 * nothing of the page before it but the profile's cookies.
 */
export class PagePool {
  private readonly free = new Map<string, Page[]>();
  private readonly contexts = new Map<string, Promise<BrowserContext>>();

  constructor(
    private readonly browser: Browser,
    private readonly portal: PoolPortal,
    /** Options every profile of the pool has (a borrow's own options add to them). */
    private readonly defaults: ContextOptions = {}
  ) {}

  private context(
    as: string | null,
    options: ContextOptions,
    key: string
  ): Promise<BrowserContext> {
    let context = this.contexts.get(key);
    if (!context) {
      context = (async () => {
        const made = await newContext(this.browser, this.portal.url, options);
        if (as) await signInContext(made, this.portal, as);
        return made;
      })();
      this.contexts.set(key, context);
    }
    return context;
  }

  /** A page of `as`'s profile (null: a visitor who is not signed in); give it back with `release`. */
  async borrow(
    as: string | null,
    own: ContextOptions = {}
  ): Promise<{ page: Page; release(): void }> {
    const options = { ...this.defaults, ...own };
    const key = JSON.stringify([
      as,
      options.locale ?? "da",
      options.viewport ?? null,
      options.deviceScaleFactor ?? 1,
      options.javaScriptEnabled ?? true,
      options.axe ?? false,
    ]);
    const waiting = this.free.get(key) ?? [];
    this.free.set(key, waiting);
    const page =
      waiting.pop() ?? (await (await this.context(as, options, key)).newPage());
    return { page, release: () => waiting.push(page) };
  }

  async close(): Promise<void> {
    for (const context of this.contexts.values()) await (await context).close();
    this.contexts.clear();
    this.free.clear();
  }
}
