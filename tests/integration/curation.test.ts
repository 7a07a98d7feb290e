// The community managers' workbench over HTTP against a portal with the demo data matched: the
// queue, decisions (a dismissed pair never returns, recomputation never touches a decision), a
// pair added by hand, an accepted proposal joining the same lifecycle, the introduction with its
// double opt-in, the stages to an outcome, and the audit trail the database will not let anyone
// rewrite.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDemoData } from "../../db/demo";
import { enqueueRecordChange } from "../../db/outbox";
import { signedIn, type Visitor } from "../helpers/client";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { organisationOf } from "../helpers/factories";
import { closeSmtpServers, smtpUrl, startSmtp, waitForMail, type TestSmtp } from "../helpers/smtp";
import { freePort } from "../../search/embedded-meili";

const demo = readDemoData();
const loneliness = demo.challenges.find((c) => c.key === "c01")!;

let portal: TestPortal;
let smtp: TestSmtp;
let curator: Visitor;
let staff: Visitor;
let entrepreneur: Visitor;
let otherEntrepreneur: Visitor;
const ids = { curator: 0, loneliness: 0, ownSolution: 0 };

const db = () => portal.database.db;

/** The pairs the queue page shows, in order. */
function queuePairs(html: string): string[] {
  return [...html.matchAll(/data-pair="(\d+-\d+)"/g)].map((m) => m[1]!);
}

async function queuedMails(kind: string) {
  const rows = await db().selectFrom("outbox").select(["payload"]).where("topic", "=", "email.send").orderBy("id").execute();
  return rows.map((r) => JSON.parse(r.payload) as { to: string; subject: string; text: string; kind: string }).filter((m) => m.kind === kind);
}

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

async function auditActions(matchId: number): Promise<string[]> {
  return (await db().selectFrom("audit_log").select(["action", "detail"]).where("match_id", "=", matchId).orderBy("id").execute()).map((r) => {
    const d = JSON.parse(r.detail) as { to?: string };
    return r.action === "stage" ? `stage:${d.to}` : r.action;
  });
}

async function matchVersion(id: number): Promise<string> {
  return String((await db().selectFrom("matches").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);
}

beforeAll(async () => {
  // The introduction links reach the parties by mail; the outbox keeps only redacted copies.
  const port = await freePort();
  smtp = await startSmtp(port);
  portal = await startTestPortal({ smtpUrl: smtpUrl(port) });
  await portal.settled();
  curator = await signedIn(portal, "community@samskab.example");
  staff = await signedIn(portal, "suf@kk.example");
  entrepreneur = await signedIn(portal, "entrepreneur@samskab.example");
  otherEntrepreneur = await signedIn(portal, "entrepreneur2@samskab.example");
  ids.curator = (await db().selectFrom("users").select("id").where("email", "=", "community@samskab.example").executeTakeFirstOrThrow()).id;
  ids.loneliness = (await db().selectFrom("challenges").select("id").where("title", "=", loneliness.title).executeTakeFirstOrThrow()).id;
  const org = await organisationOf(db(), "entrepreneur@samskab.example");
  ids.ownSolution = (await db().selectFrom("solutions").select("id").where("organisation_id", "=", org).where("status", "=", "published").orderBy("id").executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await portal?.close();
  await closeSmtpServers();
});

describe("the audit table", () => {
  it("refuses updates and deletes: the database itself keeps it append-only", async () => {
    await db().insertInto("audit_log").values({ actor_id: null, actor_name: "test", action: "note", challenge_id: ids.loneliness, solution_id: ids.ownSolution, reason: null }).execute();
    await expect(db().updateTable("audit_log").set({ reason: "rewritten" }).execute()).rejects.toThrow(/append-only/);
    await expect(db().deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db())).rejects.toThrow(/append-only/);
    expect((await db().selectFrom("audit_log").select("reason").where("actor_name", "=", "test").executeTakeFirstOrThrow()).reason).toBeNull();
  });
});

describe("the queue", () => {
  it("lists undecided suggestions strongest first, only to community managers and administrators", async () => {
    const html = await curator.html("/curation?scope=all");
    const pairs = queuePairs(html);
    expect(pairs.length).toBeGreaterThan(5);
    const scores = [...html.matchAll(/(\d+) % match/g)].map((m) => Number(m[1]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect((await staff.get("/curation")).status).toBe(403);
    expect((await entrepreneur.get("/curation")).status).toBe(403);
    expect((await portal.get("/curation")).status).toBe(302);
  });

  it("is bounded by the curator's own area unless asked for all", async () => {
    // The demo curator covers Nørrebro and Bispebjerg, SOF and SUF.
    const inArea = async (pair: string) => {
      const [challenge, solution] = pair.split("-").map(Number) as [number, number];
      const c = await db().selectFrom("challenges").innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id").select(["organisations.code", "challenges.whole_city"]).where("challenges.id", "=", challenge).executeTakeFirstOrThrow();
      const coOwners = (await db().selectFrom("challenge_co_owners").innerJoin("organisations", "organisations.id", "challenge_co_owners.organisation_id").select("organisations.code").where("challenge_id", "=", challenge).execute()).map((r) => r.code);
      const districts = [
        ...(await db().selectFrom("challenge_districts").select("district_code").where("challenge_id", "=", challenge).execute()),
        ...(await db().selectFrom("solution_districts").select("district_code").where("solution_id", "=", solution).execute()),
      ].map((r) => r.district_code);
      return c.whole_city === 1 || [c.code, ...coOwners].some((x) => x === "SOF" || x === "SUF") || districts.some((d) => d === "noerrebro" || d === "bispebjerg");
    };
    const mine = queuePairs(await curator.html("/curation"));
    const all = queuePairs(await curator.html("/curation?scope=all"));
    expect(mine.length).toBeGreaterThan(0);
    for (const pair of mine) expect(await inArea(pair)).toBe(true);
    const outside = [];
    for (const pair of all) if (!(await inArea(pair))) outside.push(pair);
    expect(outside.length).toBeGreaterThan(0);
    for (const pair of outside) expect(mine).not.toContain(pair);
  });

  it("answers a hand-edited filter with 400 and a message in the page's language", async () => {
    const res = await curator.get("/curation?minScore=lots");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Afgrænsningen i adressen kan ikke bruges");
  });

  it("filters by score: nothing under the lowest score asked for", async () => {
    const html = await curator.html("/curation?scope=all&minScore=40");
    for (const m of html.matchAll(/(\d+) % match/g)) expect(Number(m[1])).toBeGreaterThanOrEqual(40);
  });
});

describe("decisions", () => {
  it("dismissing needs a reason: 400 in Danish, the typed note kept, nothing stored", async () => {
    const [pair] = queuePairs(await curator.html("/curation?scope=all"));
    const [challenge, solution] = pair!.split("-");
    const res = await curator.post("/curation", { intent: "dismiss", challenge: challenge!, solution: solution!, reason: "", note: "Min vigtige note" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Vælg en begrundelse for afvisningen.");
    expect(html).toContain("Min vigtige note");
    expect(await db().selectFrom("match_decisions").select("id").where("challenge_id", "=", Number(challenge)).where("solution_id", "=", Number(solution)).execute()).toHaveLength(0);
  });

  it("a dismissed pair leaves the queue and is never suggested again, even after recomputation", async () => {
    const [pair] = queuePairs(await curator.html("/curation?scope=all"));
    const [challenge, solution] = pair!.split("-").map(Number) as [number, number];
    const res = await curator.post("/curation", { intent: "dismiss", challenge: String(challenge), solution: String(solution), reason: "wrong_target_group", note: "" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("notice=suggestionDismissed");
    expect(queuePairs(await curator.html("/curation?scope=all"))).not.toContain(pair);
    // Both records change: the matcher recomputes their suggestions.
    await db().transaction().execute(async (trx) => {
      await enqueueRecordChange(trx, "challenge", challenge);
      await enqueueRecordChange(trx, "solution", solution);
    });
    portal.indexer.nudge();
    portal.matcher.nudge();
    await portal.settled();
    const stored = await db().selectFrom("match_suggestions").select("score").where("challenge_id", "=", challenge).where("solution_id", "=", solution).execute();
    expect(stored).toHaveLength(0);
    const decision = await db().selectFrom("match_decisions").selectAll().where("challenge_id", "=", challenge).where("solution_id", "=", solution).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ decision: "dismissed", reason: "wrong_target_group", decided_by: ids.curator });
    expect(queuePairs(await curator.html("/curation?scope=all"))).not.toContain(pair);
  });

  it("accepting makes a match with the matcher's score and why, recorded in the audit; a second decision is refused", async () => {
    const [pair] = queuePairs(await curator.html("/curation?scope=all"));
    const [challenge, solution] = pair!.split("-");
    const res = await curator.post("/curation", { intent: "accept", challenge: challenge!, solution: solution!, back: "/curation?scope=all" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/curation?scope=all&notice=matchAccepted");
    const match = await db().selectFrom("matches").selectAll().where("challenge_id", "=", Number(challenge)).where("solution_id", "=", Number(solution)).executeTakeFirstOrThrow();
    expect(match).toMatchObject({ origin: "suggestion", stage: "accepted", curator_id: ids.curator });
    expect(match.score).toBeGreaterThan(0);
    expect(JSON.parse(match.reasons!).length).toBeGreaterThan(0);
    expect(await auditActions(match.id)).toEqual(["accepted"]);
    expect(queuePairs(await curator.html("/curation?scope=all"))).not.toContain(pair);
    const again = await curator.post("/curation", { intent: "dismiss", challenge: challenge!, solution: solution!, reason: "other" });
    expect(again.status).toBe(409);
    // The match page shows the why and the trail.
    const page = await curator.html(`/matches/${match.id}`);
    expect(page).toContain("Hvorfor");
    expect(page).toContain('data-audit-action="accepted"');
  });

  it("only community managers and administrators decide", async () => {
    const [pair] = queuePairs(await curator.html("/curation?scope=all"));
    const [challenge, solution] = pair!.split("-");
    for (const v of [staff, entrepreneur]) expect((await v.post("/curation", { intent: "accept", challenge: challenge!, solution: solution! })).status).toBe(403);
    expect((await portal.post("/curation", { intent: "accept", challenge: challenge!, solution: solution! })).status).toBe(302);
    expect(await db().selectFrom("matches").select("id").where("challenge_id", "=", Number(challenge)).where("solution_id", "=", Number(solution)).execute()).toHaveLength(0);
  });

  it("an accepted proposal becomes a match in the same lifecycle", async () => {
    // The entrepreneur proposes one of their solutions to a SUF challenge; SUF's staff accept.
    const challenge = await db()
      .selectFrom("challenges")
      .innerJoin("organisations", "organisations.id", "challenges.owner_organisation_id")
      .select("challenges.id")
      .where("organisations.code", "=", "SUF")
      .where("challenges.status", "=", "open")
      .where("challenges.id", "!=", ids.loneliness)
      .orderBy("challenges.id", "desc")
      .executeTakeFirstOrThrow();
    const proposed = await entrepreneur.post(`/challenges/${challenge.id}`, { intent: "propose", solution: String(ids.ownSolution), pitch: "Vi kan hjælpe med netop dette, og vi er klar." });
    expect(proposed.status).toBe(302);
    const proposal = await db().selectFrom("proposals").select("id").where("challenge_id", "=", challenge.id).where("solution_id", "=", ids.ownSolution).executeTakeFirstOrThrow();
    const answered = await staff.post(`/challenges/${challenge.id}`, { intent: "answer", proposal: String(proposal.id), decision: "accepted", answer: "Velkommen, lad os mødes." });
    expect(answered.status).toBe(302);
    const match = await db().selectFrom("matches").selectAll().where("proposal_id", "=", proposal.id).executeTakeFirstOrThrow();
    expect(match).toMatchObject({ origin: "proposal", stage: "accepted", challenge_id: challenge.id, solution_id: ids.ownSolution });
    expect(await auditActions(match.id)).toEqual(["proposal_accepted"]);
    // Both parties find it among their matches.
    expect(await entrepreneur.html("/matches")).toContain(`data-match-id="${match.id}"`);
    expect(await staff.html("/matches")).toContain(`data-match-id="${match.id}"`);
    expect(await otherEntrepreneur.html("/matches")).not.toContain(`data-match-id="${match.id}"`);
  });
});

describe("a match from introduction to outcome", () => {
  let matchId = 0;

  it("adds a pair by hand, recorded as such", async () => {
    const res = await curator.post("/curation", { intent: "add", challenge: String(ids.loneliness), solution: String(ids.ownSolution), note: "Kender dem fra et netværksmøde." });
    if (res.status === 409) {
      // The demo's own proposal or suggestion may already have made them a match.
      matchId = (await db().selectFrom("matches").select("id").where("challenge_id", "=", ids.loneliness).where("solution_id", "=", ids.ownSolution).executeTakeFirstOrThrow()).id;
      return;
    }
    expect(res.status).toBe(302);
    const match = await db().selectFrom("matches").selectAll().where("challenge_id", "=", ids.loneliness).where("solution_id", "=", ids.ownSolution).executeTakeFirstOrThrow();
    expect(match.origin).toBe("manual");
    expect(res.headers.get("location")).toBe(`/matches/${match.id}?notice=matchAdded`);
    const decision = await db().selectFrom("match_decisions").select(["decision", "note"]).where("challenge_id", "=", ids.loneliness).where("solution_id", "=", ids.ownSolution).executeTakeFirstOrThrow();
    expect(decision).toEqual({ decision: "added", note: "Kender dem fra et netværksmøde." });
    matchId = match.id;
  });

  it("the parties see their match but not each other's contact details before both confirm; others get 404", async () => {
    expect((await otherEntrepreneur.get(`/matches/${matchId}`)).status).toBe(404);
    expect((await portal.get(`/matches/${matchId}`)).status).toBe(302);
    const page = await entrepreneur.html(`/matches/${matchId}`);
    expect(page).not.toContain(loneliness.contactEmail!);
    // Parties watch; they do not act.
    expect((await entrepreneur.post(`/matches/${matchId}`, { intent: "note", body: "Hej" })).status).toBe(403);
  });

  it("introducing mails both parties in their language with the why and a confirmation link", async () => {
    const before = (await queuedMails("introduction")).length;
    const res = await curator.post(`/matches/${matchId}`, { intent: "introduce", version: await matchVersion(matchId) });
    expect(res.status).toBe(302);
    const mails = (await queuedMails("introduction")).slice(before);
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.to)).toContain(loneliness.contactEmail!);
    // Each party's mail carries its own link; once delivered, the outbox's copy no longer does.
    for (const m of mails) expect((await waitForMail(smtp, m.to, exactly(m.subject))).text).toMatch(/\/introductions\/[A-Za-z0-9_-]{43}/);
    await portal.settled();
    for (const m of (await queuedMails("introduction")).slice(before)) expect(m.text).toMatch(/\/introductions\/\[redacted\]/);
    expect(mails.find((m) => m.to === loneliness.contactEmail)!.text).toContain("Hvorfor vi tror, I passer sammen");
    expect(await auditActions(matchId)).toContain("stage:introduced");
    // Introducing twice is refused: the match has moved on.
    expect((await curator.post(`/matches/${matchId}`, { intent: "introduce", version: await matchVersion(matchId) })).status).toBe(409);
  });

  it("each party confirms by its link (a GET changes nothing); contacts are shared once both have", async () => {
    const mails = (await queuedMails("introduction")).slice(-2);
    const links = await Promise.all(mails.map(async (m) => /\/introductions\/[A-Za-z0-9_-]+/.exec((await waitForMail(smtp, m.to, exactly(m.subject))).text)![0]));
    const first = await portal.get(links[0]!);
    expect(first.status).toBe(200);
    expect(await db().selectFrom("match_confirmations").select("party").where("match_id", "=", matchId).where("confirmed_at", "is not", null).execute()).toHaveLength(0);
    expect((await portal.post(links[0]!, {})).status).toBe(200);
    expect(await db().selectFrom("match_confirmations").select("party").where("match_id", "=", matchId).where("confirmed_at", "is not", null).execute()).toHaveLength(1);
    expect(await entrepreneur.html(`/matches/${matchId}`)).not.toContain(loneliness.contactEmail!);
    expect(await queuedMails("contacts-shared")).toHaveLength(0);
    const second = await portal.post(links[1]!, {});
    expect(await second.text()).toMatch(/Begge parter har sagt ja|Both parties have said yes/);
    const shared = await queuedMails("contacts-shared");
    expect(shared).toHaveLength(2);
    expect(await entrepreneur.html(`/matches/${matchId}`)).toContain(loneliness.contactEmail!);
    // A link works once: used again it changes nothing and sends nothing.
    expect((await portal.post(links[1]!, {})).status).toBe(404);
    expect((await portal.get(links[0]!)).status).toBe(404);
    expect(await queuedMails("contacts-shared")).toHaveLength(2);
    expect((await portal.get("/introductions/not-a-real-token-at-all-xyz")).status).toBe(404);
    expect(await auditActions(matchId)).toEqual(expect.arrayContaining(["confirmed", "contacts_shared"]));
  });

  it("moves through meeting and pilot to an agreement with its procurement route, then an outcome; each step audited", async () => {
    expect((await curator.post(`/matches/${matchId}`, { intent: "stage", to: "meeting", version: await matchVersion(matchId), note: "Første møde holdt" })).status).toBe(302);
    expect((await curator.post(`/matches/${matchId}`, { intent: "stage", to: "pilot", version: await matchVersion(matchId) })).status).toBe(302);
    // An agreement needs its route; the answer keeps what was typed.
    const noRoute = await curator.post(`/matches/${matchId}`, { intent: "stage", to: "agreement", version: await matchVersion(matchId), agreementNote: "Et års aftale" });
    expect(noRoute.status).toBe(400);
    const html = await noRoute.text();
    expect(html).toContain("Vælg den indkøbsvej, aftalen bruger.");
    expect(html).toContain("Et års aftale");
    // A stale version (someone else saved in between) is refused.
    expect((await curator.post(`/matches/${matchId}`, { intent: "stage", to: "agreement", version: "1", route: "reserved-contract" })).status).toBe(409);
    expect((await curator.post(`/matches/${matchId}`, { intent: "stage", to: "agreement", version: await matchVersion(matchId), route: "reserved-contract", agreementNote: "Et års aftale" })).status).toBe(302);
    const noResult = await curator.post(`/matches/${matchId}`, { intent: "stage", to: "outcome", version: await matchVersion(matchId) });
    expect(noResult.status).toBe(400);
    expect((await curator.post(`/matches/${matchId}`, { intent: "stage", to: "outcome", version: await matchVersion(matchId), outcomeResult: "42 ældre deltog fast; færre oplever ensomhed." })).status).toBe(302);
    const match = await db().selectFrom("matches").selectAll().where("id", "=", matchId).executeTakeFirstOrThrow();
    expect(match).toMatchObject({ stage: "outcome", procurement_route_code: "reserved-contract", outcome_result: "42 ældre deltog fast; færre oplever ensomhed." });
    expect((await auditActions(matchId)).filter((a) => a.startsWith("stage:"))).toEqual(["stage:introduced", "stage:meeting", "stage:pilot", "stage:agreement", "stage:outcome"]);
    // An outcome is the end of the road.
    expect((await curator.post(`/matches/${matchId}`, { intent: "end", endReason: "other", version: await matchVersion(matchId) })).status).toBe(409);
    const page = await entrepreneur.html(`/matches/${matchId}`);
    expect(page).toContain("Reserveret kontrakt (§ 20)");
  });

  it("notes and a next-step date are kept on the match; a bad date is refused with the text kept", async () => {
    const bad = await curator.post(`/matches/${matchId}`, { intent: "nextStep", version: await matchVersion(matchId), nextStep: "Ring til Formiddagsstuen", due: "31-12-2026" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Ring til Formiddagsstuen");
    expect((await curator.post(`/matches/${matchId}`, { intent: "nextStep", version: await matchVersion(matchId), nextStep: "Ring til Formiddagsstuen", due: "2026-12-31" })).status).toBe(302);
    expect((await curator.post(`/matches/${matchId}`, { intent: "note", body: "Godt møde i dag." })).status).toBe(302);
    const page = await curator.html(`/matches/${matchId}`);
    expect(page).toContain("Godt møde i dag.");
    expect(page).toContain("Ring til Formiddagsstuen");
    expect(page).toContain("31. december 2026");
  });
});

describe("when a challenge closes", () => {
  it("its open suggestions leave the queue and its matches stay, marked", async () => {
    const all = queuePairs(await curator.html("/curation?scope=all"));
    const [challenge, solution] = all[0]!.split("-").map(Number) as [number, number];
    expect((await curator.post("/curation", { intent: "accept", challenge: String(challenge), solution: String(solution) })).status).toBe(302);
    const match = await db().selectFrom("matches").select("id").where("challenge_id", "=", challenge).where("solution_id", "=", solution).executeTakeFirstOrThrow();
    await db().updateTable("challenges").set({ status: "closed" }).where("id", "=", challenge).execute();
    const after = queuePairs(await curator.html("/curation?scope=all"));
    expect(after.filter((p) => p.startsWith(`${challenge}-`))).toEqual([]);
    const list = await curator.html("/matches");
    expect(list).toContain(`data-match-id="${match.id}"`);
    expect(await curator.html(`/matches/${match.id}`)).toContain("Udfordringen er lukket");
    await db().updateTable("challenges").set({ status: "open" }).where("id", "=", challenge).execute();
  });
});
