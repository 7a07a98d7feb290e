// The set-up the journey tests share: the portal (optionally sending mail to a loopback SMTP
// server), Chromium, and fresh browser profiles for each person, all closed after the file.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { freePort } from "../../search/embedded-meili";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { closeSmtpServers, smtpUrl, startSmtp, type TestSmtp } from "../helpers/smtp";
import { accessibilityViolations, launchBrowser, newContext } from "./browser";

export interface Journey {
  readonly portal: TestPortal;
  readonly browser: Browser;
  /** The loopback SMTP server; only with `{ mail: true }`. */
  readonly smtp: TestSmtp;
  /** A new person: a fresh browser profile and page, in Danish. */
  person(options?: { javaScriptEnabled?: boolean }): Promise<Page>;
}

/** Registers the file's beforeAll/afterAll and returns what the tests use. */
export function journeySetup(options: { mail?: boolean } = {}): Journey {
  let portal: TestPortal | undefined;
  let browser: Browser | undefined;
  let smtp: TestSmtp | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    let overrides = {};
    if (options.mail) {
      const port = await freePort();
      smtp = await startSmtp(port);
      overrides = { smtpUrl: smtpUrl(port) };
    }
    [portal, browser] = await Promise.all([startTestPortal(overrides), launchBrowser()]);
    await portal.settled();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await portal?.close();
    if (options.mail) await closeSmtpServers();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (only inside tests, and smtp only with { mail: true })`);
    return value;
  };
  return {
    get portal() {
      return ready(portal, "the portal");
    },
    get browser() {
      return ready(browser, "the browser");
    },
    get smtp() {
      return ready(smtp, "the SMTP server");
    },
    async person({ javaScriptEnabled = true } = {}) {
      const context = await newContext(ready(browser, "the browser"), ready(portal, "the portal").url, { javaScriptEnabled, axe: true });
      contexts.push(context);
      const page = await context.newPage();
      // Fail with the locator's name rather than at the test's own time limit.
      page.setDefaultTimeout(8_000);
      return page;
    },
  };
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}
