// Sign-up, verification, sign-in, throttling and password reset over real HTTP, with the mails
// read from a real SMTP server on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../search/embedded-meili";
import { DEMO_PASSWORD } from "../../db/demo";
import { signedIn, Visitor } from "../helpers/client";
import { organisationOf } from "../helpers/factories";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { closeSmtpServers, linkIn, smtpUrl, startSmtp, waitForMail, type TestSmtp } from "../helpers/smtp";

let portal: TestPortal;
let smtp: TestSmtp;

beforeAll(async () => {
  const port = await freePort();
  smtp = await startSmtp(port);
  portal = await startTestPortal({ smtpUrl: smtpUrl(port), demoData: true });
  // The matcher and the index work through the demo data first; counts below must stand still.
  await portal.settled(60_000);
});
afterAll(async () => {
  await portal?.close();
  await closeSmtpServers();
});

async function count(table: "users" | "sessions" | "outbox") {
  return (await portal.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
}

async function signUp(visitor: Visitor, email: string, password = "en lang nok adgangskode") {
  return visitor.post("/signup", { name: "Test Person", email, password });
}

describe("signing up", () => {
  it("mails a verification link that confirms the address and signs the person in", async () => {
    const visitor = new Visitor(portal);
    const res = await signUp(visitor, "ny.person@samskab.test");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/signup/check-email");
    expect(visitor.cookies.has("samskab_session")).toBe(false);

    const mail = await waitForMail(smtp, "ny.person@samskab.test", /Bekræft din e-mailadresse/);
    expect(mail.html).toContain("<a href=");
    const link = linkIn(mail.text);
    expect(link.pathname).toBe("/verify-email");
    // Opening the link only asks (mail scanners open links): nothing is used, nobody signed in.
    const page = await visitor.html(`${link.pathname}${link.search}`);
    expect(page).toContain("Bekræft adressen");
    expect(visitor.cookies.has("samskab_session")).toBe(false);
    const verified = await visitor.post(`${link.pathname}${link.search}`, { token: link.searchParams.get("token")! });
    expect(verified.status).toBe(302);
    expect(verified.headers.get("location")).toBe("/me?notice=verified");
    const me = await visitor.html(verified.headers.get("location")!);
    expect(me).toContain("Din e-mailadresse er bekræftet.");
    expect(me).not.toContain("er ikke bekræftet endnu");
    // The link works once.
    const again = await new Visitor(portal).get(`${link.pathname}${link.search}`);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("Linket virker ikke");
    expect((await new Visitor(portal).post(link.pathname, { token: link.searchParams.get("token")! })).status).toBe(404);
  });

  it("answers the same for an address that already has an account, and mails its owner instead", async () => {
    const usersBefore = await count("users");
    const res = await signUp(new Visitor(portal), "suf@kk.example");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/signup/check-email");
    expect(await count("users")).toBe(usersBefore);
    const mail = await waitForMail(smtp, "suf@kk.example", /allerede en profil/);
    expect(linkIn(mail.text).pathname).toBe("/forgot-password");
  });

  it("rejects bad input with messages on the fields, keeps the typed text, and stores nothing", async () => {
    const before = { users: await count("users"), outbox: await count("outbox") };
    const res = await new Visitor(portal).post("/signup", { name: "<script>alert(1)</script>", email: "ikke-en-adresse", password: "kort" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Skriv en gyldig e-mailadresse");
    expect(html).toContain("Adgangskoden skal være mindst 10 tegn");
    expect(html).toMatch(/aria-invalid="true"[^>]*aria-describedby="[^"]*email[^"]*"|aria-describedby="[^"]*email[^"]*"[^>]*aria-invalid="true"/);
    // The typed name is kept, escaped; the password is not sent back.
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('value="kort"');
    expect({ users: await count("users"), outbox: await count("outbox") }).toEqual(before);
  });

  it("answers in English when English is chosen", async () => {
    const visitor = new Visitor(portal);
    await visitor.post("/language", { lang: "en", returnTo: "/signup" });
    const res = await visitor.post("/signup", { name: "", email: "x@y.test", password: "long enough password" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Required.");
  });
});

describe("signing in", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie (not Secure over http) and a new session id each time", async () => {
    const visitor = await signedIn(portal, "sof@kk.example");
    const cookie = visitor.lastSetCookie.find((c) => c.startsWith("samskab_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const first = visitor.cookies.get("samskab_session");
    await visitor.signIn("sof@kk.example", DEMO_PASSWORD);
    expect(visitor.cookies.get("samskab_session")).not.toBe(first);
    // The old session ended with the rotation.
    const old = new Visitor(portal);
    old.cookies.set("samskab_session", first!);
    expect((await old.get("/me")).status).toBe(302);
  });

  it("says the same for an unknown address and a wrong password, keeping the typed address", async () => {
    const wrong = await new Visitor(portal).post("/login", { email: "sof@kk.example", password: "forkert adgangskode" });
    const unknown = await new Visitor(portal).post("/login", { email: "findes.ikke@samskab.test", password: "forkert adgangskode" });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const [a, b] = [await wrong.text(), await unknown.text()];
    expect(a).toContain("E-mail eller adgangskode er forkert.");
    expect(b).toContain("E-mail eller adgangskode er forkert.");
    expect(a).toContain('value="sof@kk.example"');
  });

  it("throttles with 429 after repeated failures for one account, even with the right password", async () => {
    const email = "buf@kk.example";
    for (let i = 0; i < 5; i++) expect((await new Visitor(portal).post("/login", { email, password: `forkert ${i} forkert` })).status).toBe(400);
    const blocked = await new Visitor(portal).post("/login", { email, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("For mange forsøg");
  });

  it("refuses a sign-in posted from another site", async () => {
    const res = await new Visitor(portal).post("/login", { email: "sof@kk.example", password: DEMO_PASSWORD }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe("an account", () => {
  it("may save drafts before the address is verified, but not publish", async () => {
    const visitor = new Visitor(portal);
    await signUp(visitor, "uverificeret@samskab.test", "endnu ikke bekræftet");
    await visitor.signIn("uverificeret@samskab.test", "endnu ikke bekræftet");
    expect(await visitor.html("/me")).toContain("er ikke bekræftet endnu");
    // An organisation is public once registered: not before the address is confirmed.
    const org = await visitor.post("/organisations/new", { name: "Ubekræftet Forening", kind: "association" });
    expect(org.status).toBe(403);
    expect(await org.text()).toContain("Bekræft din e-mailadresse, før du registrerer en organisation");
    expect(await portal.database.db.selectFrom("organisations").select("id").where("name", "=", "Ubekræftet Forening").execute()).toEqual([]);
    // Invited into one, the person may draft there.
    const db = portal.database.db;
    const person = await db.selectFrom("users").select("id").where("email", "=", "uverificeret@samskab.test").executeTakeFirstOrThrow();
    const orgId = String(await organisationOf(db, "entrepreneur@samskab.example"));
    await db.insertInto("memberships").values({ organisation_id: Number(orgId), user_id: person.id, role: "member", created_at: new Date().toISOString() }).execute();
    const solution = { title: "En løsning før bekræftelse", summary: "En kort opsummering af løsningen.", description: "En længere beskrivelse af løsningen her.", language: "da", organisation: orgId, stage: "idea" };
    const refused = await visitor.post("/solutions/new", { ...solution, intent: "publish" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Bekræft din e-mailadresse, før du offentliggør.");
    const saved = await visitor.post("/solutions/new", { ...solution, intent: "save" });
    expect(saved.status).toBe(302);
    const row = await portal.database.db.selectFrom("solutions").select("status").where("title", "=", solution.title).execute();
    expect(row).toEqual([{ status: "draft" }]);
  });

  it("signs out with a post that ends the session", async () => {
    const visitor = await signedIn(portal, "sof@kk.example");
    const session = visitor.cookies.get("samskab_session")!;
    expect((await visitor.post("/logout", {})).status).toBe(302);
    expect(visitor.cookies.has("samskab_session")).toBe(false);
    const stale = new Visitor(portal);
    stale.cookies.set("samskab_session", session);
    expect((await stale.get("/me")).status).toBe(302);
  });

  it("gets a Secure cookie when the portal is served over https", async () => {
    const secure = await startTestPortal({ publicBaseUrl: "https://samskab.example", demoData: true });
    try {
      const visitor = await signedIn(secure, "sof@kk.example");
      expect(visitor.lastSetCookie.find((c) => c.startsWith("samskab_session="))).toMatch(/; Secure/i);
    } finally {
      await secure.close();
    }
  });
});

describe("resetting a password", () => {
  it("answers the same whether or not the address is known, and mails only a known one", async () => {
    const known = await new Visitor(portal).post("/forgot-password", { email: "entrepreneur@samskab.example" });
    const unknown = await new Visitor(portal).post("/forgot-password", { email: "ingen@samskab.test" });
    expect(known.status).toBe(302);
    expect(unknown.status).toBe(302);
    expect(known.headers.get("location")).toBe(unknown.headers.get("location"));
    await waitForMail(smtp, "entrepreneur@samskab.example", /Nulstil/);
    expect(smtp.received.some((m) => m.rcptTo.includes("ingen@samskab.test"))).toBe(false);
  });

  it("sets the new password and signs the person out everywhere else", async () => {
    const email = "entrepreneur2@samskab.example";
    const elsewhere = await signedIn(portal, email);
    expect((await elsewhere.get("/me")).status).toBe(200);

    const visitor = new Visitor(portal);
    await visitor.post("/forgot-password", { email });
    const link = linkIn((await waitForMail(smtp, email, /Nulstil/)).text);
    const page = await visitor.html(`${link.pathname}${link.search}`);
    expect(page).toContain("Ny adgangskode");
    const res = await visitor.post(link.pathname, { token: link.searchParams.get("token")!, password: "et helt nyt kodeord" });
    expect(res.status).toBe(302);
    expect((await visitor.get("/me")).status).toBe(200);
    expect((await elsewhere.get("/me")).status).toBe(302);
    await new Visitor(portal).signIn(email, "et helt nyt kodeord");
    expect((await new Visitor(portal).post("/login", { email, password: DEMO_PASSWORD })).status).toBe(400);
    // A used link does not work again.
    expect((await visitor.post(link.pathname, { token: link.searchParams.get("token")!, password: "endnu et nyt kodeord" })).status).toBe(400);
  });
});

describe("secrets", () => {
  it("never puts the search key, a password or a session id in a page or an e-mail", async () => {
    const key = portal.config.meiliMasterKey!;
    const visitor = await signedIn(portal, "admin@samskab.example");
    const session = visitor.cookies.get("samskab_session")!;
    const pages = await Promise.all(["/", "/challenges", "/me", "/admin", "/admin/mail", "/healthz"].map((p) => visitor.get(p).then((r) => r.text())));
    for (const text of [...pages, ...smtp.received.map((m) => m.raw)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(session);
      expect(text).not.toContain(DEMO_PASSWORD);
      expect(text).not.toContain("en lang nok adgangskode");
    }
    const hashes = await portal.database.db.selectFrom("sessions").select("id_hash").execute();
    expect(hashes.map((h) => h.id_hash)).not.toContain(session);
  });
});
