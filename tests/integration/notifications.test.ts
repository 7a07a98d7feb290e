// Notifications end to end: news recorded in the transactions that cause it, sent once as an
// immediate mail or a weekly digest (Monday, for the week that ended, Copenhagen time), reminders
// of overdue next steps, idempotent under concurrent runs, separate processes and crashes; the
// mails read back from a real SMTP server on loopback, and their one-click unsubscribe posted to
// the real portal.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NotificationScheduler, runDigests, runImmediate, runReminders, type QueueMail } from "../../app/notifications/notify.server";
import { Mailer, smtpTransport } from "../../app/mail/mailer.server";
import { nowIso, type DB } from "../../db/client";
import { queueMail } from "../../db/mail";
import type { MailMessage } from "../../db/outbox";
import { changeChallengeStatus } from "../../db/queries/challenges";
import { storeTopList } from "../../db/queries/matcher";
import { listSubscriptions, recordSuggestionNews, subscribe, type StoredPair } from "../../db/queries/notifications";
import { setFollow } from "../../db/queries/proposals";
import { createUser } from "../../db/queries/users";
import type { Language, SubscriptionTopic } from "../../db/schema";
import { ROOT } from "../../scripts/lib/build";
import { freePort } from "../../search/embedded-meili";
import { DISPLAY_THRESHOLD } from "../../search/matcher/score";
import { signedIn } from "../helpers/client";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { administrationId, createOrganisation, makeChallenge, makeSolution } from "../helpers/factories";
import { startTestPortal, type TestPortal } from "../helpers/portal";
import { waitUntil } from "../helpers/search";
import { closeSmtpServers, decodeWords, parse, startSmtp, waitForMail } from "../helpers/smtp";

const BASE = "https://portal.test";
// Week 49 of 2026 runs from Monday 30 November to Sunday 6 December.
const WEDNESDAY_W49 = "2026-12-02T10:00:00.000Z";
const SUNDAY_EVENING_W49 = new Date("2026-12-06T22:30:00Z"); // 23:30 in Copenhagen: still week 49
const MONDAY_W50 = new Date("2026-12-06T23:30:00Z"); // 00:30 on Monday 7 December in Copenhagen
const MONDAY_W51 = new Date("2026-12-14T08:00:00Z");

let t: TestDatabase | undefined;
afterEach(async () => {
  await closeSmtpServers();
  await t?.destroy();
  t = undefined;
});

async function person(db: DB, email: string, options: { locale?: Language; verified?: boolean } = {}): Promise<number> {
  return createUser(db, { email, name: email.split("@")[0]!, passwordHash: null, locale: options.locale ?? "da", verified: options.verified ?? true });
}

async function member(db: DB, userId: number, organisationId: number): Promise<void> {
  await db.insertInto("memberships").values({ organisation_id: organisationId, user_id: userId, role: "member", created_at: nowIso() }).execute();
}

/** An administration's challenges, an organisation's solutions, and the people around them. */
async function world() {
  t = await createTestDatabase();
  const db = t.db;
  const suf = await administrationId(db, "SUF");
  const sof = await administrationId(db, "SOF");
  const organisation = await createOrganisation(db, { name: "Spisevennerne ApS" });
  const otherOrganisation = await createOrganisation(db, { name: "Andre ApS" });
  const entrepreneur = await person(db, "emil@samskab.test");
  await member(db, entrepreneur, organisation);
  const staff = await person(db, "sara@kk.test");
  await member(db, staff, suf);
  const manager = await person(db, "cm@samskab.test", { locale: "en" });
  await db.insertInto("user_roles").values({ user_id: manager, role: "community_manager", granted_at: nowIso(), granted_by: null }).execute();
  await db.insertInto("curator_administrations").values({ user_id: manager, organisation_id: suf }).execute();
  const loneliness = await makeChallenge(db, { title: "Ensomhed blandt ældre", ownerOrganisationId: suf });
  const foodWaste = await makeChallenge(db, { title: "Madspild i skolekøkkener", ownerOrganisationId: suf });
  const sofChallenge = await makeChallenge(db, { title: "Hjemløse unge", ownerOrganisationId: sof });
  const dinners = await makeSolution(db, { title: "Spisevenner", organisationId: organisation });
  const walks = await makeSolution(db, { title: "Gåture for to", organisationId: organisation });
  const other = await makeSolution(db, { title: "Noget helt andet", organisationId: otherOrganisation });
  return { db, t, suf, sof, organisation, entrepreneur, staff, manager, loneliness, foodWaste, sofChallenge, dinners, walks, other };
}

async function news(db: DB, pairs: StoredPair[], now?: string): Promise<void> {
  await db.transaction().execute((trx) => recordSuggestionNews(trx, pairs, { minScore: DISPLAY_THRESHOLD, now }));
}

async function sub(db: DB, userId: number, topic: SubscriptionTopic, delivery: "immediate" | "weekly"): Promise<number> {
  await subscribe(db, userId, topic, delivery);
  return (await listSubscriptions(db, userId)).find((s) => s.topic === topic)!.id;
}

async function queued(db: DB): Promise<MailMessage[]> {
  const rows = await db.selectFrom("outbox").select("payload").where("topic", "=", "email.send").orderBy("id").execute();
  return rows.map((r) => JSON.parse(r.payload) as MailMessage);
}

async function sends(db: DB) {
  return db.selectFrom("notification_sends").select(["subscription_id", "period", "items"]).orderBy("subscription_id").orderBy("period").execute();
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("weekly digests", () => {
  it("go out on Monday for the week that ended, collapse repeats, and never go out empty or twice", async () => {
    const w = await world();
    const entrepreneurs = await sub(w.db, w.entrepreneur, "matching_challenges", "weekly");
    const staff = await sub(w.db, w.staff, "matching_solutions", "weekly");
    // Subscribed, but nothing ever happens for them: never an empty mail.
    await sub(w.db, w.staff, "followed_challenges", "weekly");
    // The loneliness challenge matches both of the organisation's solutions, twice over; the
    // food-waste pair stays under the display threshold.
    await news(w.db, [
      { challengeId: w.loneliness, solutionId: w.dinners, score: 0.61 },
      { challengeId: w.loneliness, solutionId: w.walks, score: 0.43 },
      { challengeId: w.foodWaste, solutionId: w.dinners, score: DISPLAY_THRESHOLD - 0.01 },
    ], WEDNESDAY_W49);
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.62 }], "2026-12-03T09:00:00.000Z");

    expect(await w.db.selectFrom("notification_items").select(["subscription_id", "item_key"]).orderBy("subscription_id").orderBy("item_key").execute()).toEqual([
      { subscription_id: entrepreneurs, item_key: `challenge:${w.loneliness}` },
      { subscription_id: staff, item_key: `solution:${w.dinners}` },
      { subscription_id: staff, item_key: `solution:${w.walks}` },
    ]);

    // Sunday evening in Copenhagen the week has not ended.
    expect(await runDigests(w.db, { now: SUNDAY_EVENING_W49, publicBaseUrl: BASE })).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await queued(w.db)).toEqual([]);

    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toEqual({ sent: 2, skipped: 0, failed: 0 });
    const mails = await queued(w.db);
    expect(mails.map((m) => [m.to, m.kind, m.subject])).toEqual([
      ["emil@samskab.test", "digest", "Nyt på Samskab i uge 49"],
      ["sara@kk.test", "digest", "Nyt på Samskab i uge 49"],
    ]);
    const [toEntrepreneur, toStaff] = mails as [MailMessage, MailMessage];
    expect(count(toEntrepreneur.text, "Ensomhed blandt ældre")).toBe(1);
    expect(toEntrepreneur.text).toContain(`${BASE}/challenges/${w.loneliness}`);
    expect(toEntrepreneur.text).not.toContain("Madspild");
    expect(toStaff.text).toContain("»Spisevenner«");
    expect(toStaff.text).toContain("»Gåture for to«");
    expect(toStaff.text).toContain("(match 61 %)");
    for (const m of mails) {
      expect(m.headers?.["List-Unsubscribe"]).toMatch(/^<https:\/\/portal\.test\/unsubscribe\?token=[\w-]{43}>$/);
      expect(m.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      expect(m.text).toContain(m.headers!["List-Unsubscribe"]!.slice(1, -1));
    }
    expect(await sends(w.db)).toEqual([
      { subscription_id: entrepreneurs, period: "2026-W49", items: 1 },
      { subscription_id: staff, period: "2026-W49", items: 2 },
    ]);

    // Again the same Monday, and the next Monday with nothing new: nothing.
    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    expect(await runDigests(w.db, { now: MONDAY_W51, publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    expect(await queued(w.db)).toHaveLength(2);
    // The same record is news once: it coming up again later is no news.
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.7 }], "2026-12-09T09:00:00.000Z");
    expect(await runDigests(w.db, { now: MONDAY_W51, publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
  });

  it("arrive over SMTP with List-Unsubscribe and List-Unsubscribe-Post, in text and HTML", async () => {
    const w = await world();
    await sub(w.db, w.entrepreneur, "matching_challenges", "weekly");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }], WEDNESDAY_W49);
    await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE });
    const smtp = await startSmtp(await freePort());
    await new Mailer(w.db, smtpTransport(smtp.url), { from: "Samskab <noreply@samskab.test>" }).drain();

    expect(smtp.received).toHaveLength(1);
    const message = parse(smtp.received[0]!.raw);
    expect(decodeWords(message.headers("Subject") ?? "")).toBe("Nyt på Samskab i uge 49");
    const unsubscribe = /^<(https:\/\/portal\.test\/unsubscribe\?token=[\w-]{43})>$/.exec(message.headers("List-Unsubscribe") ?? "")?.[1];
    expect(unsubscribe).toBeDefined();
    expect(message.headers("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const [text, html] = message.parts.map((p) => p.text);
    expect(text).toContain(unsubscribe);
    expect(html).toContain(`<a href="${BASE}/challenges/${w.loneliness}">`);
    expect(html).toContain(`<a href="${unsubscribe}">`);
  });

  it("leave out news that no longer holds, and then send nothing rather than an empty mail", async () => {
    const w = await world();
    const entrepreneurs = await sub(w.db, w.entrepreneur, "matching_challenges", "weekly");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }], WEDNESDAY_W49);
    await changeChallengeStatus(w.db, w.loneliness, "closed");

    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await queued(w.db)).toEqual([]);
    expect(await sends(w.db)).toEqual([]);
    expect(await w.db.selectFrom("notification_items").select("item_key").where("subscription_id", "=", entrepreneurs).execute()).toEqual([]);
  });

  it("tell followers of a challenge's new status once, as it is now, however often it changed", async () => {
    const w = await world();
    await setFollow(w.db, w.entrepreneur, w.loneliness, true);
    await sub(w.db, w.entrepreneur, "followed_challenges", "weekly");
    await changeChallengeStatus(w.db, w.loneliness, "in_dialogue", WEDNESDAY_W49);
    await changeChallengeStatus(w.db, w.loneliness, "closed", "2026-12-04T12:00:00.000Z");
    // Not followed: no news of it.
    await changeChallengeStatus(w.db, w.foodWaste, "closed", WEDNESDAY_W49);

    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    const [mail] = await queued(w.db);
    expect(mail!.text).toContain("Udfordringer, du følger, har fået ny status:");
    expect(count(mail!.text, "»Ensomhed blandt ældre«")).toBe(1);
    expect(mail!.text).toContain("Status nu: Lukket");
    expect(mail!.text).not.toContain("I dialog");
    expect(mail!.text).not.toContain("Madspild");
    expect(await sends(w.db)).toEqual([expect.objectContaining({ period: "2026-W49", items: 2 })]);
  });

  it("wait while the person's address is unconfirmed", async () => {
    const w = await world();
    const unconfirmed = await person(w.db, "ny@samskab.test", { verified: false });
    await member(w.db, unconfirmed, w.organisation);
    await sub(w.db, unconfirmed, "matching_challenges", "weekly");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }], WEDNESDAY_W49);
    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    await w.db.updateTable("users").set({ email_verified_at: nowIso() }).where("id", "=", unconfirmed).execute();
    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
  });
});

describe("immediate notifications", () => {
  it("send one mail per new record at the next run, and never again", async () => {
    const w = await world();
    const emil = await sub(w.db, w.entrepreneur, "matching_challenges", "immediate");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }]);

    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toEqual({ sent: 0, skipped: 0, failed: 0 });
    await news(w.db, [
      { challengeId: w.loneliness, solutionId: w.walks, score: 0.5 },
      { challengeId: w.foodWaste, solutionId: w.walks, score: 0.3 },
    ]);
    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    const hello = await person(w.db, "hej@samskab.test");
    await member(w.db, hello, w.organisation);
    await sub(w.db, hello, "matching_challenges", "immediate");
    await news(w.db, [
      { challengeId: w.loneliness, solutionId: w.other, score: 0.5 },
      { challengeId: w.sofChallenge, solutionId: w.dinners, score: 0.5 },
      { challengeId: w.foodWaste, solutionId: w.dinners, score: 0.5 },
    ]);
    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toMatchObject({ sent: 3 });
    const burst = (await queued(w.db)).slice(2);
    expect(burst.map((m) => m.to).sort()).toEqual(["emil@samskab.test", "hej@samskab.test", "hej@samskab.test"]);
    // Every mail carries a link of its own.
    const toHello = burst.filter((m) => m.to === "hej@samskab.test").map((m) => m.headers!["List-Unsubscribe"]);
    expect(new Set(toHello).size).toBe(2);

    const mails = (await queued(w.db)).slice(0, 2);
    expect(mails.map((m) => [m.kind, m.subject])).toEqual([
      ["notify-now", "Nyt på Samskab: »Ensomhed blandt ældre«"],
      ["notify-now", "Nyt på Samskab: »Madspild i skolekøkkener«"],
    ]);
    expect(mails[0]!.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    // A later mail's link replaces the earlier one's; mails of one run share theirs.
    expect(mails[1]!.headers!["List-Unsubscribe"]).not.toBe(mails[0]!.headers!["List-Unsubscribe"]);
    expect((await sends(w.db)).filter((s) => s.subscription_id === emil).map((s) => s.period).sort()).toEqual(
      [`now:challenge:${w.foodWaste}`, `now:challenge:${w.loneliness}`, `now:challenge:${w.sofChallenge}`].sort(),
    );
  });

  it("count only pairs the matcher stores for the first time, not recomputations of shown ones", async () => {
    const w = await world();
    await sub(w.db, w.staff, "matching_solutions", "immediate");
    const store = (pairs: Array<{ solutionId: number; score: number }>) =>
      storeTopList(
        w.db,
        "challenge",
        w.loneliness,
        pairs.map((p) => ({ challengeId: w.loneliness, solutionId: p.solutionId, score: p.score, features: "{}", reasons: "[]" })),
        { modelVersion: "v1", keep: 20, onStored: (trx, stored) => recordSuggestionNews(trx, stored, { minScore: DISPLAY_THRESHOLD }) },
      );
    await store([{ solutionId: w.dinners, score: 0.5 }, { solutionId: w.walks, score: 0.1 }]);
    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    // Recomputed: the shown pair is no news, the one that now reaches the threshold is.
    await store([{ solutionId: w.dinners, score: 0.55 }, { solutionId: w.walks, score: 0.3 }]);
    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    await store([{ solutionId: w.dinners, score: 0.56 }, { solutionId: w.walks, score: 0.31 }]);
    expect(await runImmediate(w.db, { publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    expect((await queued(w.db)).map((m) => m.subject)).toEqual(["Nyt på Samskab: »Spisevenner«", "Nyt på Samskab: »Gåture for to«"]);
  });
});

describe("sending is idempotent", () => {
  it("two runs at once send each digest and each reminder exactly once", async () => {
    const w = await world();
    await sub(w.db, w.entrepreneur, "matching_challenges", "weekly");
    await sub(w.db, w.staff, "matching_solutions", "weekly");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }], WEDNESDAY_W49);
    const options = { now: MONDAY_W50, publicBaseUrl: BASE };
    const [a, b] = await Promise.all([runDigests(w.db, options), runDigests(w.db, options)]);
    expect(a.sent + b.sent).toBe(2);
    expect(a.skipped + b.skipped).toBe(2);
    expect(await queued(w.db)).toHaveLength(2);

    await w.db.insertInto("matches").values(match(w, { next_step_due: "2026-12-01", curator_id: w.manager })).execute();
    const [r1, r2] = await Promise.all([runReminders(w.db, options), runReminders(w.db, options)]);
    expect(r1.sent + r2.sent).toBe(1);
    expect((await queued(w.db)).filter((m) => m.kind === "reminder")).toHaveLength(1);
  });

  it("two processes at once (npm run notify) send each mail exactly once", async () => {
    const w = await world();
    await sub(w.db, w.entrepreneur, "matching_challenges", "weekly");
    await sub(w.db, w.staff, "matching_solutions", "immediate");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }], WEDNESDAY_W49);
    await w.db.insertInto("matches").values(match(w, { next_step_due: "2026-12-01", curator_id: w.manager })).execute();

    const runs = await Promise.all([notifyCommand(w.t, MONDAY_W50), notifyCommand(w.t, MONDAY_W50)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs.map((r) => r.stdout).join("")).toMatch(/Queued \d immediate notifications, \d weekly digests and \d reminders/);
    expect((await queued(w.db)).map((m) => m.kind).sort()).toEqual(["digest", "notify-now", "reminder"]);
    const again = await notifyCommand(w.t, MONDAY_W50);
    expect(again.stdout).toContain("Queued 0 immediate notifications, 0 weekly digests and 0 reminders");
    expect(await queued(w.db)).toHaveLength(3);
  });

  it("refuses bad arguments with exit code 2", async () => {
    const w = await world();
    const run = await notifyCommand(w.t, "not a date");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--now");
  });

  it("a crash mid-send sends nothing, and the next run sends it once", async () => {
    const w = await world();
    const id = await sub(w.db, w.entrepreneur, "matching_challenges", "weekly");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }], WEDNESDAY_W49);
    const tokens = () => w.db.selectFrom("tokens").select("id").where("subject", "=", `subscription:${id}`).execute();
    const failing: QueueMail = async () => {
      throw new Error("the disk is full");
    };
    // The mail is in the outbox, and then the process dies before the commit.
    const dying: QueueMail = async (trx, mail) => {
      await queueMail(trx, mail);
      throw new Error("killed");
    };
    for (const queue of [failing, dying]) {
      expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE, queue })).toEqual({ sent: 0, skipped: 0, failed: 1 });
      expect(await queued(w.db)).toEqual([]);
      expect(await sends(w.db)).toEqual([]);
      expect(await w.db.selectFrom("notification_items").select("sent_period").execute()).toEqual([{ sent_period: null }]);
      // A mail that was never committed left no working unsubscribe link behind either.
      expect(await tokens()).toEqual([]);
    }
    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    expect(await runDigests(w.db, { now: MONDAY_W50, publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    expect(await queued(w.db)).toHaveLength(1);
    expect(await w.db.selectFrom("notification_items").select("sent_period").execute()).toEqual([{ sent_period: "2026-W49" }]);
  });
});

type World = Awaited<ReturnType<typeof world>>;

function match(w: World, overrides: { next_step_due: string | null; curator_id: number | null; challenge_id?: number; stage?: "introduced" | "ended" }) {
  return {
    challenge_id: overrides.challenge_id ?? w.loneliness,
    solution_id: w.dinners,
    origin: "manual" as const,
    stage: overrides.stage ?? ("introduced" as const),
    next_step: "Møde med forvaltningen om en pilot",
    next_step_due: overrides.next_step_due,
    curator_id: overrides.curator_id,
    proposal_id: null,
    ended_at_stage: null,
    end_reason: null,
    procurement_route_code: null,
    agreement_note: null,
    outcome_result: null,
    score: null,
    reasons: null,
    introduced_at: null,
  };
}

/** `npm run notify` as cron runs it, against the test database. */
function notifyCommand(db: TestDatabase, now: Date | string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "notify.ts"), "--now", typeof now === "string" ? now : now.toISOString()], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: db.file, DATA_DIR: db.dir, DEMO_DATA: "off", LOG_LEVEL: "error", PUBLIC_BASE_URL: BASE, SMTP_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("reminders of overdue next steps", () => {
  it("go to the match's curator once per due date, in their language, without an unsubscribe", async () => {
    const w = await world();
    const { id } = await w.db.insertInto("matches").values(match(w, { next_step_due: "2026-12-01", curator_id: w.manager })).returning("id").executeTakeFirstOrThrow();
    // Due today is not overdue yet.
    expect(await runReminders(w.db, { now: new Date("2026-12-01T20:00:00Z"), publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    expect(await runReminders(w.db, { now: new Date("2026-12-01T23:30:00Z"), publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    expect(await runReminders(w.db, { now: new Date("2026-12-03T08:00:00Z"), publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    const [mail] = await queued(w.db);
    expect(mail).toMatchObject({ to: "cm@samskab.test", kind: "reminder", subject: "Next step overdue: “Ensomhed blandt ældre”" });
    expect(mail!.text).toContain("1 December 2026");
    expect(mail!.text).toContain("Møde med forvaltningen om en pilot");
    expect(mail!.text).toContain(`${BASE}/matches/${id}`);
    expect(mail!.headers).toBeUndefined();

    // A new date is a new reminder; an ended match has none.
    await w.db.updateTable("matches").set({ next_step_due: "2026-12-05" }).where("id", "=", id).execute();
    expect(await runReminders(w.db, { now: new Date("2026-12-08T08:00:00Z"), publicBaseUrl: BASE })).toMatchObject({ sent: 1 });
    await w.db.updateTable("matches").set({ next_step_due: "2026-12-07", stage: "ended" }).where("id", "=", id).execute();
    expect(await runReminders(w.db, { now: new Date("2026-12-09T08:00:00Z"), publicBaseUrl: BASE })).toMatchObject({ sent: 0 });
    expect(await w.db.selectFrom("reminder_sends").select(["match_id", "due"]).orderBy("due").execute()).toEqual([
      { match_id: id, due: "2026-12-01" },
      { match_id: id, due: "2026-12-05" },
    ]);
  });

  it("without a curator go to the community managers covering the administration, and wait when there are none", async () => {
    const w = await world();
    await w.db.insertInto("matches").values(match(w, { next_step_due: "2026-12-01", curator_id: null })).execute();
    await w.db.insertInto("matches").values({ ...match(w, { next_step_due: "2026-12-01", curator_id: null, challenge_id: w.sofChallenge }) }).execute();
    const now = new Date("2026-12-02T08:00:00Z");

    expect(await runReminders(w.db, { now, publicBaseUrl: BASE })).toMatchObject({ sent: 1, unassigned: 1 });
    expect((await queued(w.db)).map((m) => [m.to, m.subject])).toEqual([["cm@samskab.test", "Next step overdue: “Ensomhed blandt ældre”"]]);
    // Someone takes SOF on: the waiting reminder goes out.
    const sofManager = await person(w.db, "cm-sof@samskab.test");
    await w.db.insertInto("user_roles").values({ user_id: sofManager, role: "community_manager", granted_at: nowIso(), granted_by: null }).execute();
    await w.db.insertInto("curator_administrations").values({ user_id: sofManager, organisation_id: w.sof }).execute();
    expect(await runReminders(w.db, { now, publicBaseUrl: BASE })).toMatchObject({ sent: 1, unassigned: 0 });
    expect((await queued(w.db)).map((m) => [m.to, m.subject])).toContainEqual(["cm-sof@samskab.test", "Næste skridt er overskredet: »Hjemløse unge«"]);
  });
});

describe("the schedule in the portal's process", () => {
  it("runs every interval, wakes the mailer after queueing, and sends nothing twice", async () => {
    const w = await world();
    await sub(w.db, w.entrepreneur, "matching_challenges", "immediate");
    await news(w.db, [{ challengeId: w.loneliness, solutionId: w.dinners, score: 0.5 }]);
    let woken = 0;
    const scheduler = new NotificationScheduler(w.db, { publicBaseUrl: BASE, intervalMs: 20, firstRunMs: 0, afterQueue: () => woken++ });
    scheduler.start();
    try {
      await waitUntil(async () => (await queued(w.db)).length > 0, 5_000, "the scheduled run");
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await scheduler.stop();
    }
    expect(await queued(w.db)).toHaveLength(1);
    expect(woken).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Over HTTP: the unsubscribe link and its one-click POST, and the choices on /me

describe("on the portal", () => {
  let portal: TestPortal;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let challengeId: number;

  beforeAll(async () => {
    smtp = await startSmtp(await freePort());
    portal = await startTestPortal({ smtpUrl: smtp.url, notifyCheckMs: 0 });
    challengeId = (await portal.database.db.selectFrom("challenges").select("id").where("status", "=", "open").orderBy("id").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await portal?.close();
    await closeSmtpServers();
  });

  it("a mail arrives with List-Unsubscribe headers; GET asks, the one-click POST unsubscribes, and the link then gives 404", async () => {
    const db = portal.database.db;
    const follower = await person(db, "folger@samskab.test");
    await setFollow(db, follower, challengeId, true);
    await subscribe(db, follower, "followed_challenges", "immediate");
    await changeChallengeStatus(db, challengeId, "in_dialogue");
    expect(await runImmediate(db, { publicBaseUrl: portal.url })).toMatchObject({ sent: 1 });
    portal.mailer.nudge();

    const mail = await waitForMail(smtp, "folger@samskab.test", /^Nyt på Samskab/);
    const message = parse(mail.raw);
    expect(message.headers("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const url = /^<([^>]+)>$/.exec(message.headers("List-Unsubscribe") ?? "")?.[1];
    expect(url).toMatch(new RegExp(`^${portal.url.replace(/[.]/g, "\\.")}/unsubscribe\\?token=[\\w-]{43}$`));
    expect(mail.text).toContain(url);
    const path = new URL(url!).pathname + new URL(url!).search;

    // A mail scanner following the link unsubscribes nobody.
    const asked = await portal.get(path);
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain("Afmeld mails");
    expect(page).toContain('type="submit"');
    expect(await listSubscriptions(db, follower)).toHaveLength(1);

    // RFC 8058: the mail provider posts, without an Origin or cookies.
    const oneClick = await fetch(url!, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    expect(oneClick.status).toBe(200);
    const done = await oneClick.text();
    expect(done).toContain("Du er afmeldt");
    expect(done).toContain("You are unsubscribed");
    expect(await listSubscriptions(db, follower)).toEqual([]);

    const used = await fetch(url!, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(used.status).toBe(404);
    expect(await used.text()).toContain("Linket virker ikke");
  });

  it("a bad or unknown unsubscribe token gives a 4xx page in Danish and English, never a 500", async () => {
    for (const [pathname, status] of [
      ["/unsubscribe", 400],
      ["/unsubscribe?token=forkert", 400],
      [`/unsubscribe?token=${"x".repeat(43)}`, 404],
      [`/unsubscribe?token=${"%00".repeat(30)}`, 400],
    ] as const) {
      const res = await portal.get(pathname);
      expect(res.status, pathname).toBe(status);
      const html = await res.text();
      expect(html).toContain("Linket virker ikke");
      expect(html).toContain("The link does not work");
    }
    const posted = await portal.post(`/unsubscribe?token=${"x".repeat(43)}`, { "List-Unsubscribe": "One-Click" });
    expect(posted.status).toBe(404);
  });

  it("/me offers each person the subscriptions that fit them, saves a choice without JavaScript, and answers bad input with 400", async () => {
    const db = portal.database.db;
    const entrepreneur = await signedIn(portal, "entrepreneur@samskab.example");
    const page = await entrepreneur.html("/me");
    expect(page).toContain('id="notifications"');
    expect(page).toContain("Nye udfordringer, der passer til vores løsninger");
    expect(page).not.toContain("Nye løsninger, der passer til vores udfordringer");

    const saved = await entrepreneur.post("/me", { intent: "notifications", matching_challenges: "weekly" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/me?notice=saved#notifications");
    const userId = (await db.selectFrom("users").select("id").where("email", "=", "entrepreneur@samskab.example").executeTakeFirstOrThrow()).id;
    expect((await listSubscriptions(db, userId)).map((s) => [s.topic, s.delivery])).toEqual([["matching_challenges", "weekly"]]);
    expect(await entrepreneur.html("/me")).toMatch(/<input type="radio" id="notify-matching_challenges-weekly" name="matching_challenges" checked=""/);

    const bad: Array<Record<string, string>> = [
      { intent: "notifications", matching_challenges: "daily" },
      { intent: "notifications", matching_solutions: "immediate" },
      { intent: "notifications" },
    ];
    for (const form of bad) {
      const res = await entrepreneur.post("/me", form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text()).toContain("Vi forstod ikke dine valg");
    }
    expect((await listSubscriptions(db, userId)).map((s) => s.delivery)).toEqual(["weekly"]);

    expect((await entrepreneur.post("/me", { intent: "notifications", matching_challenges: "off" })).status).toBe(302);
    expect(await listSubscriptions(db, userId)).toEqual([]);

    const staff = await signedIn(portal, "suf@kk.example");
    const staffPage = await staff.html("/me");
    expect(staffPage).toContain("Nye løsninger, der passer til vores udfordringer");
    expect(staffPage).not.toContain("Nye udfordringer, der passer til vores løsninger");
  });
});
