// The Content-Security-Policy in Chromium: pages that lean on JavaScript in different ways load,
// hydrate and work without one violation of the policy or one console error. Hydration is
// proven by what only a hydrated page does: a link or a search that changes the page without
// reloading it, a form checked before it is sent, a queue that knows JavaScript is there.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/demo";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { launchBrowser, newContext, signInWithForm } from "./browser";

let portal: TestPortal;
let browser: Browser;

beforeAll(async () => {
  [portal, browser] = await Promise.all([startTestPortal(), launchBrowser()]);
  await portal.settled();
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

interface Watched {
  page: Page;
  context: BrowserContext;
  /** Every securitypolicyviolation event, from every document the page showed. */
  violations: string[];
  consoleErrors: string[];
}

/**
 * A fresh profile whose pages report policy violations from before their first script runs (an
 * init script, which the policy does not govern) to the test, across full page loads.
 */
async function watchedPage(): Promise<Watched> {
  const context = await newContext(browser, portal.url);
  const violations: string[] = [];
  const consoleErrors: string[] = [];
  await context.exposeBinding("reportCspViolation", (_source, line: string) => void violations.push(line));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation(line: string): void }).reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI} (${e.sample})`);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  return { page, context, violations, consoleErrors };
}

/** Opens a page with a full load and waits for Remix to take it over. */
async function open({ page, violations }: Watched, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  // Served under the strict policy, or there would be nothing to violate: no 'unsafe-inline'.
  expect(response?.headers()["content-security-policy"], path).toMatch(/(?:^|;)script-src 'self' 'nonce-[^']+'(?:;|$)/);
  // RemixBrowser sets it while hydrating, after hydrateRoot: from then on React handles clicks.
  await page.waitForFunction(() => "__remixRouter" in window).catch((error: Error) => {
    throw new Error(`${path} did not hydrate (${error.message.split("\n")[0]}); the policy refused: ${JSON.stringify(violations)}`);
  });
  // Gone with the next full load; still there after a client-side navigation.
  await page.evaluate(() => Object.assign(window, { samePage: true }));
}

const samePage = (page: Page) => page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true);

function expectClean(watched: Watched) {
  expect(watched.violations, "Content-Security-Policy violations").toEqual([]);
  expect(watched.consoleErrors, "console errors").toEqual([]);
}

describe("under the Content-Security-Policy", () => {
  it("the front page and a search hydrate: the menu and the filters change the page without a reload", async () => {
    const watched = await watchedPage();
    const { page } = watched;
    try {
      await open(watched, "/");
      await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udfordringer" }).click();
      await page.waitForURL(/\/challenges$/);
      // The front page has a search field of the same name: wait for the list's own form.
      await page.locator("form.browse").waitFor();
      expect(await samePage(page), "the menu link navigated in the page").toBe(true);

      await page.getByRole("searchbox", { name: "Søg i udfordringer" }).fill("ensomhd");
      await page.keyboard.press("Enter");
      await page.waitForURL(/q=ensomhd/);
      // Ticking a facet applies at once only with JavaScript (the form's onChange).
      await page.getByRole("checkbox", { name: /^Bispebjerg/ }).check();
      await page.waitForURL(/district=bispebjerg/);
      await expect.poll(() => page.locator("ol.cards > li").count()).toBe(1);
      expect(await samePage(page), "the search ran in the page").toBe(true);
      expectClean(watched);
    } finally {
      await watched.context.close();
    }
  });

  it("the sign-in form checks its fields in the browser, then signs in without a reload", async () => {
    const watched = await watchedPage();
    const { page } = watched;
    try {
      await open(watched, "/login");
      await page.getByRole("button", { name: "Log ind" }).click();
      await page.locator(".error-summary").waitFor();
      expect(await samePage(page), "the empty form was refused before it was sent").toBe(true);
      await page.getByLabel("E-mail").fill("entrepreneur@samskab.example");
      await page.getByLabel("Adgangskode").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Log ind" }).click();
      await page.waitForURL(/\/me$/);
      await page.getByRole("heading", { level: 1 }).waitFor();
      expect(await samePage(page), "the sign-in was a fetch and a client-side redirect").toBe(true);
      expectClean(watched);
    } finally {
      await watched.context.close();
    }
  });

  it("a community manager's queue and overview run their scripts", async () => {
    const watched = await watchedPage();
    const { page } = watched;
    try {
      await signInWithForm(page, "community@samskab.example", portal.database.db);
      await open(watched, "/curation?scope=all");
      // The queue's cards add this field from an effect: decisions are then taken in place.
      await expect.poll(() => page.locator('li.queue-item input[name="js"]').count()).toBeGreaterThan(0);
      await open(watched, "/curation/overview");
      await page.getByRole("link", { name: "Matchmaking" }).click();
      await page.waitForURL(/\/curation$/);
      expect(await samePage(page), "the overview's menu link navigated in the page").toBe(true);
      expectClean(watched);
    } finally {
      await watched.context.close();
    }
  });
});
