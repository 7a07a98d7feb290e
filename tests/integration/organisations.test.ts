// Organisations and the people in them: the company register (mocked with msw: it is on the
// internet), invitations, leaving and removing, the administrators' confirmations and reference
// data, the first administrator from the command line, and logs free of secrets.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../search/embedded-meili";
import { createLogger } from "../../db/log";
import { ROOT } from "../../scripts/lib/build";
import { DEMO_PASSWORD } from "../../db/demo";
import { signedIn, Visitor } from "../helpers/client";
import { nextTotpCode } from "../helpers/second-factor";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { closeSmtpServers, linkIn, parse, smtpUrl, startSmtp, waitForMail, type TestSmtp } from "../helpers/smtp";
import { organisationOf } from "../helpers/factories";

const REGISTER = "https://cvr.test";
const KNOWN_CVR = "29403473";
const DOWN_CVR = "20000007";
const UNKNOWN_CVR = "12345674";

const register = setupServer(
  http.get(`${REGISTER}/api`, async ({ request }) => {
    const cvr = new URL(request.url).searchParams.get("search");
    if (cvr === KNOWN_CVR) return HttpResponse.json({ vat: Number(KNOWN_CVR), name: "Genbrugsværkstedet ApS", address: "Nørrebrogade 1", zipcode: "2200", city: "København N", enddate: null });
    if (cvr === DOWN_CVR) return new HttpResponse("Service Unavailable", { status: 503 });
    await delay(5);
    return HttpResponse.json({ error: "NOT_FOUND" }, { status: 404 });
  }),
);

let portal: TestPortal;
let smtp: TestSmtp;
const logLines: string[] = [];

beforeAll(async () => {
  // Only the register is mocked; everything on loopback (SMTP, Meilisearch, the portal) is real.
  register.listen({ onUnhandledRequest: (req, print) => (new URL(req.url).hostname === "127.0.0.1" ? undefined : print.error()) });
  const port = await freePort();
  smtp = await startSmtp(port);
  portal = await startTestPortal(
    { smtpUrl: smtpUrl(port), cvrApiUrl: REGISTER },
    createLogger("debug", (line) => logLines.push(line)),
  );
});
afterAll(async () => {
  await portal?.close();
  await closeSmtpServers();
  register.close();
});

async function organisation(name: string) {
  return portal.database.db.selectFrom("organisations").selectAll().where("name", "=", name).executeTakeFirstOrThrow();
}

describe("registering an organisation", () => {
  it.each([
    [KNOWN_CVR, "verified"],
    [DOWN_CVR, "pending"],
    [UNKNOWN_CVR, "not_found"],
    ["", "none"],
  ])("with CVR %s records the register's answer as %s, and registration goes on", async (cvr, status) => {
    const v = await signedIn(portal, "entrepreneur2@samskab.example");
    const name = `Registreret ${cvr || "uden CVR"}`;
    const res = await v.post("/organisations/new", { name, kind: "social_enterprise", cvr, rsv: "on" });
    expect(res.status).toBe(302);
    const org = await organisation(name);
    expect(org.cvr_status).toBe(status);
    expect(org.rsv_registered).toBe(1);
    expect(org.rsv_confirmed_at).toBeNull();
  });

  it("waits for an administrator, who confirms the CVR and the RSV registration", async () => {
    const org = await organisation(`Registreret ${DOWN_CVR}`);
    const admin = await signedIn(portal, "admin@samskab.example");
    expect(await admin.html("/admin/organisations")).toContain(`Registreret ${DOWN_CVR}`);
    expect((await admin.post("/admin/organisations", { intent: "confirm-cvr", organisation: String(org.id) })).status).toBe(302);
    expect((await admin.post("/admin/organisations", { intent: "confirm-rsv", organisation: String(org.id) })).status).toBe(302);
    const after = await organisation(`Registreret ${DOWN_CVR}`);
    expect(after.cvr_status).toBe("verified");
    expect(after.rsv_confirmed_at).not.toBeNull();
    expect(await new Visitor(portal).html(`/organisations/${org.id}`)).toContain("Ja, bekræftet");
  });
});

describe("colleagues", () => {
  it("are invited by e-mail, join with a new account, can be removed, and the last owner cannot leave", async () => {
    const owner = await signedIn(portal, "entrepreneur@samskab.example");
    const orgId = await organisationOf(portal.database.db, "entrepreneur@samskab.example");
    expect((await owner.post(`/organisations/${orgId}`, { intent: "invite", email: "kollega@firma.test", role: "member" })).status).toBe(302);
    const link = linkIn((await waitForMail(smtp, "kollega@firma.test", /Invitation/)).text);

    const colleague = new Visitor(portal);
    expect(await colleague.html(link.pathname)).toContain("Du er inviteret til");
    const joined = await colleague.post(link.pathname, { intent: "register", name: "Karla Kollega", password: "et godt kodeord til karla" });
    expect(joined.status).toBe(302);
    expect(await colleague.html("/me")).toContain("Karla Kollega");
    const members = await owner.html(`/organisations/${orgId}`);
    expect(members).toContain("kollega@firma.test");
    // An invitation works once.
    const used = await new Visitor(portal).get(link.pathname);
    expect(used.status).toBe(404);
    expect(await used.text()).toContain("Invitationen er brugt eller udløbet");

    const karla = await portal.database.db.selectFrom("users").select("id").where("email", "=", "kollega@firma.test").executeTakeFirstOrThrow();
    expect((await owner.post(`/organisations/${orgId}`, { intent: "remove", userId: String(karla.id) })).status).toBe(302);
    expect(await owner.html(`/organisations/${orgId}`)).not.toContain("kollega@firma.test");
    expect((await owner.post(`/organisations/${orgId}`, { intent: "leave" })).status).toBe(409);
  });

  it("gives a community manager invited by an administrator the role and the areas", async () => {
    const admin = await signedIn(portal, "admin@samskab.example");
    const sof = (await portal.database.db.selectFrom("organisations").select("id").where("code", "=", "SOF").executeTakeFirstOrThrow()).id;
    const res = await admin.post("/admin/invitations", {
      email: "ny.cm@kk.example",
      role: "community_manager",
      districts: ["valby", "vanloese"],
      coveredAdministrations: [String(sof)],
    });
    expect(res.status).toBe(302);
    const link = linkIn((await waitForMail(smtp, "ny.cm@kk.example", /Invitation/)).text);
    const cm = new Visitor(portal);
    expect((await cm.post(link.pathname, { intent: "register", name: "Nina Matchmaker", password: "matcher hele dagen" })).status).toBe(302);
    const user = await portal.database.db.selectFrom("users").select("id").where("email", "=", "ny.cm@kk.example").executeTakeFirstOrThrow();
    const roles = await portal.database.db.selectFrom("user_roles").select("role").where("user_id", "=", user.id).execute();
    expect(roles.map((r) => r.role)).toEqual(["community_manager"]);
    const districts = await portal.database.db.selectFrom("curator_districts").select("district_code").where("user_id", "=", user.id).orderBy("district_code").execute();
    expect(districts.map((d) => d.district_code)).toEqual(["valby", "vanloese"]);
    expect(await cm.html("/me")).toContain("Nyt i dine områder");
  });
});

describe("administrators", () => {
  it("add and rename target groups that then appear in the forms, and survive a restart's reference load", async () => {
    const admin = await signedIn(portal, "admin@samskab.example");
    expect((await admin.post("/admin/reference", { code: "pendlere", nameDa: "Pendlere", nameEn: "Commuters", active: "on" })).status).toBe(302);
    expect((await admin.post("/admin/reference", { code: "aeldre", nameDa: "Ældre borgere", nameEn: "Older citizens", active: "on" })).status).toBe(302);
    const { loadReferenceData } = await import("../../db/reference");
    await loadReferenceData(portal.database.db);
    const form = await (await signedIn(portal, "suf@kk.example")).html("/challenges/new");
    expect(form).toContain("Pendlere");
    expect(form).toContain("Ældre borgere");
  });

  it("can be created from the command line", async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/admin-create.ts"), "--email", "chef@samskab.test", "--name", "Chef Chefsen"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: portal.config.databasePath, DATA_DIR: portal.dataDir, LOG_LEVEL: "warn" },
    });
    const password = /Password for chef@samskab.test: (\S+)/.exec(stdout)![1]!;
    const chef = await signedIn(portal, "chef@samskab.test", password);
    // The role acts only once a second factor is on, and the session proved it.
    const waiting = await chef.get("/admin");
    expect(waiting.status).toBe(302);
    expect(waiting.headers.get("location")).toBe("/me/security");
    expect(await chef.html("/me/security")).toContain("rollen virker først");
    expect((await chef.post("/me/security", { intent: "begin-setup" })).status).toBe(302);
    const code = await nextTotpCode(portal.database.db, "chef@samskab.test");
    const enabled = await chef.post("/me/security", { intent: "enable", code });
    expect(enabled.status).toBe(200);
    expect((await enabled.text()).match(/<code>[a-z0-9]{5}-[a-z0-9]{5}<\/code>/g)).toHaveLength(10);
    expect((await chef.get("/admin")).status).toBe(200);
  });
});

describe("mail and logs", () => {
  it("lets staff reply straight to the proposer, and the proposer reply to the team mailbox", async () => {
    const ent = await signedIn(portal, "entrepreneur@samskab.example");
    const db = portal.database.db;
    const challenge = await db
      .selectFrom("challenges")
      .innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id")
      .select(["challenges.id", "challenges.contact_email"])
      .where("organisations.code", "=", "SUF")
      .where("challenges.status", "=", "open")
      .orderBy("challenges.id")
      .executeTakeFirstOrThrow();
    const solution = await db
      .selectFrom("solutions")
      .innerJoin("memberships", "memberships.organisation_id", "solutions.organisation_id")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select("solutions.id")
      .where("users.email", "=", "entrepreneur@samskab.example")
      .where("solutions.status", "=", "published")
      .executeTakeFirstOrThrow();
    expect((await ent.post(`/challenges/${challenge.id}`, { intent: "propose", solution: String(solution.id), pitch: "Vi kan hjælpe med netop dette i Bispebjerg." })).status).toBe(302);
    const received = await waitForMail(smtp, "suf@kk.example", /Nyt forslag/);
    expect(parse(received.raw).headers("Reply-To")).toBe("entrepreneur@samskab.example");
  });

  it("writes no password, session id, reset token or search key to the log", async () => {
    const joined = logLines.join("\n");
    expect(joined.length).toBeGreaterThan(0);
    expect(joined).not.toContain(portal.config.meiliMasterKey!);
    for (const secret of [DEMO_PASSWORD, "et godt kodeord til karla", "matcher hele dagen"]) expect(joined).not.toContain(secret);
    expect(joined).not.toMatch(/token=[A-Za-z0-9_-]{20,}/);
    const sessions = await portal.database.db.selectFrom("sessions").select("id_hash").execute();
    for (const s of sessions) expect(joined).not.toContain(s.id_hash);
  });
});
