// The community manager's work in Chromium, as a person clicks through it: an undecided
// suggestion taken from the queue to an accepted match, the introduction mailed to both parties
// (read at the loopback SMTP server), each party confirming by its link, then a meeting, a
// pilot, an agreement with its procurement route and an outcome, every step in the match's
// history and in the overview. axe-core checks each page met on the way.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { linkIn, waitForMail } from "../helpers/smtp";
import { signInWithForm } from "./browser";
import { expectAccessible, journeySetup } from "./journey";

const journey = journeySetup({ mail: true });
const { person } = journey;

let curator: Page;
let pair = { challenge: 0, solution: 0 };
let matchId = 0;
const contacts = { challenge: "", solution: "" };

describe("a community manager's match, from suggestion to outcome", () => {
  it("takes the strongest undecided suggestion from the queue and accepts it without leaving the queue", async () => {
    curator = await person();
    await signInWithForm(curator, "community@samskab.example", journey.portal.database.db);
    await curator.getByRole("link", { name: "Matchmaking" }).click();
    await curator.waitForURL(/\/curation/);
    await curator.getByLabel("Hele kommunen").check();
    await curator.getByRole("button", { name: "Vis forslag" }).click();
    await curator.waitForURL(/scope=all/);
    await expectAccessible(curator);
    const first = curator.locator("li.queue-item[data-pair]").first();
    const key = (await first.getAttribute("data-pair"))!;
    const [challenge, solution] = key.split("-").map(Number) as [number, number];
    pair = { challenge, solution };
    const second = await curator.locator("li.queue-item[data-pair]").nth(1).getAttribute("data-pair");
    // Dismissing needs a reason: the error shows on the card, linked to its field.
    await first.getByText("Afvis …").click();
    await first.getByRole("button", { name: "Afvis forslaget" }).click();
    await first.locator(".error-summary").waitFor();
    expect(await first.locator(".field-error").first().textContent()).toContain("Vælg en begrundelse");
    await expectAccessible(curator);
    await first.getByRole("button", { name: "Godkend som match" }).click();
    await curator.locator(`li.queue-item[data-pair="${key}"]`).waitFor({ state: "detached" });
    // Still on the queue; focus went to the next pair's heading.
    expect(curator.url()).toContain("/curation");
    expect(await curator.evaluate(() => document.activeElement?.closest("li")?.getAttribute("data-pair"))).toBe(second);
    const row = await journey.portal.database.db.selectFrom("matches").selectAll().where("challenge_id", "=", challenge).where("solution_id", "=", solution).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ origin: "suggestion", stage: "accepted" });
    matchId = row.id;
  });

  it("introduces the parties: both get a mail in their language with the why and a link", async () => {
    await curator.getByRole("link", { name: "Se alle match" }).click();
    await curator.waitForURL(/\/matches$/);
    await expectAccessible(curator);
    await curator.locator(`tr[data-match-id="${matchId}"] a`).first().click();
    await curator.waitForURL(new RegExp(`/matches/${matchId}`));
    await expectAccessible(curator);
    await curator.getByRole("button", { name: "Introducér parterne" }).click();
    await curator.getByText("Begge parter har fået en introduktion på e-mail.").waitFor();
    const db = journey.portal.database.db;
    const c = await db.selectFrom("challenges").select(["contact_email"]).where("id", "=", pair.challenge).executeTakeFirstOrThrow();
    const o = await db.selectFrom("solutions").innerJoin("organisations", "organisations.id", "solutions.organisation_id").select("organisations.contact_email").where("solutions.id", "=", pair.solution).executeTakeFirstOrThrow();
    contacts.challenge = c.contact_email!;
    contacts.solution = o.contact_email!;
    expect(contacts.challenge).toMatch(/@/);
    expect(contacts.solution).toMatch(/@/);
  });

  it("each party confirms by its link; contact details are shared only once both have", async () => {
    for (const [party, address] of Object.entries(contacts)) {
      const mail = await waitForMail(journey.smtp, address, /Samskab: /);
      expect(mail.text).toMatch(/Hvorfor vi tror, I passer sammen|Why we think you fit/);
      const link = linkIn(mail.text);
      const page = await person();
      await page.goto(`${link.pathname}${link.search}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: /Ja, vi vil gerne i kontakt|Yes, we would like to get in touch/ }).click();
      await page.locator(".notice.success").waitFor();
      const text = await page.locator(".notice.success").textContent();
      if (party === "challenge") expect(text).toMatch(/Tak\. Vi giver besked|Thank you\. We will let you know/);
      else expect(text).toMatch(/Begge parter har sagt ja|Both parties have said yes/);
    }
    // The contact details arrive by mail, each party the other's.
    const toChallenge = await waitForMail(journey.smtp, contacts.challenge, /kontakte hinanden|contact each other/);
    expect(toChallenge.text).toContain(contacts.solution);
    const toSolution = await waitForMail(journey.smtp, contacts.solution, /kontakte hinanden|contact each other/);
    expect(toSolution.text).toContain(contacts.challenge);
  });

  it("records a meeting, a pilot, an agreement with its procurement route and the outcome", async () => {
    await curator.reload();
    const advance = async (stage: string, fill?: () => Promise<void>) => {
      await curator.getByLabel("Trin", { exact: true }).selectOption({ label: stage });
      await fill?.();
      await curator.getByRole("button", { name: "Gem trinnet" }).click();
      await curator.getByText("Matchets trin er opdateret.").waitFor();
    };
    await advance("Møde holdt");
    await advance("Pilot");
    // An agreement without its route is refused, with what was typed kept.
    await curator.getByLabel("Trin", { exact: true }).selectOption({ label: "Aftale" });
    await curator.getByLabel("Om aftalen").fill("Et år, to bydele");
    await curator.getByRole("button", { name: "Gem trinnet" }).click();
    await curator.locator(".error-summary").waitFor();
    expect(await curator.getByLabel("Om aftalen").inputValue()).toBe("Et år, to bydele");
    await expectAccessible(curator);
    await curator.getByLabel("Indkøbsvej").selectOption("reserved-contract");
    await curator.getByRole("button", { name: "Gem trinnet" }).click();
    await curator.getByText("Matchets trin er opdateret.").waitFor();
    await advance("Resultat", async () => {
      await curator.getByLabel("Resultat").fill("30 deltagere mødes nu hver uge; 12 siger, de er mindre alene.");
    });
    await expectAccessible(curator);
  });

  it("shows every step in the match's history", async () => {
    const history = curator.locator("section[aria-labelledby=audit-title] tbody tr");
    const actions = await history.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-audit-action")));
    expect(actions).toEqual(["accepted", "stage", "confirmed", "confirmed", "contacts_shared", "stage", "stage", "stage", "stage"]);
    const text = (await curator.locator("section[aria-labelledby=audit-title]").textContent()) ?? "";
    for (const step of ["»Godkendt« til »Introduceret«", "»Introduceret« til »Møde holdt«", "»Pilot« til »Aftale«", "»Aftale« til »Resultat«"]) expect(text).toContain(step);
    expect(await curator.locator("dl.facts").textContent()).toContain("Reserveret kontrakt");
  });

  it("and in the overview's funnel", async () => {
    await curator.goto("/curation/overview");
    await expectAccessible(curator);
    // The totals row of the funnel by month: suggestions, matches, introductions, pilots,
    // agreements, outcomes.
    const totals = await curator.locator("#funnel-by-month tfoot td").allTextContents();
    expect(totals).toHaveLength(6);
    const [, matches, introductions, pilots, agreements, outcomes] = totals.map((t) => Number(t.replace(/\D/g, "")));
    for (const n of [matches, introductions, pilots, agreements, outcomes]) expect(n).toBeGreaterThanOrEqual(1);
  });
});
