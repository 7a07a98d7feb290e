// Pages on a small phone and zoomed in (WCAG 1.4.10 reflow and 1.4.4 resize text), as each role
// sees them: at 320 CSS px wide, at 200 % browser zoom of a 1280 px window (640 CSS px at two
// device pixels each), and with the text alone at 200 %, nothing may reach past the screen's
// edge, the page may not scroll sideways, and no box may cut off its text. Wide data tables are
// allowed to scroll inside their own box, as WCAG allows for content that needs two dimensions.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptSuggestion, listQueue } from "../../db/queries/curation";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { launchBrowser, PagePool } from "./browser";
import { organisationOf } from "../helpers/factories";

let portal: TestPortal;
let browser: Browser;
let pool: PagePool;
const ids = { challenge: 0, solution: 0, organisation: 0, match: 0 };

beforeAll(async () => {
  [portal, browser] = await Promise.all([startTestPortal(), launchBrowser()]);
  pool = new PagePool(browser, portal);
  await portal.settled();
  const db = portal.database.db;
  const curator = await db
    .selectFrom("users")
    .select(["id", "name"])
    .where("email", "=", "community@samskab.example")
    .executeTakeFirstOrThrow();
  const top = (
    await listQueue(db, {
      curatorId: curator.id,
      everywhere: true,
      minScore: 0.2,
      limit: 1,
      offset: 0,
    })
  ).rows[0]!;
  ids.challenge = top.challenge_id;
  ids.solution = top.solution_id;
  ids.match = await acceptSuggestion(db, {
    challengeId: top.challenge_id,
    solutionId: top.solution_id,
    note: null,
    actor: curator,
  });
  ids.organisation = await organisationOf(db, "entrepreneur@samskab.example");
});
afterAll(async () => {
  await pool?.close();
  await browser?.close();
  await portal?.close();
});

interface Mode {
  name: string;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  textAt200?: boolean;
}

const MODES: Mode[] = [
  {
    name: "320 px wide",
    viewport: { width: 320, height: 640 },
    deviceScaleFactor: 1,
  },
  {
    name: "200 % zoom",
    viewport: { width: 640, height: 450 },
    deviceScaleFactor: 2,
  },
  {
    name: "text at 200 %",
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    textAt200: true,
  },
];

/** Sends the page's first form empty (without the browser's own checks), so its errors show. */
async function submitEmpty(page: Page) {
  await page.evaluate(() =>
    document
      .querySelectorAll("form")
      .forEach((f) => f.setAttribute("novalidate", ""))
  );
  await page.locator("main form button.primary").first().click();
  await page.locator(".error-summary").first().waitFor();
}

interface Visit {
  name: string;
  as: string | null;
  path: () => string;
  status?: number;
  then?: (page: Page) => Promise<void>;
}

const visits: Visit[] = [
  { name: "front page", as: null, path: () => "/" },
  {
    name: "challenge search with facets",
    as: null,
    path: () => "/challenges?q=ensomhed",
  },
  { name: "challenge", as: null, path: () => `/challenges/${ids.challenge}` },
  {
    name: "challenge with its suggestions",
    as: "community@samskab.example",
    path: () => `/challenges/${ids.challenge}`,
  },
  { name: "solution list", as: null, path: () => "/solutions" },
  { name: "solution", as: null, path: () => `/solutions/${ids.solution}` },
  { name: "accessibility statement", as: null, path: () => "/accessibility" },
  { name: "not-found page", as: null, path: () => "/findes-ikke", status: 404 },
  {
    name: "sign-up form with errors",
    as: null,
    path: () => "/signup",
    then: submitEmpty,
  },
  {
    name: "entrepreneur's page",
    as: "entrepreneur@samskab.example",
    path: () => "/me",
  },
  {
    name: "new solution with errors",
    as: "entrepreneur@samskab.example",
    path: () => "/solutions/new",
    then: submitEmpty,
  },
  {
    name: "own organisation",
    as: "entrepreneur@samskab.example",
    path: () => `/organisations/${ids.organisation}`,
  },
  {
    name: "new challenge with errors",
    as: "suf@kk.example",
    path: () => "/challenges/new",
    then: submitEmpty,
  },
  {
    name: "queue of suggestions",
    as: "community@samskab.example",
    path: () => "/curation?scope=all",
  },
  { name: "matches", as: "community@samskab.example", path: () => "/matches" },
  {
    name: "a match",
    as: "community@samskab.example",
    path: () => `/matches/${ids.match}`,
  },
  {
    name: "overview",
    as: "community@samskab.example",
    path: () => "/curation/overview",
  },
  { name: "administration", as: "admin@samskab.example", path: () => "/admin" },
  {
    name: "reference data",
    as: "admin@samskab.example",
    path: () => "/admin/reference",
  },
  { name: "mail", as: "admin@samskab.example", path: () => "/admin/mail" },
  { name: "users", as: "admin@samskab.example", path: () => "/admin/users" },
  {
    name: "audit trail",
    as: "admin@samskab.example",
    path: () => "/admin/audit",
  },
  {
    name: "security page with a second factor being set up",
    as: "suf@kk.example",
    path: () => "/me/security",
    then: async (page) => {
      const begin = page.locator('button[name="intent"][value="begin-setup"]');
      if ((await begin.count()) > 0) await begin.click();
      await page.locator("figure.qr svg").waitFor();
    },
  },
];

/** The visit's page at the mode's size, as its person, with the visit's steps taken. */
async function open(
  mode: Mode,
  visit: Visit
): Promise<{ page: Page; release(): void }> {
  const borrowed = await pool.borrow(visit.as, {
    viewport: mode.viewport,
    deviceScaleFactor: mode.deviceScaleFactor,
  });
  try {
    const response = await borrowed.page.goto(visit.path());
    expect(response?.status()).toBe(visit.status ?? 200);
    await visit.then?.(borrowed.page);
    // Through the CSSOM, which the Content-Security-Policy allows, not a <style> element, which it refuses.
    if (mode.textAt200)
      await borrowed.page.evaluate(() =>
        document.documentElement.style.setProperty(
          "font-size",
          "200%",
          "important"
        )
      );
  } catch (error) {
    borrowed.release();
    throw error;
  }
  return borrowed;
}

/** What reaches past the screen or is cut off, as readable lines (none when the page reflows). */
function reflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const problems: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${
        el.className && typeof el.className === "string"
          ? `.${el.className.trim().split(/\s+/).join(".")}`
          : ""
      } "${(el.textContent ?? "").trim().slice(0, 40)}"`;
    const hidden = (el: Element) =>
      el.closest(".sr-only, .skip-link, [hidden]") !== null;
    if (root.scrollWidth > width)
      problems.push(
        `the page scrolls sideways: ${root.scrollWidth} px of content in ${width} px`
      );
    for (const el of document.querySelectorAll("body *")) {
      if (hidden(el) || el.closest(".table-scroll")) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -1 || box.right > width + 1)
        problems.push(
          `${name(el)} reaches past the screen (${Math.round(
            box.left
          )} to ${Math.round(box.right)} of ${width} px)`
        );
      const style = getComputedStyle(el);
      const clips = (v: string) => v === "hidden" || v === "clip";
      if (
        (clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
        (clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1)
      ) {
        if (el.tagName !== "METER")
          problems.push(`${name(el)} cuts off its content`);
      }
    }
    // A table box that scrolls must be reachable by keyboard to be scrolled.
    for (const box of document.querySelectorAll(".table-scroll")) {
      if (
        box.scrollWidth > box.clientWidth &&
        (box as HTMLElement).tabIndex < 0
      )
        problems.push(`${name(box)} scrolls but cannot be focused`);
    }
    return problems.slice(0, 12);
  });
}

// Concurrently, a few at a time: while the browser lays out one page, the portal renders the next.
describe.concurrent.each(MODES.map((m) => [m.name, m] as const))(
  "at %s",
  (_name, mode) => {
    it.each(visits.map((v) => [v.name, v] as const))(
      "the %s reflows without sideways scrolling or cut-off text",
      async (_visit, visit) => {
        const { page, release } = await open(mode, visit);
        try {
          expect(await reflowProblems(page)).toEqual([]);
          // The header's links are all still there to be used (wrapped, not hidden).
          const nav = page.locator("header a:visible, header button:visible");
          expect(await nav.count()).toBeGreaterThanOrEqual(4);
        } finally {
          release();
        }
      }
    );
  }
);

describe("a wide table", () => {
  it("scrolls inside its own box on a phone, and a keyboard user can reach and scroll it", async () => {
    const { page, release } = await open(
      MODES[0]!,
      visits.find((v) => v.name === "overview")!
    );
    try {
      const region = page.getByRole("region", {
        name: /Tragten måned for måned/,
      });
      const sizes = await region.evaluate((el) => ({
        scroll: el.scrollWidth,
        client: el.clientWidth,
        left: el.scrollLeft,
      }));
      expect(sizes.scroll).toBeGreaterThan(sizes.client);
      await region.focus();
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await expect
        .poll(() => region.evaluate((el) => el.scrollLeft))
        .toBeGreaterThan(0);
    } finally {
      release();
    }
  });
});
