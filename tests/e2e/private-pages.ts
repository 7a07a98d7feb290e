// The signed-in pages and the forms, in Danish and English, as each role sees them – forms also
// with their validation errors showing, and the matcher's suggestions where their viewers see
// them: no WCAG 2.1 A/AA violations, one h1 and headings in order, the right language. One file
// per language (private-pages.da/.en.test.ts), so the two halves run side by side.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, readDemoData } from "../../db/demo";
import { organisationOf } from "../helpers/factories";
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
const ids = {
  challenge: 0,
  solution: 0,
  organisation: 0,
  matchedChallenge: 0,
  matchedSolution: 0,
  match: 0,
};
const loneliness = readDemoData().challenges.find((c) => c.key === "c01")!;

type Step = (page: Page) => Promise<void>;
const submitEmpty =
  (button: string): Step =>
  async (page) => {
    // Without client-side checks, so the server's 400 answer with its messages is what is seen.
    await page.evaluate(() =>
      document
        .querySelectorAll("form")
        .forEach((f) => f.setAttribute("novalidate", ""))
    );
    await page.evaluate(() =>
      document
        .querySelectorAll(
          "input:not([type=hidden]):not([type=checkbox]), textarea"
        )
        .forEach((e) => ((e as HTMLInputElement).value = ""))
    );
    await page.getByRole("button", { name: button }).first().click();
    await page.locator(".error-summary").first().waitFor();
  };

/** The second factor being set up: the QR code and the key to type (the button, the first time). */
const settingUpSecondFactor: Step = async (page) => {
  const begin = page.locator('button[name="intent"][value="begin-setup"]');
  if ((await begin.count()) > 0) await begin.click();
  await page.locator("figure.qr svg").waitFor();
};

/** The second step of signing in, reached with the demo administrator's password. */
const atSecondStep =
  (submit: string): Step =>
  async (page) => {
    await page.locator('input[name="email"]').fill("admin@samskab.example");
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: submit }).click();
    await page.waitForURL(/\/login\/second-factor/);
  };

/** The page shows the matcher's suggestions (so axe checks them, not an empty state). */
const suggestionsShowing: Step = async (page) => {
  expect(
    await page.locator("[data-suggestions] [data-suggestion-id]").count()
  ).toBeGreaterThan(0);
};
const withSuggestions = { da: suggestionsShowing, en: suggestionsShowing };

interface Visit {
  name: string;
  as: string | null;
  path: () => string;
  then?: { da: Step; en: Step };
  /** The visit signs in part of the way: a profile of its own, not one the other visits share. */
  ownProfile?: boolean;
}

const visits: Visit[] = [
  {
    name: "sign-up form with errors",
    as: null,
    path: () => "/signup",
    then: {
      da: submitEmpty("Opret profil"),
      en: submitEmpty("Create account"),
    },
  },
  {
    name: "sign-in form with errors",
    as: null,
    path: () => "/login",
    then: { da: submitEmpty("Log ind"), en: submitEmpty("Sign in") },
  },
  { name: "forgotten password", as: null, path: () => "/forgot-password" },
  {
    name: "entrepreneur's page",
    as: "entrepreneur@samskab.example",
    path: () => "/me",
    then: withSuggestions,
  },
  {
    name: "new solution with errors",
    as: "entrepreneur@samskab.example",
    path: () => "/solutions/new",
    then: { da: submitEmpty("Gem kladde"), en: submitEmpty("Save draft") },
  },
  {
    name: "editing a solution",
    as: "entrepreneur@samskab.example",
    path: () => `/solutions/${ids.solution}/edit`,
  },
  {
    name: "own organisation",
    as: "entrepreneur@samskab.example",
    path: () => `/organisations/${ids.organisation}`,
  },
  {
    name: "new organisation",
    as: "entrepreneur@samskab.example",
    path: () => "/organisations/new",
  },
  {
    name: "staff's page",
    as: "suf@kk.example",
    path: () => "/me",
    then: withSuggestions,
  },
  {
    name: "new challenge with errors",
    as: "suf@kk.example",
    path: () => "/challenges/new",
    then: { da: submitEmpty("Gem kladde"), en: submitEmpty("Save draft") },
  },
  {
    name: "editing a challenge",
    as: "suf@kk.example",
    path: () => `/challenges/${ids.challenge}/edit`,
  },
  {
    name: "challenge as its staff",
    as: "suf@kk.example",
    path: () => `/challenges/${ids.challenge}`,
  },
  {
    name: "challenge with suggestions as its staff",
    as: "suf@kk.example",
    path: () => `/challenges/${ids.matchedChallenge}`,
    then: withSuggestions,
  },
  {
    name: "challenge with suggestions as a community manager",
    as: "community@samskab.example",
    path: () => `/challenges/${ids.matchedChallenge}`,
    then: withSuggestions,
  },
  {
    name: "solution with suggestions as its organisation",
    as: "entrepreneur@samskab.example",
    path: () => `/solutions/${ids.matchedSolution}`,
    then: withSuggestions,
  },
  {
    name: "community manager's page",
    as: "community@samskab.example",
    path: () => "/me",
    then: withSuggestions,
  },
  {
    name: "queue of suggestions",
    as: "community@samskab.example",
    path: () => "/curation?scope=all",
  },
  {
    name: "matches as a community manager",
    as: "community@samskab.example",
    path: () => "/matches",
  },
  {
    name: "a match as a community manager",
    as: "community@samskab.example",
    path: () => `/matches/${ids.match}`,
  },
  {
    name: "a match as its entrepreneur",
    as: "entrepreneur@samskab.example",
    path: () => `/matches/${ids.match}`,
  },
  { name: "matches as staff", as: "suf@kk.example", path: () => "/matches" },
  {
    name: "overview for community managers",
    as: "community@samskab.example",
    path: () => "/curation/overview",
  },
  { name: "administration", as: "admin@samskab.example", path: () => "/admin" },
  {
    name: "reports",
    as: "admin@samskab.example",
    path: () => "/admin/reports",
  },
  {
    name: "organisations to confirm",
    as: "admin@samskab.example",
    path: () => "/admin/organisations",
  },
  {
    name: "invitations",
    as: "admin@samskab.example",
    path: () => "/admin/invitations",
  },
  {
    name: "reference data",
    as: "admin@samskab.example",
    path: () => "/admin/reference",
  },
  { name: "mail", as: "admin@samskab.example", path: () => "/admin/mail" },
  {
    name: "challenge as an administrator",
    as: "admin@samskab.example",
    path: () => `/challenges/${ids.challenge}`,
  },
  { name: "users", as: "admin@samskab.example", path: () => "/admin/users" },
  {
    name: "audit trail",
    as: "admin@samskab.example",
    path: () => "/admin/audit",
  },
  {
    name: "security page",
    as: "entrepreneur@samskab.example",
    path: () => "/me/security",
  },
  {
    name: "security page while setting up a second factor",
    as: "suf@kk.example",
    path: () => "/me/security",
    then: { da: settingUpSecondFactor, en: settingUpSecondFactor },
  },
  {
    name: "second step of signing in",
    as: null,
    path: () => "/login",
    then: { da: atSecondStep("Log ind"), en: atSecondStep("Sign in") },
    ownProfile: true,
  },
];

/** A page of the visit's person in `locale`: a shared one, or for a visit that needs it, one in a profile of its own. */
async function pageFor(
  visit: Visit,
  locale: "da" | "en"
): Promise<{ page: Page; release(): Promise<void> | void }> {
  if (!visit.ownProfile) return pool.borrow(visit.as, { locale });
  const context = await newContext(browser, portal.url, { locale, axe: true });
  return { page: await context.newPage(), release: () => context.close() };
}

/** Every visit in `locale`: a portal and a browser of the file's own. */
export function checkPrivatePages(locale: "da" | "en"): void {
  beforeAll(async () => {
    [portal, browser] = await Promise.all([startTestPortal(), launchBrowser()]);
    pool = new PagePool(browser, portal, { axe: true });
    const db = portal.database.db;
    ids.challenge = (
      await db
        .selectFrom("challenges")
        .innerJoin(
          "organisations",
          "organisations.id",
          "challenges.owner_organisation_id"
        )
        .select("challenges.id")
        .where("organisations.code", "=", "SUF")
        .orderBy("challenges.id")
        .executeTakeFirstOrThrow()
    ).id;
    ids.organisation = await organisationOf(db, "entrepreneur@samskab.example");
    ids.solution = (
      await db
        .selectFrom("solutions")
        .select("id")
        .where("organisation_id", "=", ids.organisation)
        .executeTakeFirstOrThrow()
    ).id;
    // The matcher's suggestions are stored once the outbox has drained.
    await portal.settled();
    ids.matchedChallenge = (
      await db
        .selectFrom("challenges")
        .select("id")
        .where("title", "=", loneliness.title)
        .executeTakeFirstOrThrow()
    ).id;
    ids.matchedSolution = (
      await db
        .selectFrom("solutions")
        .select("id")
        .where("organisation_id", "=", ids.organisation)
        .where("status", "=", "published")
        .orderBy("id")
        .executeTakeFirstOrThrow()
    ).id;
    // A match of theirs, as a community manager would have accepted it (with the matcher's why).
    const suggestion = await db
      .selectFrom("match_suggestions")
      .select(["score", "reasons"])
      .orderBy("score", "desc")
      .executeTakeFirstOrThrow();
    ids.match = (
      await db
        .insertInto("matches")
        .values({
          challenge_id: ids.matchedChallenge,
          solution_id: ids.matchedSolution,
          origin: "suggestion",
          score: suggestion.score,
          reasons: suggestion.reasons,
          proposal_id: null,
          curator_id: null,
          ended_at_stage: null,
          end_reason: null,
          procurement_route_code: null,
          agreement_note: null,
          outcome_result: null,
          next_step: "Første møde",
          next_step_due: "2026-12-24",
          introduced_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await pool?.close();
    await browser?.close();
    await portal?.close();
  });

  // Concurrently, a few at a time: while the browser checks one page, the portal renders the next.
  describe.concurrent(`in ${locale}`, () => {
    it.each(visits.map((v) => [v.name, v] as const))(
      "the %s has no WCAG 2.1 A/AA violations",
      async (_name, visit) => {
        const { page, release } = await pageFor(visit, locale);
        try {
          const response = await page.goto(visit.path());
          expect(response?.status()).toBe(200);
          await visit.then?.[locale](page);
          expect(await page.getAttribute("html", "lang")).toBe(locale);
          expect(await page.locator("h1").count()).toBe(1);
          expect(await accessibilityViolations(page)).toEqual([]);
          expect(await headingOrderProblems(page)).toEqual([]);
          expect(await otherLanguageStrings(page, locale)).toEqual([]);
        } finally {
          await release();
        }
      }
    );
  });
}
