// Loads the demo content in db/demo/ (fictional organisations, challenges and solutions written
// for Samskab) through the same write functions the portal uses, so the outbox indexes it.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { nowIso, type DB } from "./client";
import { createChallenge } from "./queries/challenges";
import { createSolution } from "./queries/solutions";
import { addMembership, createUser, grantRole } from "./queries/users";
import { hashPassword } from "./passwords";
import { CHALLENGE_STATUSES, SOLUTION_STAGES, SOLUTION_STATUSES } from "./schema";

const DEMO_DIR = new URL("./demo/", import.meta.url);

const tags = {
  wholeCity: z.boolean().default(false),
  districts: z.array(z.string()).default([]),
  sdgGoals: z.array(z.number().int().min(1).max(17)).default([]),
  sdgTargets: z.array(z.string()).default([]),
  targetGroups: z.array(z.string()).default([]),
};

export const demoOrganisationSchema = z.object({
  key: z.string(),
  name: z.string().min(1),
  kind: z.enum(["social_enterprise", "association", "company", "foundation"]),
  cvr: z.string().regex(/^\d{8}$/).nullable().default(null),
  rsv: z.boolean().default(false),
  website: z.string().nullable().default(null),
  district: z.string().nullable().default(null),
  description: z.string().default(""),
  contactEmail: z.string().nullable().default(null),
});

export const demoChallengeSchema = z.object({
  key: z.string(),
  theme: z.number().int().nullable().default(null),
  language: z.enum(["da", "en"]),
  status: z.enum(CHALLENGE_STATUSES),
  title: z.string().min(1),
  summary: z.string().min(1),
  description: z.string().min(1),
  administration: z.string(),
  coOwners: z.array(z.string()).default([]),
  ...tags,
  outcomeHoped: z.string().nullable().default(null),
  outcomeMeasure: z.string().nullable().default(null),
  budgetMinDkk: z.number().int().nullable().default(null),
  budgetMaxDkk: z.number().int().nullable().default(null),
  procurementRoute: z.string().nullable().default(null),
  deadline: z.iso.date().nullable().default(null),
  contactTeam: z.string().nullable().default(null),
  contactEmail: z.string().nullable().default(null),
  publishedDaysAgo: z.number().int().min(0).default(0),
});

export const demoSolutionSchema = z.object({
  key: z.string(),
  theme: z.number().int().nullable().default(null),
  organisation: z.string(),
  language: z.enum(["da", "en"]),
  status: z.enum(SOLUTION_STATUSES),
  title: z.string().min(1),
  summary: z.string().min(1),
  description: z.string().min(1),
  ...tags,
  stage: z.enum(SOLUTION_STAGES),
  evidence: z.string().default(""),
  priceModel: z.string().default(""),
  publishedDaysAgo: z.number().int().min(0).default(0),
});

export type DemoOrganisation = z.infer<typeof demoOrganisationSchema>;
export type DemoChallenge = z.infer<typeof demoChallengeSchema>;
export type DemoSolution = z.infer<typeof demoSolutionSchema>;

function readDemo<T>(file: string, schema: z.ZodType<T>): T[] {
  const raw = JSON.parse(fs.readFileSync(fileURLToPath(new URL(file, DEMO_DIR)), "utf8"));
  const parsed = z.array(schema).safeParse(raw);
  if (!parsed.success) throw new Error(`db/demo/${file} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function readDemoData() {
  return {
    organisations: readDemo("organisations.json", demoOrganisationSchema),
    challenges: readDemo("challenges.json", demoChallengeSchema),
    solutions: readDemo("solutions.json", demoSolutionSchema),
  };
}

/** True when the database holds no challenges, solutions or non-municipal organisations yet. */
export async function isEmpty(db: DB): Promise<boolean> {
  const [c, s, o] = await Promise.all([
    db.selectFrom("challenges").select("id").limit(1).executeTakeFirst(),
    db.selectFrom("solutions").select("id").limit(1).executeTakeFirst(),
    db.selectFrom("organisations").select("id").where("kind", "<>", "municipal_administration").limit(1).executeTakeFirst(),
  ]);
  return !c && !s && !o;
}

function emptyToNull(s: string): string | null {
  return s.trim() === "" ? null : s;
}

export interface SeedResult {
  organisations: number;
  challenges: number;
  solutions: number;
  accounts: number;
}

/** Loads the demo content. Reference data must be loaded first. */
export async function seedDemoData(db: DB, clock: () => Date = () => new Date()): Promise<SeedResult> {
  const demo = readDemoData();
  const now = clock();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

  const administrations = new Map(
    (await db.selectFrom("organisations").select(["id", "code"]).where("kind", "=", "municipal_administration").execute()).map(
      (a) => [a.code!, a.id],
    ),
  );
  const administrationId = (code: string, where: string) => {
    const id = administrations.get(code);
    if (id === undefined) throw new Error(`${where}: unknown administration ${code}`);
    return id;
  };

  const organisationIds = new Map<string, number>();
  await db.transaction().execute(async (trx) => {
    for (const o of demo.organisations) {
      const { id } = await trx
        .insertInto("organisations")
        .values({
          kind: o.kind,
          name: o.name,
          cvr: o.cvr,
          cvr_status: o.cvr ? "verified" : "none",
          rsv_registered: o.rsv ? 1 : 0,
          rsv_confirmed_at: o.rsv ? nowIso() : null,
          website: o.website,
          description: o.description,
          district_code: o.district,
          contact_email: o.contactEmail,
          created_at: nowIso(),
          updated_at: nowIso(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      organisationIds.set(o.key, id);
    }
  });

  for (const c of demo.challenges) {
    const publishedAt = daysAgo(c.publishedDaysAgo);
    await createChallenge(
      db,
      {
        title: c.title,
        summary: c.summary,
        description: c.description,
        language: c.language,
        ownerOrganisationId: administrationId(c.administration, c.key),
        coOwnerIds: c.coOwners.map((code) => administrationId(code, c.key)),
        wholeCity: c.wholeCity,
        districts: c.districts,
        sdgGoals: c.sdgGoals,
        sdgTargets: c.sdgTargets,
        targetGroups: c.targetGroups,
        outcomeHoped: c.outcomeHoped,
        outcomeMeasure: c.outcomeMeasure,
        budgetMinDkk: c.budgetMinDkk,
        budgetMaxDkk: c.budgetMaxDkk,
        procurementRoute: c.procurementRoute,
        deadline: c.deadline,
        contactTeam: c.contactTeam,
        contactEmail: c.contactEmail,
        status: c.status,
        createdBy: null,
      },
      { now: publishedAt, publishedAt },
    );
  }

  for (const s of demo.solutions) {
    const organisationId = organisationIds.get(s.organisation);
    if (organisationId === undefined) throw new Error(`${s.key}: unknown organisation ${s.organisation}`);
    const publishedAt = daysAgo(s.publishedDaysAgo);
    await createSolution(
      db,
      {
        title: s.title,
        summary: s.summary,
        description: s.description,
        language: s.language,
        organisationId,
        wholeCity: s.wholeCity,
        districts: s.districts,
        sdgGoals: s.sdgGoals,
        sdgTargets: s.sdgTargets,
        targetGroups: s.targetGroups,
        stage: s.stage,
        evidence: emptyToNull(s.evidence),
        priceModel: emptyToNull(s.priceModel),
        status: s.status,
        createdBy: null,
      },
      { now: publishedAt, publishedAt },
    );
  }

  const accounts = await seedDemoAccounts(db, organisationIds);
  return { organisations: demo.organisations.length, challenges: demo.challenges.length, solutions: demo.solutions.length, accounts: accounts.length };
}

/** The password of every demo account: the demo is for trying the portal, never for real use. */
export const DEMO_PASSWORD = "demo-adgangskode";

/**
 * The demo administrator's second factor (an administrator's role acts only with one). Printed
 * by `npm start` so it can be typed into an authenticator app; demo only, like the password.
 */
export const DEMO_TOTP_SECRET = "KRUGKIDROVUWG2ZAMJSSAY3POJZGKY3U";

export interface DemoAccount {
  email: string;
  name: string;
  what: string;
  roles?: Array<"administrator" | "community_manager">;
  /** The account has DEMO_TOTP_SECRET as its second factor. */
  secondFactor?: boolean;
  administration?: string;
  organisation?: string;
  curates?: { districts: string[]; administrations: string[] };
}

/** One account for each kind of user, so every journey can be tried at once. */
export function demoAccounts(organisations: DemoOrganisation[]): DemoAccount[] {
  const [first, second] = organisations;
  return [
    { email: "admin@samskab.example", name: "Ada Andersen", what: "administrator", roles: ["administrator"], secondFactor: true },
    {
      email: "community@samskab.example",
      name: "Carl Christensen",
      what: "community manager (Nørrebro, Bispebjerg; SOF, SUF)",
      roles: ["community_manager"],
      curates: { districts: ["noerrebro", "bispebjerg"], administrations: ["SOF", "SUF"] },
    },
    { email: "suf@kk.example", name: "Sara Sørensen", what: "staff, Sundheds- og Omsorgsforvaltningen", administration: "SUF" },
    { email: "sof@kk.example", name: "Samir Said", what: "staff, Socialforvaltningen", administration: "SOF" },
    { email: "buf@kk.example", name: "Birgitte Bach", what: "staff, Børne- og Ungdomsforvaltningen", administration: "BUF" },
    ...(first ? [{ email: "entrepreneur@samskab.example", name: "Emil Eriksen", what: `entrepreneur, ${first.name}`, organisation: first.key }] : []),
    ...(second ? [{ email: "entrepreneur2@samskab.example", name: "Nadia Nielsen", what: `entrepreneur, ${second.name}`, organisation: second.key }] : []),
  ];
}

/** Creates the demo accounts (verified, with DEMO_PASSWORD). */
export async function seedDemoAccounts(db: DB, organisationIds: Map<string, number>): Promise<DemoAccount[]> {
  const accounts = demoAccounts(readDemoData().organisations);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const administrations = new Map(
    (await db.selectFrom("organisations").select(["id", "code"]).where("kind", "=", "municipal_administration").execute()).map((a) => [a.code!, a.id]),
  );
  await db.transaction().execute(async (trx) => {
    for (const a of accounts) {
      const userId = await createUser(trx, { email: a.email, name: a.name, passwordHash, locale: "da", verified: true });
      for (const role of a.roles ?? []) await grantRole(trx, userId, role, null);
      if (a.secondFactor) await trx.insertInto("second_factors").values({ user_id: userId, secret: DEMO_TOTP_SECRET, enabled_at: nowIso(), last_step: 0, created_at: nowIso() }).execute();
      if (a.administration) await addMembership(trx, administrations.get(a.administration)!, userId, "member");
      if (a.organisation) await addMembership(trx, organisationIds.get(a.organisation)!, userId, "owner");
      for (const d of a.curates?.districts ?? []) await trx.insertInto("curator_districts").values({ user_id: userId, district_code: d }).execute();
      for (const code of a.curates?.administrations ?? []) {
        await trx.insertInto("curator_administrations").values({ user_id: userId, organisation_id: administrations.get(code)! }).execute();
      }
    }
  });
  return accounts;
}

/** The demo accounts that exist in this database (none when the demo data was never loaded). */
export async function existingDemoAccounts(db: DB): Promise<DemoAccount[]> {
  const accounts = demoAccounts(readDemoData().organisations);
  const rows = await db.selectFrom("users").select("email").where("email", "in", accounts.map((a) => a.email)).execute();
  const present = new Set(rows.map((r) => r.email.toLowerCase()));
  return accounts.filter((a) => present.has(a.email.toLowerCase()));
}
