// The three journeys in Chromium, as people click through them, with axe-core on the pages
// they meet (forms with their validation errors included).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { linkIn, waitForMail } from "../helpers/smtp";
import { signInWithForm } from "./browser";
import { expectAccessible, journeySetup } from "./journey";

const journey = journeySetup({ mail: true });
const { person } = journey;

let challengeUrl = "";
let solutionUrl = "";
let staff: Page;
let entrepreneur: Page;

describe("journeys in the browser", () => {
  it("staff publish a challenge", async () => {
    staff = await person();
    await signInWithForm(staff, "sof@kk.example", journey.portal.database.db);
    await expectAccessible(staff);
    await staff.getByRole("link", { name: "Ny udfordring" }).click();
    await staff.waitForURL(/\/challenges\/new/);
    // Publishing an empty form shows what is wrong, accessibly.
    await staff.getByRole("button", { name: "Offentliggør" }).click();
    await expect.poll(() => staff.locator(".error-summary").count()).toBe(1);
    await expectAccessible(staff);

    await staff.getByLabel("Titel").fill("Sommerjob til unge i Tingbjerg");
    await staff.getByLabel("Kort resumé").fill("Vi søger virksomheder og foreninger, der vil give unge deres første sommerjob.");
    await staff.getByLabel("Beskrivelse", { exact: true }).fill("Mange unge i Tingbjerg har svært ved at få deres første job. Vi vil gerne hjælpe dem i gang.");
    await staff.getByRole("checkbox", { name: "Brønshøj-Husum" }).check();
    await staff.getByRole("checkbox", { name: "Unge", exact: true }).check();
    await staff.getByRole("button", { name: "Offentliggør" }).click();
    await staff.waitForURL(/\/challenges\/\d+\?notice=published/);
    challengeUrl = new URL(staff.url()).pathname;
    await expect.poll(() => staff.locator("h1").textContent()).toBe("Sommerjob til unge i Tingbjerg");
    await expectAccessible(staff);
  });

  it("an entrepreneur signs up, verifies the e-mail, registers an organisation, publishes and proposes a solution", async () => {
    entrepreneur = await person();
    await entrepreneur.goto("/signup");
    await entrepreneur.getByLabel("Navn").fill("Jonas Jobmand");
    await entrepreneur.getByLabel("E-mail").fill("jonas@sommerjob.test");
    await entrepreneur.getByLabel("Adgangskode").fill("sommer i byen hele året");
    await entrepreneur.getByRole("button", { name: "Opret profil" }).click();
    await entrepreneur.waitForURL(/check-email/);
    const link = linkIn((await waitForMail(journey.smtp, "jonas@sommerjob.test", /Bekræft/)).text);
    await entrepreneur.goto(`${link.pathname}${link.search}`);
    // The link only asks; the button confirms (mail scanners open links too).
    await expectAccessible(entrepreneur);
    await entrepreneur.getByRole("button", { name: "Bekræft adressen" }).click();
    await entrepreneur.waitForURL(/\/me\?notice=verified/);

    await entrepreneur.getByRole("link", { name: "Registrér en organisation" }).click();
    await entrepreneur.getByLabel("Navn").fill("Sommerjobbanken");
    await entrepreneur.getByLabel("Type").selectOption("social_enterprise");
    await entrepreneur.getByLabel("CVR-nummer").fill("12345678");
    await entrepreneur.getByRole("button", { name: "Registrér organisationen" }).click();
    await expect.poll(() => entrepreneur.locator(".field-error").first().textContent()).toContain("kontrolcifferet");
    await expectAccessible(entrepreneur);
    await entrepreneur.getByLabel("CVR-nummer").fill("");
    await entrepreneur.getByRole("button", { name: "Registrér organisationen" }).click();
    await entrepreneur.waitForURL(/\/organisations\/\d+/);

    await entrepreneur.goto("/solutions/new");
    await entrepreneur.getByLabel("Titel").fill("Sommerjobbanken: første job med en mentor");
    await entrepreneur.getByLabel("Kort resumé").fill("Vi matcher unge med lokale arbejdspladser og giver dem en mentor i den første sommer.");
    await entrepreneur.getByLabel("Beskrivelse", { exact: true }).fill("Hver sommer finder vi 60 jobs til unge i udsatte boligområder og følger dem undervejs.");
    await entrepreneur.getByRole("button", { name: "Offentliggør" }).click();
    await entrepreneur.waitForURL(/\/solutions\/\d+\?notice=published/);
    solutionUrl = new URL(entrepreneur.url()).pathname;

    await entrepreneur.goto(challengeUrl);
    await entrepreneur.getByLabel("Hvorfor passer løsningen?").fill("Vi har 60 sommerjobs og mentorer klar i Brønshøj-Husum.");
    await entrepreneur.getByRole("button", { name: "Send forslag" }).click();
    await entrepreneur.waitForURL(/notice=proposed/);
    await expectAccessible(entrepreneur);
  });

  it("staff read the proposal and answer; the entrepreneur sees the answer", async () => {
    await staff.goto(challengeUrl);
    await expect.poll(() => staff.locator("[data-proposal-id]").count()).toBe(1);
    await staff.getByLabel("Svar til forslagsstilleren").fill("Det lyder godt – lad os mødes.");
    await staff.getByRole("button", { name: "Vi er interesserede" }).click();
    await staff.waitForURL(/notice=answered/);

    await entrepreneur.goto("/me");
    expect(await entrepreneur.locator("table").first().textContent()).toContain("Det lyder godt – lad os mødes.");
  });

  it("an administrator unpublishes a reported text, and its owner sees why", async () => {
    const reader = await person();
    await reader.goto(solutionUrl);
    await reader.getByText("Anmeld indholdet").click();
    await reader.getByLabel("Hvad er problemet?").fill("Der står intet om, hvem der betaler lønnen.");
    await reader.getByRole("button", { name: "Send anmeldelse" }).click();
    await reader.waitForURL(/notice=reported/);

    const admin = await person();
    await signInWithForm(admin, "admin@samskab.example", journey.portal.database.db);
    await admin.goto("/admin/reports");
    await expectAccessible(admin);
    await admin.getByRole("link", { name: "Sommerjobbanken: første job med en mentor" }).click();
    await admin.getByLabel("Begrundelse").fill("Oplys venligst, hvem der betaler de unges løn.");
    await admin.getByRole("button", { name: "Afpublicér" }).click();
    await admin.waitForURL(/notice=unpublished/);

    expect((await reader.goto(solutionUrl))?.status()).toBe(404);
    await entrepreneur.goto(solutionUrl);
    expect(await entrepreneur.locator(".notice").first().textContent()).toContain("Oplys venligst, hvem der betaler de unges løn.");
  });
});
