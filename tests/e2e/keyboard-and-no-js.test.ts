// Two ways of using the portal that axe-core cannot judge.
// By keyboard alone: a member of staff signs in and publishes a challenge with Tab, typing,
// Space and Enter only. Every stop shows a focus indicator, focus follows the page's order, and
// Tab always gets out again (it reaches the footer and comes back round).
// Without JavaScript: signing in, publishing a challenge and proposing a solution work as plain
// form posts, with the errors summarised, linked to their fields and the typed text kept.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/demo";
import { signInWithForm } from "./browser";
import { journeySetup } from "./journey";

const journey = journeySetup();
const { person } = journey;

interface Focus {
  /** What a person would call it: its label, accessible name or text. */
  name: string;
  tag: string;
  /** Its place in the document, to compare with the order focus moved in. */
  order: number;
  indicator: boolean;
  path: string;
}

function focusNow(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const input = el as HTMLInputElement;
    const label = input.labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? el.textContent ?? "";
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return {
      name: label.replace(/\s+/g, " ").trim(),
      tag: el.tagName.toLowerCase(),
      order: Array.prototype.indexOf.call(document.querySelectorAll("*"), el),
      indicator: outline || style.boxShadow !== "none",
      path: location.pathname,
    };
  });
}

/**
 * Presses Tab until the focused element is the one wanted, checking each stop on the way: it
 * must show a focus indicator and come later in the page than the stop before it.
 */
async function tabTo(page: Page, wanted: (f: Focus) => boolean, what: string, maxPresses = 150): Promise<Focus> {
  let last: Focus | null = null;
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press("Tab");
    const now = await focusNow(page);
    if (!now) throw new Error(`Tab left the page before reaching ${what}`);
    expect(now.indicator, `no visible focus on ${now.tag} "${now.name}" (${now.path})`).toBe(true);
    // A date field takes several presses (day, month, year) without focus leaving it.
    if (last && last.path === now.path) expect(now.order, `focus jumped back from "${last.name}" to "${now.name}"`).toBeGreaterThanOrEqual(last.order);
    if (wanted(now)) return now;
    last = now;
  }
  throw new Error(`${maxPresses} presses of Tab did not reach ${what}`);
}

const named = (name: string, tag?: string) => (f: Focus) => f.name === name && (!tag || f.tag === tag);
const startsWith = (name: string) => (f: Focus) => f.name.startsWith(name);

describe("by keyboard alone", () => {
  it("staff sign in and publish a challenge with Tab, typing, Space and Enter", async () => {
    const page = await person();
    await page.goto("/");
    // The first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    expect(await focusNow(page)).toMatchObject({ name: "Gå til indhold", indicator: true });

    await tabTo(page, named("Log ind", "a"), "the sign-in link");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/login/);
    await page.locator("h1", { hasText: "Log ind" }).waitFor();
    await tabTo(page, named("E-mail", "input"), "the e-mail field");
    await page.keyboard.type("sof@kk.example");
    // The password comes straight after the e-mail: the order is the form's.
    await page.keyboard.press("Tab");
    expect(await focusNow(page)).toMatchObject({ name: "Adgangskode", tag: "input" });
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/me/);
    await page.locator("h1", { hasText: "Min side" }).waitFor();

    await tabTo(page, named("Ny udfordring", "a"), "the new-challenge link");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/challenges\/new/);
    await page.locator("h1", { hasText: "Ny udfordring" }).waitFor();
    await tabTo(page, named("Titel", "input"), "the title");
    await page.keyboard.type("Lektiehjælp på biblioteket i Husum");
    await page.keyboard.press("Tab");
    expect((await focusNow(page))?.name).toBe("Kort resumé");
    await page.keyboard.type("Vi søger frivillige og foreninger, der vil give lektiehjælp to eftermiddage om ugen.");
    await page.keyboard.press("Tab");
    expect((await focusNow(page))?.name).toBe("Beskrivelse");
    await page.keyboard.type("Mange børn i Husum får ikke hjælp til lektierne derhjemme. Biblioteket har lokaler, men ingen hænder.");
    await tabTo(page, named("Brønshøj-Husum", "input"), "the district Brønshøj-Husum");
    await page.keyboard.press("Space");
    await tabTo(page, named("Børn", "input"), "the target group Børn");
    await page.keyboard.press("Space");
    await tabTo(page, named("Offentliggør", "button"), "the publish button");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/challenges\/\d+\?notice=published/);
    await page.locator("h1", { hasText: "Lektiehjælp på biblioteket i Husum" }).waitFor();
    // The boxes ticked with Space were sent: the district is among the challenge's facts.
    expect(await page.locator(".facts").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("Brønshøj-Husum")]));

    // No trap: Tab gets all the way to the footer's last link, then round to the top again.
    await tabTo(page, startsWith("Fri software"), "the footer's last link", 250);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect((await focusNow(page))?.name).toBe("Gå til indhold");
  });
});

/** The error summary's problems: each link must lead to a field that is marked invalid and described by its error. */
function errorSummaryProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const summary = document.querySelector(".error-summary");
    if (!summary) return ["no error summary"];
    const problems: string[] = [];
    if (summary.getAttribute("role") !== "alert") problems.push("the summary is not announced (role=alert)");
    const links = [...summary.querySelectorAll<HTMLAnchorElement>("a[href^='#']")];
    if (links.length === 0) problems.push("the summary links to no field");
    for (const link of links) {
      const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) {
        problems.push(`"${link.textContent}" links to nothing`);
        continue;
      }
      if (field.getAttribute("aria-invalid") !== "true") problems.push(`${field.id} is not marked invalid`);
      const described = (field.getAttribute("aria-describedby") ?? "").split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "");
      const message = (link.textContent ?? "").split(":").pop()!.trim();
      if (!described.some((text) => text.includes(message))) problems.push(`${field.id} is not described by "${message}"`);
    }
    return problems;
  });
}

describe("without JavaScript", () => {
  it("signs in: a wrong password says so and keeps the e-mail, the right one signs in", async () => {
    const page = await person({ javaScriptEnabled: false });
    await page.goto("/login");
    await page.getByLabel("E-mail").fill("sof@kk.example");
    await page.getByLabel("Adgangskode").fill("forkert-kodeord");
    const wrong = page.waitForResponse((r) => r.url().includes("/login") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Log ind" }).click();
    expect((await wrong).status()).toBe(400);
    expect(await page.locator(".error-summary").textContent()).toContain("E-mail eller adgangskode er forkert");
    expect(await page.getByLabel("E-mail").inputValue()).toBe("sof@kk.example");
    expect(await page.getByLabel("Adgangskode").inputValue()).toBe("");

    await page.getByLabel("Adgangskode").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.waitForURL(/\/me/);
    expect(await page.locator("h1").textContent()).toBe("Min side");
  });

  let challengePath = "";

  it("publishes a challenge: the errors are linked to their fields, what was typed stays, then it is published", async () => {
    const page = await person({ javaScriptEnabled: false });
    await signInWithForm(page, "sof@kk.example", journey.portal.database.db);

    await page.goto("/challenges/new");
    await page.evaluate(() => document.querySelectorAll("form").forEach((f) => f.setAttribute("novalidate", "")));
    await page.getByLabel("Titel").fill("Madklub for ensomme mænd i Valby");
    await page.getByRole("button", { name: "Offentliggør" }).click();
    await page.locator(".error-summary").waitFor();
    expect(await errorSummaryProblems(page)).toEqual([]);
    expect(await page.getByLabel("Titel").inputValue()).toBe("Madklub for ensomme mænd i Valby");
    // The summary's link takes the reader to the field.
    await page.locator(".error-summary a").first().click();
    expect(await page.evaluate(() => location.hash)).toMatch(/^#/);

    await page.getByLabel("Kort resumé").fill("Vi søger nogen, der vil lave mad sammen med ældre mænd, der bor alene.");
    await page.getByLabel("Beskrivelse", { exact: true }).fill("Mange ældre mænd i Valby spiser alene hver dag. Et fast måltid i fællesskab kan ændre det.");
    await page.getByRole("checkbox", { name: "Valby" }).check();
    await page.getByRole("checkbox", { name: "Ældre", exact: true }).check();
    await page.getByRole("button", { name: "Offentliggør" }).click();
    await page.waitForURL(/\/challenges\/\d+\?notice=published/);
    challengePath = new URL(page.url()).pathname;
    expect(await page.locator("h1").textContent()).toBe("Madklub for ensomme mænd i Valby");
  });

  it("proposes a solution to that challenge: an empty reason is refused, a written one is sent", async () => {
    const page = await person({ javaScriptEnabled: false });
    await signInWithForm(page, "entrepreneur@samskab.example", journey.portal.database.db);

    await page.goto(challengePath);
    await page.evaluate(() => document.querySelectorAll("form").forEach((f) => f.setAttribute("novalidate", "")));
    await page.getByRole("button", { name: "Send forslag" }).click();
    await page.locator(".error-summary").waitFor();
    expect(await errorSummaryProblems(page)).toEqual([]);

    await page.getByLabel("Hvorfor passer løsningen?").fill("Vi driver allerede madfællesskaber for ældre i Valby to gange om ugen.");
    await page.getByRole("button", { name: "Send forslag" }).click();
    await page.waitForURL(/notice=proposed/);
    expect(await page.locator(".notice").first().textContent()).toContain("Dit forslag er sendt.");
    // And it is stored: the entrepreneur's own page lists the proposal to that challenge.
    await page.goto("/me");
    expect(await page.locator("table").first().textContent()).toContain("Madklub for ensomme mænd i Valby");
  });
});
