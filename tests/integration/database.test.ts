import { sql, type Kysely, type SqlBool } from "kysely";
import { hashSecret, newSecret, peekToken } from "../../db/tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDown, migrateToLatest } from "../../db/migrate";
import { findChallengeRecord, updateChallenge } from "../../db/queries/challenges";
import { createSolution, findSolutionRecord, updateSolution } from "../../db/queries/solutions";
import { loadReferenceLabels } from "../../db/queries/reference";
import { loadReferenceData } from "../../db/reference";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { challengeInput, makeChallenge, solutionInput } from "../helpers/factories";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.destroy();
});

describe("migrations", () => {
  it("can be rolled back and applied again on a real SQLite file", async () => {
    const scratch = await createTestDatabase();
    const table = (name: string) => scratch.sqlite.prepare("select name from sqlite_master where type = 'table' and name = ?").all(name);
    const index = (name: string) => scratch.sqlite.prepare("select name from sqlite_master where type = 'index' and name = ?").all(name);
    try {
      expect(await migrateDown(scratch.db)).toBe("0006-counts");
      expect(index("solutions_public_by_organisation")).toHaveLength(0);
      expect(await migrateDown(scratch.db)).toBe("0005-trust");
      expect(table("tokens")).toHaveLength(0);
      expect(table("email_tokens")).toHaveLength(1);
      expect(await migrateDown(scratch.db)).toBe("0004-curation");
      expect(table("audit_log")).toHaveLength(0);
      expect(await migrateDown(scratch.db)).toBe("0003-matcher");
      expect(table("match_suggestions")).toHaveLength(0);
      expect(await migrateDown(scratch.db)).toBe("0002-accounts");
      expect(table("sessions")).toHaveLength(0);
      expect(await migrateDown(scratch.db)).toBe("0001-initial");
      expect(table("challenges")).toHaveLength(0);
      expect(await migrateToLatest(scratch.db)).toEqual(["0001-initial", "0002-accounts", "0003-matcher", "0004-curation", "0005-trust", "0006-counts"]);
      expect(await migrateToLatest(scratch.db)).toEqual([]);
    } finally {
      await scratch.destroy();
    }
  });

  it("moves every token stored before 0005 into the tokens table, so links already mailed keep working", async () => {
    const scratch = await createTestDatabase();
    try {
      expect(await migrateDown(scratch.db)).toBe("0006-counts");
      expect(await migrateDown(scratch.db)).toBe("0005-trust");
      const raw = scratch.db as unknown as Kysely<any>;
      const now = new Date().toISOString();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const { id: userId } = await raw.insertInto("users").values({ email: "gammel@samskab.test", name: "Gammel", password_hash: null, email_verified_at: now, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
      const [reset, invite, unsubscribe] = [newSecret(), newSecret(), newSecret()];
      await raw.insertInto("email_tokens").values({ user_id: userId, purpose: "reset_password", token_hash: hashSecret(reset), expires_at: later }).execute();
      const { id: invitationId } = await raw
        .insertInto("invitations")
        .values({ email: "ny@samskab.test", global_role: "community_manager", scope: "{}", token_hash: hashSecret(invite), expires_at: later })
        .returning("id")
        .executeTakeFirstOrThrow();
      const { id: subscriptionId } = await raw.insertInto("subscriptions").values({ user_id: userId, topic: "followed_challenges", delivery: "weekly", token_hash: hashSecret(unsubscribe) }).returning("id").executeTakeFirstOrThrow();

      expect(await migrateToLatest(scratch.db)).toEqual(["0005-trust", "0006-counts"]);
      expect(await peekToken(scratch.db, "reset_password", reset)).toMatchObject({ subject: `user:${userId}`, userId, email: "gammel@samskab.test" });
      expect(await peekToken(scratch.db, "invitation", invite)).toMatchObject({ subject: `invitation:${invitationId}`, email: "ny@samskab.test" });
      expect(await peekToken(scratch.db, "unsubscribe", unsubscribe)).toMatchObject({ subject: `subscription:${subscriptionId}` });
      // The rebuilt tables kept their rows and their references.
      expect(await scratch.db.selectFrom("subscriptions").select("id").execute()).toEqual([{ id: subscriptionId }]);
      expect(scratch.sqlite.pragma("foreign_key_check")).toEqual([]);
      expect(scratch.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      await scratch.destroy();
    }
  });

  it("turns foreign keys on, so a tag must exist", async () => {
    const input = await challengeInput(t.db, { districts: ["atlantis"] });
    await expect(makeChallenge(t.db, input)).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe("reference data", () => {
  it("loads Copenhagen's seven administrations, ten districts and the 17 SDGs with 169 targets", async () => {
    const labels = await loadReferenceLabels(t.db);
    expect(labels.administrations.map((a) => a.code).sort()).toEqual(["BIF", "BUF", "KFF", "SOF", "SUF", "TMF", "ØKF"]);
    expect(labels.districts.size).toBe(10);
    expect(labels.sdgGoals.size).toBe(17);
    const perGoal = await t.db
      .selectFrom("sdg_targets")
      .select(["goal", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("goal")
      .orderBy("goal")
      .execute();
    expect(perGoal.map((r) => Number(r.n))).toEqual([7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19]);
    const lettered = await t.db.selectFrom("sdg_targets").select("id").where(sql<SqlBool>`id glob '*.[a-z]'`).execute();
    expect(lettered).toHaveLength(43);
  });

  it("is an upsert: loading twice keeps ids, so stored records still point at the same rows", async () => {
    const before = await t.db.selectFrom("organisations").select(["id", "code"]).where("code", "=", "SOF").executeTakeFirstOrThrow();
    await loadReferenceData(t.db);
    const after = await t.db.selectFrom("organisations").select(["id", "code"]).where("code", "=", "SOF").executeTakeFirstOrThrow();
    expect(after.id).toBe(before.id);
  });

  it("keeps the CVR unique among non-municipal organisations, shared by the administrations", async () => {
    const administrations = await t.db
      .selectFrom("organisations")
      .select("cvr")
      .where("kind", "=", "municipal_administration")
      .execute();
    expect(new Set(administrations.map((a) => a.cvr)).size).toBe(1);
    const now = new Date().toISOString();
    const base = { kind: "social_enterprise" as const, cvr: "29403473", created_at: now, updated_at: now };
    await t.db.insertInto("organisations").values({ ...base, name: "Første" }).execute();
    await expect(t.db.insertInto("organisations").values({ ...base, name: "Anden" }).execute()).rejects.toThrow(/UNIQUE/);
  });
});

describe("challenge and solution queries", () => {
  it("stores a challenge with its tags, co-owners and an outbox row in one transaction", async () => {
    const sof = (await t.db.selectFrom("organisations").select("id").where("code", "=", "SOF").executeTakeFirstOrThrow()).id;
    const id = await makeChallenge(t.db, {
      title: "Tagget udfordring",
      districts: ["noerrebro", "valby"],
      sdgTargets: ["11.a", "3.4"],
      targetGroups: ["aeldre"],
      coOwnerIds: [sof],
    });
    const record = await findChallengeRecord(t.db, id);
    expect(record?.tags.districts).toEqual(["noerrebro", "valby"]);
    // A target implies its goal.
    expect(record?.tags.sdgGoals).toEqual([3, 11]);
    expect(record?.tags.sdgTargets).toEqual(["3.4", "11.a"]);
    expect(record?.coOwnerIds).toEqual([sof]);
    // One row for the search index and one for the matcher, in the same transaction.
    const outbox = await t.db.selectFrom("outbox").selectAll().where("record_key", "=", `challenge:${id}`).orderBy("topic").execute();
    expect(outbox.map((r) => r.topic)).toEqual(["match.refresh", "search.index"]);
    for (const row of outbox) expect(JSON.parse(row.payload)).toEqual({ kind: "challenge", id });
  });

  it("writes nothing, not even the outbox row, when part of a write fails", async () => {
    const count = async () => ({
      challenges: (await t.db.selectFrom("challenges").select("id").execute()).length,
      outbox: (await t.db.selectFrom("outbox").select("id").execute()).length,
    });
    const before = await count();
    await expect(makeChallenge(t.db, { targetGroups: ["findes-ikke"] })).rejects.toThrow();
    expect(await count()).toEqual(before);
  });

  it("refuses a stale version and returns the current record so both can be shown", async () => {
    const input = await challengeInput(t.db, { title: "Version 1" });
    const id = await makeChallenge(t.db, input);
    const first = await updateChallenge(t.db, id, 1, { ...input, title: "Version 2 (Anne)" });
    expect(first).toEqual({ ok: true, version: 2 });
    const second = await updateChallenge(t.db, id, 1, { ...input, title: "Version 2 (Bo)" });
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.reason).toBe("stale");
      expect(second.current?.title).toBe("Version 2 (Anne)");
    }
    expect((await findChallengeRecord(t.db, id))?.title).toBe("Version 2 (Anne)");
  });

  it("sets the publication date when a draft is published, and keeps it through later edits", async () => {
    const input = await solutionInput(t.db, { status: "draft" });
    const id = await createSolution(t.db, input);
    expect((await findSolutionRecord(t.db, id))?.published_at).toBeNull();
    await updateSolution(t.db, id, 1, { ...input, status: "published" }, "2026-03-01T10:00:00.000Z");
    await updateSolution(t.db, id, 2, { ...input, status: "published", title: "Ny titel" }, "2026-04-01T10:00:00.000Z");
    const record = await findSolutionRecord(t.db, id);
    expect(record?.published_at).toBe("2026-03-01T10:00:00.000Z");
    expect(record?.version).toBe(3);
  });
});
