// Searching as a person does: type with a typo, tick a facet, go back and forward, reload –
// with JavaScript, and the same search without it.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDemoData } from "../../db/demo";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { launchBrowser, newContext } from "./browser";

let portal: TestPortal;
let browser: Browser;
const loneliness = readDemoData().challenges.find((c) => c.key === "c01")!;

beforeAll(async () => {
  [portal, browser] = await Promise.all([startTestPortal(), launchBrowser()]);
  await portal.settled();
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

describe("searching challenges", () => {
  it("finds the loneliness challenge from a typo, narrows by district, and keeps it all in the address", async () => {
    const context = await newContext(browser, portal.url);
    try {
      const page = await context.newPage();
      await page.goto("/challenges");
      await page.getByRole("searchbox", { name: "Søg i udfordringer" }).fill("ensomhd");
      await page.keyboard.press("Enter");
      await page.waitForURL(/q=ensomhd/);
      await expect.poll(() => page.locator("ol.cards h2").first().textContent()).toBe(loneliness.title);

      // Ticking a facet applies at once (JavaScript) and lands in the query string.
      await page.getByRole("checkbox", { name: /^Bispebjerg/ }).check();
      await page.waitForURL(/district=bispebjerg/);
      await expect.poll(() => page.locator("ol.cards > li").count()).toBe(1);
      const filtered = page.url();

      // Back and forward: the page's data follows the address, and so do the form's fields.
      const bispebjerg = page.getByRole("checkbox", { name: /^Bispebjerg/ });
      await page.goBack();
      await page.waitForURL((url) => !url.search.includes("district="));
      await expect.poll(() => page.locator("ol.cards > li").count()).toBeGreaterThan(1);
      expect(await bispebjerg.isChecked()).toBe(false);
      expect(await page.getByRole("searchbox", { name: "Søg i udfordringer" }).inputValue()).toBe("ensomhd");
      await page.goForward();
      await page.waitForURL(filtered);
      await expect.poll(() => page.locator("ol.cards > li").count()).toBe(1);
      expect(await bispebjerg.isChecked()).toBe(true);
      await page.reload();
      expect(await page.getByRole("checkbox", { name: /^Bispebjerg/ }).isChecked()).toBe(true);
      expect(await page.locator("ol.cards > li").count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("keeps what was typed and ticked before JavaScript loaded, and searches for it", async () => {
    const context = await newContext(browser, portal.url);
    try {
      const page = await context.newPage();
      // The page's scripts wait until the person has typed, as on a slow connection.
      let loadScripts!: () => void;
      const typed = new Promise<void>((resolve) => (loadScripts = resolve));
      await page.route("**/assets/**/*.js", async (route) => {
        await typed;
        await route.continue();
      });
      await page.goto("/challenges", { waitUntil: "commit" });
      const searchbox = page.getByRole("searchbox", { name: "Søg i udfordringer" });
      const bispebjerg = page.getByRole("checkbox", { name: /^Bispebjerg/ });
      await searchbox.fill("ensomhd");
      await bispebjerg.check();
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
      loadScripts();
      await page.waitForFunction(() => "__remixRouter" in window);
      await page.waitForLoadState("networkidle");
      // React has taken the page over and run its effects: the typed text and the tick remain.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
      expect(await searchbox.inputValue()).toBe("ensomhd");
      expect(await bispebjerg.isChecked()).toBe(true);
      await page.evaluate(() => Object.assign(window, { samePage: true }));
      await searchbox.press("Enter");
      await page.waitForURL((url) => url.searchParams.get("q") === "ensomhd" && url.searchParams.get("district") === "bispebjerg");
      await expect.poll(() => page.locator("ol.cards h2").first().textContent()).toBe(loneliness.title);
      // Searched in place by the hydrated page, not by a full reload.
      expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("works without JavaScript: the form submits, filters apply with the button, pages link", async () => {
    const context = await newContext(browser, portal.url, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/challenges");
      await page.getByRole("searchbox", { name: "Søg i udfordringer" }).fill("ensomhd");
      await page.getByRole("button", { name: "Søg", exact: true }).click();
      await page.waitForURL(/q=ensomhd/);
      expect(await page.locator("ol.cards h2").first().textContent()).toBe(loneliness.title);
      await page.getByRole("checkbox", { name: /^Bispebjerg/ }).check();
      await page.getByRole("button", { name: "Opdater resultater" }).click();
      await page.waitForURL(/district=bispebjerg/);
      expect(await page.locator("ol.cards > li").count()).toBe(1);

      await page.goto("/solutions");
      await page.getByRole("link", { name: "Næste" }).click();
      await page.waitForURL(/page=2/);
      expect(await page.locator("ol.cards > li").count()).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});
