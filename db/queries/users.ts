// People: accounts, what they belong to, and what they may do.
import { nowIso, type DB } from "../client";
import type { Executor } from "../outbox";
import type { GlobalRole, Language, MembershipRole, OrganisationKind } from "../schema";

export interface Membership {
  organisationId: number;
  role: MembershipRole;
  kind: OrganisationKind;
  name: string;
  /** The administration's code, for municipal administrations. */
  code: string | null;
}

export interface Account {
  id: number;
  email: string;
  name: string;
  locale: Language;
  emailVerified: boolean;
  roles: GlobalRole[];
  memberships: Membership[];
  /** What a community manager covers. */
  curatorDistricts: string[];
  curatorAdministrations: number[];
  /** Whether the account has a TOTP second factor turned on. */
  secondFactor: boolean;
}

export async function findUserByEmail(db: DB, email: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash", "email_verified_at", "locale", "erased_at", "deactivated_at"])
    .where("email", "=", email.trim())
    .where("erased_at", "is", null)
    .executeTakeFirst();
}

export async function createUser(
  db: DB,
  input: { email: string; name: string; passwordHash: string | null; locale: Language; verified?: boolean },
): Promise<number> {
  const now = nowIso();
  const { id } = await db
    .insertInto("users")
    .values({
      email: input.email.trim(),
      name: input.name.trim(),
      password_hash: input.passwordHash,
      locale: input.locale,
      email_verified_at: input.verified ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A signed-in person's account; undefined when it was erased or deactivated. */
export async function loadAccount(db: DB, userId: number): Promise<Account | undefined> {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "locale", "email_verified_at"])
    .where("id", "=", userId)
    .where("erased_at", "is", null)
    .where("deactivated_at", "is", null)
    .executeTakeFirst();
  if (!user) return undefined;
  const [roles, memberships, districts, administrations, secondFactor] = await Promise.all([
    db.selectFrom("user_roles").select("role").where("user_id", "=", userId).execute(),
    db
      .selectFrom("memberships")
      .innerJoin("organisations", "organisations.id", "memberships.organisation_id")
      .select(["memberships.organisation_id", "memberships.role", "organisations.kind", "organisations.name", "organisations.code"])
      .where("memberships.user_id", "=", userId)
      .orderBy("organisations.name")
      .execute(),
    db.selectFrom("curator_districts").select("district_code").where("user_id", "=", userId).execute(),
    db.selectFrom("curator_administrations").select("organisation_id").where("user_id", "=", userId).execute(),
    db.selectFrom("second_factors").select("enabled_at").where("user_id", "=", userId).where("enabled_at", "is not", null).executeTakeFirst(),
  ]);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    emailVerified: user.email_verified_at !== null,
    roles: roles.map((r) => r.role),
    memberships: memberships.map((m) => ({
      organisationId: m.organisation_id,
      role: m.role,
      kind: m.kind,
      name: m.name,
      code: m.code,
    })),
    curatorDistricts: districts.map((d) => d.district_code),
    curatorAdministrations: administrations.map((a) => a.organisation_id),
    secondFactor: secondFactor !== undefined,
  };
}

export async function setPasswordHash(db: Executor, userId: number, hash: string): Promise<void> {
  await db.updateTable("users").set({ password_hash: hash, updated_at: nowIso() }).where("id", "=", userId).execute();
}

export async function markEmailVerified(db: Executor, userId: number): Promise<void> {
  const now = nowIso();
  await db
    .updateTable("users")
    .set({ email_verified_at: now, updated_at: now })
    .where("id", "=", userId)
    .where("email_verified_at", "is", null)
    .execute();
}

export async function grantRole(db: Executor, userId: number, role: GlobalRole, grantedBy: number | null): Promise<void> {
  await db
    .insertInto("user_roles")
    .values({ user_id: userId, role, granted_at: nowIso(), granted_by: grantedBy })
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .execute();
}

export async function holdsRole(db: Executor, userId: number, role: GlobalRole): Promise<boolean> {
  return Boolean(await db.selectFrom("user_roles").select("user_id").where("user_id", "=", userId).where("role", "=", role).executeTakeFirst());
}

/** How many active accounts hold a role, leaving one out (is anyone else an administrator?). */
export async function countActiveRoleHolders(db: Executor, role: GlobalRole, exceptUserId: number): Promise<number> {
  const row = await db
    .selectFrom("user_roles")
    .innerJoin("users", "users.id", "user_roles.user_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_roles.role", "=", role)
    .where("users.id", "<>", exceptUserId)
    .where("users.erased_at", "is", null)
    .where("users.deactivated_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Takes a role away; false when the person did not hold it. */
export async function revokeRole(db: Executor, userId: number, role: GlobalRole): Promise<boolean> {
  const result = await db.deleteFrom("user_roles").where("user_id", "=", userId).where("role", "=", role).executeTakeFirst();
  if (role === "community_manager") {
    await db.deleteFrom("curator_districts").where("user_id", "=", userId).execute();
    await db.deleteFrom("curator_administrations").where("user_id", "=", userId).execute();
  }
  return Number(result.numDeletedRows) > 0;
}

/** Deactivates or reactivates an account; false when nothing changed. */
export async function setDeactivated(db: Executor, userId: number, deactivated: boolean): Promise<boolean> {
  const now = nowIso();
  const result = await db
    .updateTable("users")
    .set({ deactivated_at: deactivated ? now : null, updated_at: now })
    .where("id", "=", userId)
    .where("erased_at", "is", null)
    .where("deactivated_at", deactivated ? "is" : "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The accounts an administrator manages, with their roles; a search matches name or address. */
export async function listUsers(db: DB, options: { query?: string; limit: number }) {
  let q = db
    .selectFrom("users")
    .select(["id", "name", "email", "email_verified_at", "deactivated_at", "last_login_at", "created_at"])
    .where("erased_at", "is", null)
    .orderBy("name")
    .limit(options.limit);
  const term = options.query?.trim().toLowerCase();
  if (term) {
    q = q.where((eb) => eb.or([eb(eb.fn("instr", [eb.fn("lower", ["name"]), eb.val(term)]), ">", 0), eb(eb.fn("instr", [eb.fn("lower", ["email"]), eb.val(term)]), ">", 0)]));
  }
  const users = await q.execute();
  const ids = users.map((u) => u.id);
  const [roles, factors] = ids.length
    ? await Promise.all([
        db.selectFrom("user_roles").select(["user_id", "role", "granted_at", "granted_by"]).where("user_id", "in", ids).execute(),
        db.selectFrom("second_factors").select("user_id").where("user_id", "in", ids).where("enabled_at", "is not", null).execute(),
      ])
    : [[], []];
  const withFactor = new Set(factors.map((f) => f.user_id));
  return users.map((u) => ({
    ...u,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role),
    secondFactor: withFactor.has(u.id),
  }));
}

export async function findUserName(db: Executor, userId: number): Promise<{ id: number; name: string; email: string } | undefined> {
  return db.selectFrom("users").select(["id", "name", "email"]).where("id", "=", userId).where("erased_at", "is", null).executeTakeFirst();
}

export async function addMembership(db: Executor, organisationId: number, userId: number, role: MembershipRole): Promise<void> {
  await db
    .insertInto("memberships")
    .values({ organisation_id: organisationId, user_id: userId, role, created_at: nowIso() })
    .onConflict((oc) => oc.columns(["organisation_id", "user_id"]).doUpdateSet({ role }))
    .execute();
}
