// The three journeys over HTTP, as the forms post them (no JavaScript needed): staff publish a
// challenge, an entrepreneur signs up, registers an organisation, publishes and proposes a
// solution, staff answer, and an administrator unpublishes a reported text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../search/embedded-meili";
import { signedIn, Visitor } from "../helpers/client";
import { resultIds, startTestPortal, type TestPortal } from "../helpers/portal";
import { closeSmtpServers, linkIn, smtpUrl, startSmtp, waitForMail, type TestSmtp } from "../helpers/smtp";

let portal: TestPortal;
let smtp: TestSmtp;

beforeAll(async () => {
  const port = await freePort();
  smtp = await startSmtp(port);
  portal = await startTestPortal({ smtpUrl: smtpUrl(port) });
  await portal.settled();
});
afterAll(async () => {
  await portal?.close();
  await closeSmtpServers();
});

async function counts() {
  const n = async (table: "challenges" | "solutions" | "organisations" | "outbox" | "proposals") =>
    Number((await portal.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { challenges: await n("challenges"), solutions: await n("solutions"), organisations: await n("organisations"), outbox: await n("outbox"), proposals: await n("proposals") };
}

function idFrom(res: Response, kind: "challenges" | "solutions" | "organisations"): number {
  const location = res.headers.get("location") ?? "";
  const match = new RegExp(`^/${kind}/(\\d+)`).exec(location);
  if (!match) throw new Error(`expected a redirect to /${kind}/:id, got ${res.status} ${location}`);
  return Number(match[1]);
}

const challengeForm = (overrides: Record<string, string | string[]> = {}) => ({
  title: "Flere frivillige til lektiecafeer i Tingbjerg",
  summary: "Vi søger partnere, der kan skaffe og fastholde frivillige lektiehjælpere.",
  description: "## Baggrund\n\nLektiecafeerne i Tingbjerg mangler frivillige om eftermiddagen. Vi vil gerne have hjælp.",
  language: "da",
  owner: "",
  districts: ["broenshoej-husum"],
  targetGroups: ["boern", "frivillige"],
  sdgGoals: ["4"],
  sdgTargets: "4.1",
  budgetMin: "50000",
  budgetMax: "150000",
  deadline: "2027-06-30",
  contactTeam: "Team Lektiehjælp",
  contactEmail: "lektiehjaelp@kk.example",
  intent: "save",
  ...overrides,
});

let staff: Visitor;
let sofId: string;
let challengeId: number;
let entrepreneur: Visitor;
let solutionId: number;

describe("staff publish a challenge", () => {
  it("saves a draft that only its administration sees, then publishes it", async () => {
    staff = await signedIn(portal, "sof@kk.example");
    sofId = String((await portal.database.db.selectFrom("organisations").select("id").where("code", "=", "SOF").executeTakeFirstOrThrow()).id);
    const res = await staff.post("/challenges/new", challengeForm({ owner: sofId }));
    challengeId = idFrom(res, "challenges");
    expect((await new Visitor(portal).get(`/challenges/${challengeId}`)).status).toBe(404);
    expect(await staff.html(`/challenges/${challengeId}`)).toContain("Flere frivillige til lektiecafeer i Tingbjerg");

    const published = await staff.post(`/challenges/${challengeId}/edit`, challengeForm({ owner: sofId, version: "1", intent: "publish" }));
    expect(published.status).toBe(302);
    const page = await new Visitor(portal).html(`/challenges/${challengeId}`);
    expect(page).toContain("Team Lektiehjælp");
    // Staff names are for signed-in users only.
    expect(page).not.toContain("Samir Said");
    expect(await staff.html(`/challenges/${challengeId}`)).toContain("Samir Said");
    await portal.settled();
    expect(resultIds(await portal.html("/challenges?q=lektiecafeer+tingbjerg"))).toContain(challengeId);
  });

  it("tells the second of two people saving the same version, and shows both versions", async () => {
    const colleague = await signedIn(portal, "sof@kk.example");
    const version = String((await portal.database.db.selectFrom("challenges").select("version").where("id", "=", challengeId).executeTakeFirstOrThrow()).version);
    const first = await staff.post(`/challenges/${challengeId}/edit`, challengeForm({ owner: sofId, version, summary: "Anden udgave af resuméet, gemt først." }));
    expect(first.status).toBe(302);
    const second = await colleague.post(`/challenges/${challengeId}/edit`, challengeForm({ owner: sofId, version, summary: "Min egen udgave, som kom for sent." }));
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain("En anden har gemt i mellemtiden");
    expect(html).toContain("Anden udgave af resuméet, gemt først.");
    expect(html).toContain("Min egen udgave, som kom for sent.");
  });

  it("refuses bad input with field messages and changes nothing", async () => {
    const before = await counts();
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [{ title: "" }, "Skal udfyldes."],
      [{ title: "x".repeat(161) }, "Må højst være 160 tegn."],
      [{ owner: "abc" }, "Vælg en af mulighederne."],
      [{ districts: ["atlantis"] }, "Vælg en af mulighederne."],
      [{ sdgTargets: "99.z" }, "Disse delmål findes ikke: 99.z."],
      [{ budgetMin: "200000", budgetMax: "100000" }, "Budgettets øvre grænse skal være mindst den nedre."],
      [{ budgetMin: "mange penge" }, "Skriv et beløb i hele kroner"],
      [{ deadline: "i morgen" }, "Skriv en rigtig dato som åååå-mm-dd"],
    ];
    for (const [change, text] of cases) {
      const res = await staff.post("/challenges/new", challengeForm({ owner: sofId, ...change }));
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(await res.text(), JSON.stringify(change)).toContain(text);
    }
    // A stale version on someone else's page answers 409; an unknown id 404.
    expect((await staff.post(`/challenges/${challengeId}/edit`, challengeForm({ owner: sofId, version: "1" }))).status).toBe(409);
    expect((await staff.post("/challenges/999999/edit", challengeForm({ owner: sofId, version: "1" }))).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe("an entrepreneur proposes a solution", () => {
  it("signs up, verifies, registers an organisation, and publishes a solution", async () => {
    entrepreneur = new Visitor(portal);
    await entrepreneur.post("/signup", { name: "Lærke Lund", email: "laerke@lektie.test", password: "lektier hver tirsdag" });
    const link = linkIn((await waitForMail(smtp, "laerke@lektie.test", /Bekræft/)).text);
    await entrepreneur.post(`${link.pathname}${link.search}`, { token: link.searchParams.get("token")! });

    const before = await counts();
    const badCvr = await entrepreneur.post("/organisations/new", { name: "Lektiebanden", kind: "association", cvr: "12345678" });
    expect(badCvr.status).toBe(400);
    expect(await badCvr.text()).toContain("kontrolcifferet skal passe");
    const taken = (await portal.database.db.selectFrom("organisations").select("cvr").where("cvr", "is not", null).where("kind", "<>", "municipal_administration").executeTakeFirstOrThrow()).cvr!;
    const duplicate = await entrepreneur.post("/organisations/new", { name: "Lektiebanden", kind: "association", cvr: taken });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("Der er allerede en organisation med dette CVR-nummer.");
    expect(await counts()).toEqual(before);

    const org = await entrepreneur.post("/organisations/new", { name: "Lektiebanden", kind: "association", cvr: "", rsv: "on" });
    const orgId = idFrom(org, "organisations");
    const solution = await entrepreneur.post("/solutions/new", {
      title: "Lektiebanden: frivillige studerende i lektiecafeer",
      summary: "Vi rekrutterer og klæder studerende på til at give lektiehjælp i udsatte boligområder.",
      description: "Vi har drevet lektiecafeer i seks år og har 40 faste frivillige studerende.",
      language: "da",
      organisation: String(orgId),
      stage: "running",
      districts: ["broenshoej-husum"],
      targetGroups: ["boern", "frivillige"],
      intent: "publish",
    });
    solutionId = idFrom(solution, "solutions");
    expect(await new Visitor(portal).html(`/solutions/${solutionId}`)).toContain("Lektiebanden");
  });

  it("proposes it with a pitch; staff are told by mail, read it and answer; the entrepreneur sees the answer", async () => {
    const page = await entrepreneur.html(`/challenges/${challengeId}`);
    expect(page).toContain("Foreslå en af jeres løsninger");
    const proposed = await entrepreneur.post(`/challenges/${challengeId}`, {
      intent: "propose",
      solution: String(solutionId),
      pitch: "Vi har 40 frivillige studerende og kan starte i Tingbjerg efter sommerferien.",
    });
    expect(proposed.status).toBe(302);
    const again = await entrepreneur.post(`/challenges/${challengeId}`, { intent: "propose", solution: String(solutionId), pitch: "Endnu en gang, det samme forslag igen." });
    expect(again.status).toBe(409);
    await waitForMail(smtp, "sof@kk.example", /Nyt forslag/);

    // The public never sees proposals.
    expect(await new Visitor(portal).html(`/challenges/${challengeId}`)).not.toContain("40 frivillige studerende");
    const staffPage = await staff.html(`/challenges/${challengeId}`);
    expect(staffPage).toContain("40 frivillige studerende");
    const proposalId = Number(/data-proposal-id="(\d+)"/.exec(staffPage)![1]);
    const answered = await staff.post(`/challenges/${challengeId}`, {
      intent: "answer",
      proposal: String(proposalId),
      decision: "accepted",
      answer: "Spændende! Vi ringer til jer i næste uge.",
    });
    expect(answered.status).toBe(302);
    await waitForMail(smtp, "laerke@lektie.test", /Svar på jeres forslag/);
    const me = await entrepreneur.html("/me");
    expect(me).toContain("Spændende! Vi ringer til jer i næste uge.");
    expect(me).toContain("Interesseret");
  });

  it("keeps the URL and the proposals when staff close the challenge", async () => {
    expect((await staff.post(`/challenges/${challengeId}/edit`, { intent: "status", status: "closed" })).status).toBe(302);
    const page = await new Visitor(portal).html(`/challenges/${challengeId}`);
    expect(page).toContain("Lukket");
    expect(await staff.html(`/challenges/${challengeId}`)).toContain("40 frivillige studerende");
  });
});

describe("an administrator unpublishes a reported text", () => {
  it("reaches the administrators, comes off the public pages, and its owner sees why", async () => {
    // Anyone may report; a report from someone with a confirmed address is also mailed to the administrators.
    const reporter = await signedIn(portal, "sof@kk.example");
    const reported = await reporter.post(`/solutions/${solutionId}`, { intent: "report", reason: "Teksten lover mere, end den kan holde." });
    expect(reported.status).toBe(302);
    await waitForMail(smtp, "admin@samskab.example", /Ny anmeldelse/);

    const admin = await signedIn(portal, "admin@samskab.example");
    expect(await admin.html("/admin/reports")).toContain("Teksten lover mere, end den kan holde.");
    const unpublished = await admin.post(`/solutions/${solutionId}`, { intent: "unpublish", reason: "Påstande om effekt uden dokumentation." });
    expect(unpublished.status).toBe(302);

    expect((await new Visitor(portal).get(`/solutions/${solutionId}`)).status).toBe(404);
    await portal.settled();
    expect(resultIds(await portal.html("/solutions?q=lektiebanden"))).not.toContain(solutionId);
    const owner = await entrepreneur.html(`/solutions/${solutionId}`);
    expect(owner).toContain("Påstande om effekt uden dokumentation.");
    const mail = await waitForMail(smtp, "laerke@lektie.test", /afpubliceret/);
    expect(mail.text).toContain("Påstande om effekt uden dokumentation.");
    expect(await admin.html("/admin/reports")).not.toContain("Teksten lover mere, end den kan holde.");
  });
});
