// No one gets in where they don't belong: each class of hole the attack on the portal found, tried
// again over HTTP against a real portal (SQLite file, Meilisearch, loopback SMTP). The portal
// trusts X-Forwarded-For from loopback here, so one test process can be several client addresses.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../db/log";
import { administrationId, makeChallenge, organisationOf } from "../helpers/factories";
import { DEMO_PASSWORD } from "../../db/demo";
import { signedIn, Visitor } from "../helpers/client";
import { nextTotpCode } from "../helpers/second-factor";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { closeSmtpServers, linkIn, parse, smtpUrl, startSmtp, waitForMail, type TestSmtp } from "../helpers/smtp";
import { freePort } from "../../search/embedded-meili";

let portal: TestPortal;
let smtp: TestSmtp;
const logLines: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  smtp = await startSmtp(port);
  portal = await startTestPortal({ smtpUrl: smtpUrl(port), trustedProxies: ["loopback"] }, createLogger("debug", (line) => logLines.push(line)));
  await portal.settled();
});
afterAll(async () => {
  await portal?.close();
  await closeSmtpServers();
});

const db = () => portal.database.db;

// The administrator's codes work once each, one per 30 seconds: one session serves the file.
let adminVisitor: Visitor | undefined;
async function asAdmin(): Promise<Visitor> {
  adminVisitor ??= await signedIn(portal, "admin@samskab.example");
  return adminVisitor;
}

/** A person with a confirmed address and no role, made through the sign-up and its link. */
async function newPerson(email: string, password = "et kodeord til testen"): Promise<Visitor> {
  const v = new Visitor(portal);
  expect((await v.post("/signup", { name: "Test Person", email, password })).status).toBe(302);
  const link = linkIn((await waitForMail(smtp, email, /Bekræft/)).text);
  expect((await v.post(`${link.pathname}${link.search}`, { token: link.searchParams.get("token")! })).status).toBe(302);
  return v;
}

/** The link in the newest mail to an address (waitForMail finds the first). */
function newestLink(to: string): URL {
  const raw = smtp.received.filter((m) => m.rcptTo.includes(to)).at(-1)!.raw;
  return linkIn(parse(raw).parts.find((p) => p.contentType.startsWith("text/plain"))!.text);
}

async function rolesOf(email: string): Promise<string[]> {
  const rows = await db().selectFrom("user_roles").innerJoin("users", "users.id", "user_roles.user_id").select("role").where("users.email", "=", email).execute();
  return rows.map((r) => r.role);
}

describe("invitations", () => {
  it("grant nothing to a signed-in account the link was not sent to, and the addressee's grant names its granter", async () => {
    const admin = await asAdmin();
    expect((await admin.post("/admin/invitations", { email: "ny.admin@kk.example", role: "administrator" })).status).toBe(302);
    const link = linkIn((await waitForMail(smtp, "ny.admin@kk.example", /Invitation/)).text);

    // Someone else, signed in, opens the forwarded link: told whom it is for, granted nothing.
    const stranger = await signedIn(portal, "entrepreneur2@samskab.example");
    expect(await stranger.html(link.pathname)).toContain("Invitationen er sendt til ny.admin@kk.example");
    expect((await stranger.post(link.pathname, { intent: "accept" })).status).toBe(403);
    expect(await rolesOf("entrepreneur2@samskab.example")).toEqual([]);

    // The addressee makes an account from the link: it has the role, given by the administrator.
    const invited = new Visitor(portal);
    expect((await invited.post(link.pathname, { intent: "register", name: "Nina Ny", password: "nyt kodeord til nina" })).status).toBe(302);
    expect(await rolesOf("ny.admin@kk.example")).toEqual(["administrator"]);
    const grant = await db()
      .selectFrom("user_roles")
      .innerJoin("users as granter", "granter.id", "user_roles.granted_by")
      .innerJoin("users", "users.id", "user_roles.user_id")
      .select("granter.email")
      .where("users.email", "=", "ny.admin@kk.example")
      .executeTakeFirstOrThrow();
    expect(grant.email).toBe("admin@samskab.example");
    const audit = await db().selectFrom("audit_events").select(["action", "actor_name"]).where("action", "=", "role.granted").execute();
    expect(audit).toContainEqual({ action: "role.granted", actor_name: "Ada Andersen" });
    // And the link works once.
    expect((await new Visitor(portal).get(link.pathname)).status).toBe(404);
  });

  it("are refused to an inviter whose own address is not confirmed", async () => {
    const unconfirmed = new Visitor(portal);
    await unconfirmed.post("/signup", { name: "Ubekræftet Ejer", email: "ejer@ubekraeftet.test", password: "et kodeord til ejeren" });
    await unconfirmed.signIn("ejer@ubekraeftet.test", "et kodeord til ejeren");
    const user = await db().selectFrom("users").select("id").where("email", "=", "ejer@ubekraeftet.test").executeTakeFirstOrThrow();
    const org = await organisationOf(db(), "entrepreneur@samskab.example");
    await db().insertInto("memberships").values({ organisation_id: org, user_id: user.id, role: "owner", created_at: new Date().toISOString() }).execute();
    const before = await db().selectFrom("outbox").select("id").where("topic", "=", "email.send").execute();
    const res = await unconfirmed.post(`/organisations/${org}`, { intent: "invite", email: "hvemsomhelst@andetsted.test", role: "member" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Bekræft din e-mailadresse, før portalen sender mails for dig");
    expect(await db().selectFrom("outbox").select("id").where("topic", "=", "email.send").execute()).toHaveLength(before.length);
  });
});

describe("tokens", () => {
  it("never stand in the log, in the outbox once a mail is delivered, or on /admin/mail", async () => {
    const admin = await asAdmin();
    await admin.post("/admin/invitations", { email: "logfri@kk.example", role: "community_manager" });
    await new Visitor(portal).post("/forgot-password", { email: "sof@kk.example" });
    const invitation = linkIn((await waitForMail(smtp, "logfri@kk.example", /Invitation/)).text);
    const reset = linkIn((await waitForMail(smtp, "sof@kk.example", /Nulstil/)).text);
    // The links are opened as well: nothing the portal logs about those requests may carry them.
    await new Visitor(portal).get(invitation.pathname);
    await new Visitor(portal).get(`${reset.pathname}${reset.search}`);
    await portal.settled();
    const secrets = [invitation.pathname.split("/").pop()!, reset.searchParams.get("token")!];
    const rows = await db().selectFrom("outbox").select("payload").where("topic", "=", "email.send").execute();
    for (const secret of secrets) {
      expect(secret).toMatch(/^[\w-]{43}$/);
      expect(logLines.join("\n")).not.toContain(secret);
      expect(rows.some((r) => r.payload.includes(secret))).toBe(false);
    }
    // Without SMTP the mail page exists, and shows that mails went out, never their links.
    const noSmtp = await startTestPortal();
    try {
      const viewer = await signedIn(noSmtp, "admin@samskab.example");
      await new Visitor(noSmtp).post("/forgot-password", { email: "sof@kk.example" });
      await noSmtp.settled();
      const page = await viewer.html("/admin/mail");
      expect(page).toContain("Nulstil");
      expect(page).toContain("/reset-password?token=[redacted]");
      expect(page).not.toMatch(/token=[\w-]{43}/);
    } finally {
      await noSmtp.close();
    }
    // With SMTP it does not.
    expect((await admin.get("/admin/mail")).status).toBe(404);
  });

  it("stop working when they expire, or when their addressee no longer holds the address", async () => {
    await new Visitor(portal).post("/forgot-password", { email: "buf@kk.example" });
    const mails = () => smtp.received.filter((m) => m.rcptTo.includes("buf@kk.example")).length;
    const first = linkIn((await waitForMail(smtp, "buf@kk.example", /Nulstil/)).text);
    const token = first.searchParams.get("token")!;
    await db().updateTable("tokens").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("purpose", "=", "reset_password").where("email", "=", "buf@kk.example").execute();
    expect(await new Visitor(portal).html(`${first.pathname}${first.search}`)).toContain("Linket er brugt eller udløbet");
    expect((await new Visitor(portal).post("/reset-password", { token, password: "et nyt kodeord til buf" })).status).toBe(400);

    const count = mails();
    await new Visitor(portal).post("/forgot-password", { email: "buf@kk.example" });
    await expect.poll(mails, { timeout: 10_000 }).toBe(count + 1);
    const second = newestLink("buf@kk.example");
    // The account's address changes: the link sent to the old address is dead.
    await db().updateTable("users").set({ email: "buf.ny@kk.example" }).where("email", "=", "buf@kk.example").execute();
    try {
      expect((await new Visitor(portal).post("/reset-password", { token: second.searchParams.get("token")!, password: "et nyt kodeord til buf" })).status).toBe(400);
    } finally {
      await db().updateTable("users").set({ email: "buf@kk.example" }).where("email", "=", "buf.ny@kk.example").execute();
    }
  });
});

describe("redirects", () => {
  const hostile = ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/%0d%0aSet-Cookie:%20x=1", "/\t/evil.example"];

  it.each(hostile)("after sign-in stay on the site for redirectTo=%s, and a refused target leaves no stray session", async (target) => {
    const v = new Visitor(portal);
    const res = await v.post("/login", { email: "sof@kk.example", password: DEMO_PASSWORD, redirectTo: decodeURIComponent(target) });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location.startsWith("/")).toBe(true);
    expect(new URL(location, "http://portal.test").host).toBe("portal.test");
    expect(location).not.toMatch(/[\t\r\n\\]/);
    expect(res.headers.getSetCookie().some((c) => /^x=/.test(c))).toBe(false);
    expect((await v.get("/me")).status).toBe(200);
  });

  it.each(hostile)("of the language switch stay on the site for returnTo=%s", async (target) => {
    const res = await new Visitor(portal).post("/language", { lang: "en", returnTo: decodeURIComponent(target) });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!, "http://portal.test").host).toBe("portal.test");
  });
});

describe("challenges shared between administrations", () => {
  it("cannot be taken over by a co-owner's staff, who can still edit the text", async () => {
    const suf = await administrationId(db(), "SUF");
    const sof = await administrationId(db(), "SOF");
    const id = await makeChallenge(db(), { title: "Fælles udfordring om trapper", ownerOrganisationId: suf, coOwnerIds: [sof], status: "open" });
    const coOwner = await signedIn(portal, "sof@kk.example");
    const version = async () => String((await db().selectFrom("challenges").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);
    const form = { title: "Fælles udfordring om trapper", summary: "En kort opsummering af det.", description: "En længere beskrivelse af udfordringen her.", language: "da", contactTeam: "Team Test", contactEmail: "test@kk.example" };
    const takeover = await coOwner.post(`/challenges/${id}/edit`, { ...form, owner: String(sof), coOwners: [], version: await version() });
    expect(takeover.status).toBe(400);
    expect(await takeover.text()).toContain("Kun den ejende forvaltnings medarbejdere kan ændre ejer og medejere.");
    const row = await db().selectFrom("challenges").select("owner_organisation_id").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.owner_organisation_id).toBe(suf);
    expect(await db().selectFrom("challenge_co_owners").select("organisation_id").where("challenge_id", "=", id).execute()).toEqual([{ organisation_id: sof }]);
    // The form they are shown offers no such choice, and saving it keeps both.
    expect((await coOwner.post(`/challenges/${id}/edit`, { ...form, title: "Fælles udfordring om trapper og ramper", owner: String(suf), coOwners: [String(sof)], version: await version() })).status).toBe(302);
    expect((await db().selectFrom("challenges").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title).toBe("Fælles udfordring om trapper og ramper");
  });
});

describe("rate limits", () => {
  const from = (address: string) => ({ "X-Forwarded-For": address });

  it("hold under parallel guesses, and a stranger elsewhere cannot lock the owner out", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => new Visitor(portal).post("/login", { email: "suf@kk.example", password: "forkert gæt" }, from("203.0.113.7"))),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(attempts.find((r) => r.status === 429)!.headers.get("retry-after")).toMatch(/^\d+$/);
    // The right password from the guesser's address is refused too; from the owner's own address it works.
    expect((await new Visitor(portal).post("/login", { email: "suf@kk.example", password: DEMO_PASSWORD }, from("203.0.113.7"))).status).toBe(429);
    expect((await new Visitor(portal).post("/login", { email: "suf@kk.example", password: DEMO_PASSWORD }, from("198.51.100.20"))).status).toBe(302);
  });

  it("let a person locked out from every address back in through a password reset", async () => {
    await newPerson("laast.ude@samskab.test", "det rigtige kodeord");
    for (let i = 0; i < 30; i++) await new Visitor(portal).post("/login", { email: "laast.ude@samskab.test", password: "forkert" }, from(`192.0.2.${i}`));
    expect((await new Visitor(portal).post("/login", { email: "laast.ude@samskab.test", password: "det rigtige kodeord" }, from("198.51.100.30"))).status).toBe(429);
    await new Visitor(portal).post("/forgot-password", { email: "laast.ude@samskab.test" }, from("198.51.100.30"));
    const link = linkIn((await waitForMail(smtp, "laast.ude@samskab.test", /Nulstil/)).text);
    expect((await new Visitor(portal).post("/reset-password", { token: link.searchParams.get("token")!, password: "et nyt kodeord efter angrebet" }, from("198.51.100.30"))).status).toBe(302);
    expect((await new Visitor(portal).post("/login", { email: "laast.ude@samskab.test", password: "et nyt kodeord efter angrebet" }, from("198.51.100.31"))).status).toBe(302);
  });

  it("send one person at most three reset mails an hour, with the same answer on screen", async () => {
    const before = smtp.received.filter((m) => m.rcptTo.includes("community@samskab.example")).length;
    for (let i = 0; i < 6; i++) {
      const res = await new Visitor(portal).post("/forgot-password", { email: "community@samskab.example" }, from(`198.51.100.${40 + i}`));
      expect(res.headers.get("location")).toBe("/forgot-password/sent");
    }
    await portal.settled();
    expect(smtp.received.filter((m) => m.rcptTo.includes("community@samskab.example")).length - before).toBe(3);
  });

  it("answer too many sign-ups, reports and resends from one address with 429 and the form kept", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await new Visitor(portal).post("/signup", { name: "Mange Konti", email: `mange${i}@konti.test`, password: "et kodeord til mange" }, from("203.0.113.50"));
    expect(last!.status).toBe(429);
    const html = await last!.text();
    expect(html).toContain("For mange forsøg på kort tid.");
    expect(html).toContain("mange10@konti.test");
    const solution = (await db().selectFrom("solutions").select("id").where("status", "=", "published").executeTakeFirstOrThrow()).id;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await new Visitor(portal).post(`/solutions/${solution}`, { intent: "report", reason: "En anmeldelse for meget." }, from("203.0.113.51"))).status);
    expect(statuses.slice(0, 20).every((s) => s === 302)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("are kept in SQLite, so a restart forgets none of them", async () => {
    const restartable = await startTestPortal({ trustedProxies: ["loopback"] });
    const dataDir = restartable.dataDir;
    for (let i = 0; i < 5; i++) await new Visitor(restartable).post("/login", { email: "sof@kk.example", password: "forkert" }, from("203.0.113.60"));
    await restartable.stop();
    const again = await startTestPortal({ dataDir, trustedProxies: ["loopback"], meiliIndexPrefix: restartable.config.meiliIndexPrefix });
    try {
      expect((await new Visitor(again).post("/login", { email: "sof@kk.example", password: DEMO_PASSWORD }, from("203.0.113.60"))).status).toBe(429);
    } finally {
      await again.close();
    }
  });

  it("count the socket's address when no proxy is trusted, whatever X-Forwarded-For says", async () => {
    const direct = await startTestPortal();
    try {
      for (let i = 0; i < 20; i++) await new Visitor(direct).post("/login", { email: `nobody${i}@x.test`, password: "forkert" }, from(`192.0.2.${100 + i}`));
      expect((await new Visitor(direct).post("/login", { email: "sof@kk.example", password: DEMO_PASSWORD }, from("192.0.2.200"))).status).toBe(429);
    } finally {
      await direct.close();
    }
  });
});

describe("sessions", () => {
  it("end after an idle hour for community managers but not for entrepreneurs, and at their absolute end", async () => {
    const curator = await signedIn(portal, "community@samskab.example");
    const entrepreneur = await signedIn(portal, "entrepreneur@samskab.example");
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const ids = async (email: string) =>
      (await db().selectFrom("sessions").innerJoin("users", "users.id", "sessions.user_id").select("sessions.id_hash").where("users.email", "=", email).execute()).map((s) => s.id_hash);
    await db().updateTable("sessions").set({ last_seen_at: ago(2 * 3_600_000) }).where("id_hash", "in", [...(await ids("community@samskab.example")), ...(await ids("entrepreneur@samskab.example"))]).execute();
    expect((await curator.get("/me")).status).toBe(302);
    expect((await entrepreneur.get("/me")).status).toBe(200);
    await db().updateTable("sessions").set({ created_at: ago(31 * 86_400_000) }).where("id_hash", "in", await ids("entrepreneur@samskab.example")).execute();
    expect((await entrepreneur.get("/me")).status).toBe(302);
  });

  it("are listed on /me/security, and the others can be signed out", async () => {
    const laptop = await signedIn(portal, "sof@kk.example");
    const phone = await signedIn(portal, "sof@kk.example");
    const page = await laptop.html("/me/security");
    expect(page.match(/data-session="other"/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    expect(page).toContain('data-session="current"');
    expect((await laptop.post("/me/security", { intent: "end-others" })).status).toBe(302);
    expect((await phone.get("/me")).status).toBe(302);
    expect((await laptop.get("/me")).status).toBe(200);
  });
});

describe("the second factor", () => {
  it("is what an administrator's role waits for; a code works once, and so does a recovery code", async () => {
    const admin = await asAdmin();
    await admin.post("/admin/invitations", { email: "chef2@kk.example", role: "administrator" });
    const link = linkIn((await waitForMail(smtp, "chef2@kk.example", /Invitation/)).text);
    const chef = new Visitor(portal);
    await chef.post(link.pathname, { intent: "register", name: "Chef To", password: "chefens gode kodeord" });
    // Without a second factor the role does not act.
    expect((await chef.get("/admin/users")).headers.get("location")).toBe("/me/security");
    expect((await chef.post("/admin/users", { intent: "deactivate", user: "1", reason: "Forsøg uden anden faktor" })).status).toBe(302);
    await chef.post("/me/security", { intent: "begin-setup" });
    const wrong = await chef.post("/me/security", { intent: "enable", code: "000000" });
    expect(wrong.status).toBe(400);
    const code = await nextTotpCode(db(), "chef2@kk.example");
    const enabled = await chef.post("/me/security", { intent: "enable", code });
    const recovery = [...(await enabled.text()).matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(recovery).toHaveLength(10);
    expect((await chef.get("/admin/users")).status).toBe(200);

    // Signing in now takes the password and a code; the same code twice is refused.
    const next = new Visitor(portal);
    const first = await next.post("/login", { email: "chef2@kk.example", password: "chefens gode kodeord" });
    expect(first.headers.get("location")).toMatch(/^\/login\/second-factor/);
    expect((await next.get("/me")).status).toBe(302);
    expect((await next.post("/login/second-factor", { code })).status).toBe(400);
    expect((await next.post("/login/second-factor", { code: recovery[0]! })).status).toBe(302);
    expect((await next.get("/admin")).status).toBe(200);
    const later = new Visitor(portal);
    await later.post("/login", { email: "chef2@kk.example", password: "chefens gode kodeord" });
    expect((await later.post("/login/second-factor", { code: recovery[0]! })).status).toBe(400);
  });
});

describe("administrators", () => {
  it("revoke roles and deactivate accounts with a reason, each in the audit trail; a deactivated account is signed out and stays out", async () => {
    const admin = await asAdmin();
    const curator = await signedIn(portal, "community@samskab.example");
    const cm = await db().selectFrom("users").select("id").where("email", "=", "community@samskab.example").executeTakeFirstOrThrow();
    expect((await admin.post("/admin/users", { intent: "revoke", user: String(cm.id), role: "community_manager", reason: "" })).status).toBe(400);
    expect((await admin.post("/admin/users", { intent: "revoke", user: String(cm.id), role: "community_manager", reason: "Har skiftet job" })).status).toBe(302);
    expect((await curator.get("/curation")).status).toBe(403);
    const ent = await db().selectFrom("users").select("id").where("email", "=", "entrepreneur2@samskab.example").executeTakeFirstOrThrow();
    const entrepreneur = await signedIn(portal, "entrepreneur2@samskab.example");
    expect((await admin.post("/admin/users", { intent: "deactivate", user: String(ent.id), reason: "Misbrug af anmeldelser" })).status).toBe(302);
    expect((await entrepreneur.get("/me")).status).toBe(302);
    const audit = await admin.html("/admin/audit");
    expect(audit).toContain("Rolle fjernet");
    expect(audit).toContain("Har skiftet job");
    expect(audit).toContain("Profil lukket");
    expect(audit).toContain("Misbrug af anmeldelser");
    // The trail cannot be rewritten.
    await expect(db().deleteFrom("audit_events").execute()).rejects.toThrow(/append-only/);
    // The last administrator cannot be removed.
    const me = await db().selectFrom("users").select("id").where("email", "=", "admin@samskab.example").executeTakeFirstOrThrow();
    expect((await admin.post("/admin/users", { intent: "deactivate", user: String(me.id), reason: "Forsøg på at låse alle ude" })).status).toBe(409);
  });
});

describe("bad input", () => {
  const internals = /\n\s+at .+:\d+:\d+|node_modules|\/work\/|file:\/\/|SqliteError|TypeError|RangeError|URIError/;

  it.each([
    ["a method no page takes", () => portal.get("/login", { method: "DELETE" }), 405, "Det kan siden ikke"],
    ["a JSON body", () => portal.get("/login", { method: "POST", headers: { Origin: portal.url, "Content-Type": "application/json" }, body: '{"email":"a@b.c"}' }), 415, "Formatet kender vi ikke"],
    ["an XML body", () => portal.get("/signup", { method: "POST", headers: { Origin: portal.url, "Content-Type": "application/xml" }, body: "<a/>" }), 415, "Formatet kender vi ikke"],
    ["a body over 1 MB", () => portal.post("/signup", { name: "x".repeat(1_100_000) }), 413, "For meget på én gang"],
    ["a malformed URL", () => portal.get("/%ff"), 400, "Vi forstod ikke forespørgslen"],
    ["a prototype key as a facet", () => portal.get("/challenges?district=__proto__&group=constructor&adm=toString"), 200, "Udfordringer"],
  ] as const)("answers %s with %i and the portal's own page, no internals", async (_what, send, status, text) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = await res.text();
    expect(body).toContain(text);
    expect(body).toContain("<html");
    expect(body).not.toMatch(internals);
    if (status === 405) expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("refuses impossible dates with a message, and a bad date already stored breaks no page", async () => {
    const staff = await signedIn(portal, "suf@kk.example");
    const suf = await administrationId(db(), "SUF");
    const form = { title: "Udfordring med en dato", summary: "En kort opsummering af det.", description: "En længere beskrivelse af udfordringen her.", language: "da", owner: String(suf) };
    for (const deadline of ["2026-02-30", "9999-99-99", "0000-00-00", "2026-13-01", "1066-10-14"]) {
      const res = await staff.post("/challenges/new", { ...form, deadline });
      expect(res.status, deadline).toBe(400);
      const html = await res.text();
      expect(html).toContain("Skriv en rigtig dato som åååå-mm-dd");
      expect(html).toContain(deadline);
    }
    expect(await db().selectFrom("challenges").select("id").where("title", "=", form.title).execute()).toEqual([]);
    const id = await makeChallenge(db(), { title: "Udfordring med en gammel fejl", status: "open" });
    await db().updateTable("challenges").set({ deadline: "2026-02-30" }).where("id", "=", id).execute();
    expect((await new Visitor(portal).get(`/challenges/${id}`)).status).toBe(200);
  });
});

describe("the data folder", () => {
  it("and the database are readable by the portal's user only", () => {
    expect(fs.statSync(portal.dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(portal.config.databasePath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${portal.config.databasePath}-wal`).mode & 0o777).toBe(0o600);
  });
});

describe("the limits on mailing", () => {
  const from = (address: string) => ({ "X-Forwarded-For": address });

  it("let an unconfirmed account ask for its link three times an hour, and an administrator send thirty invitations", async () => {
    const unconfirmed = new Visitor(portal);
    await unconfirmed.post("/signup", { name: "Glemsom Person", email: "glemsom@samskab.test", password: "et kodeord til glemsom" }, from("203.0.113.70"));
    await unconfirmed.signIn("glemsom@samskab.test", "et kodeord til glemsom");
    const resends: number[] = [];
    for (let i = 0; i < 4; i++) resends.push((await unconfirmed.post("/me", { intent: "resend-verification" })).status);
    expect(resends).toEqual([302, 302, 302, 429]);

    // Last in the file: the administrator has no invitations left this hour afterwards.
    const admin = await asAdmin();
    const invites: number[] = [];
    for (let i = 0; i < 31; i++) invites.push((await admin.post("/admin/invitations", { email: `mange.${i}@kk.example`, role: "community_manager" }, from("203.0.113.71"))).status);
    const refused = invites.filter((s) => s === 429).length;
    // Earlier tests in this file invited some already, within the same hour.
    expect(refused).toBeGreaterThan(0);
    expect(invites.filter((s) => s === 302).length).toBeLessThanOrEqual(30);
    expect(invites.slice(invites.indexOf(429)).every((s) => s === 429)).toBe(true);
  });
});
