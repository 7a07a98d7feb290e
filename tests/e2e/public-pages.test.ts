// Every public page in a real browser, in Danish and English: it loads, it has one h1 and the
// right language, headings in order, and axe-core finds no WCAG 2.1 A/AA violation.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSubscriptions, subscribe } from "../../db/queries/notifications";
import { issueToken, subjectOf } from "../../db/tokens";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import {
  accessibilityViolations,
  headingOrderProblems,
  launchBrowser,
  newContext,
  otherLanguageStrings,
  PagePool,
} from "./browser";

let portal: TestPortal;
let browser: Browser;
let pool: PagePool;
let challengeId: number;
let solutionId: number;
let englishChallengeId: number;
let unsubscribeToken: string;

beforeAll(async () => {
  [portal, browser] = await Promise.all([startTestPortal(), launchBrowser()]);
  pool = new PagePool(browser, portal, { axe: true });
  await portal.settled();
  const db = portal.database.db;
  challengeId = (
    await db
      .selectFrom("challenges")
      .select("id")
      .where("status", "=", "open")
      .where("language", "=", "da")
      .orderBy("id")
      .executeTakeFirstOrThrow()
  ).id;
  englishChallengeId = (
    await db
      .selectFrom("challenges")
      .select("id")
      .where("status", "=", "open")
      .where("language", "=", "en")
      .orderBy("id")
      .executeTakeFirstOrThrow()
  ).id;
  solutionId = (
    await db
      .selectFrom("solutions")
      .select("id")
      .where("status", "=", "published")
      .orderBy("id")
      .executeTakeFirstOrThrow()
  ).id;
  // The page a notification mail's unsubscribe link opens.
  const { id: follower, email } = await db
    .selectFrom("users")
    .select(["id", "email"])
    .orderBy("id")
    .executeTakeFirstOrThrow();
  await subscribe(db, follower, "followed_challenges", "weekly");
  const subscription = (await listSubscriptions(db, follower))[0]!.id;
  unsubscribeToken = await issueToken(db, "unsubscribe", {
    userId: follower,
    email,
    subject: subjectOf.subscription(subscription),
  });
});
afterAll(async () => {
  await pool?.close();
  await browser?.close();
  await portal?.close();
});

const pages = () => [
  { name: "front page", path: "/" },
  { name: "challenge list", path: "/challenges" },
  {
    name: "challenge search with facets",
    path: "/challenges?q=ensomhd&district=bispebjerg",
  },
  {
    name: "challenge search without results",
    path: "/challenges?q=xyzzyqwerty",
  },
  { name: "challenge", path: `/challenges/${challengeId}` },
  {
    name: "challenge in the other language",
    path: `/challenges/${englishChallengeId}`,
  },
  { name: "solution list, page 2", path: "/solutions?page=2&sort=newest" },
  { name: "solution", path: `/solutions/${solutionId}` },
  { name: "accessibility statement", path: "/accessibility" },
  { name: "not found", path: "/findes-ikke", status: 404 },
  {
    name: "unsubscribe confirmation",
    path: `/unsubscribe?token=${unsubscribeToken}`,
  },
  {
    name: "unsubscribe with a used link",
    path: `/unsubscribe?token=${"x".repeat(43)}`,
    status: 404,
  },
  { name: "bad query", path: "/challenges?page=x", status: 400 },
  { name: "refused request", path: "/refused?status=415", status: 415 },
  {
    name: "verification link that no longer works",
    path: `/verify-email?token=${"x".repeat(43)}`,
    status: 404,
  },
];

// Concurrently, a few at a time: while the browser checks one page, the portal renders the next.
describe.concurrent.each(["da", "en"] as const)("in %s", (locale) => {
  it.each([
    "front page",
    "challenge list",
    "challenge search with facets",
    "challenge search without results",
    "challenge",
    "challenge in the other language",
    "solution list, page 2",
    "solution",
    "accessibility statement",
    "not found",
    "bad query",
    "unsubscribe confirmation",
    "unsubscribe with a used link",
    "refused request",
    "verification link that no longer works",
  ])("the %s has no WCAG 2.1 A/AA violations", async (name) => {
    const target = pages().find((p) => p.name === name)!;
    const { page, release } = await pool.borrow(null, { locale });
    try {
      const response = await page.goto(target.path);
      expect(response?.status()).toBe(target.status ?? 200);
      expect(await page.getAttribute("html", "lang")).toBe(locale);
      expect(await page.locator("h1").count()).toBe(1);
      expect(
        await page.locator('footer a[href="/accessibility"]').count()
      ).toBe(1);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await headingOrderProblems(page)).toEqual([]);
      expect(await otherLanguageStrings(page, locale)).toEqual([]);
    } finally {
      release();
    }
  });
});

describe("by keyboard", () => {
  it("reaches the skip link with the first Tab, and it moves focus to the content", async () => {
    const context = await newContext(browser, portal.url);
    try {
      const page = await context.newPage();
      await page.goto("/challenges");
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => ({
        text: document.activeElement?.textContent,
        href: document.activeElement?.getAttribute("href"),
      }));
      expect(focused).toEqual({ text: "Gå til indhold", href: "#main" });
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(
        "main"
      );
    } finally {
      await context.close();
    }
  });
});

describe("the accessibility check", () => {
  it("finds what it is there to find: an image without a text alternative, a nameless button", async () => {
    const { page, release } = await pool.borrow(null);
    try {
      await page.goto("/");
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.evaluate(() => {
        const main = document.querySelector("main")!;
        main.append(Object.assign(document.createElement("img"), { src: "/favicon.ico" }));
        main.append(document.createElement("button"));
      });
      const found = await accessibilityViolations(page);
      expect(found.some((v) => v.startsWith("image-alt"))).toBe(true);
      expect(found.some((v) => v.startsWith("button-name"))).toBe(true);
    } finally {
      release();
    }
  });
});
