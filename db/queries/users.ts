// People: accounts, what they belong to, and what they may do.
import { nowIso, type DB } from "../client";
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
}

export async function findUserByEmail(db: DB, email: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash", "email_verified_at", "locale", "erased_at"])
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

export async function loadAccount(db: DB, userId: number): Promise<Account | undefined> {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "locale", "email_verified_at"])
    .where("id", "=", userId)
    .where("erased_at", "is", null)
    .executeTakeFirst();
  if (!user) return undefined;
  const [roles, memberships, districts, administrations] = await Promise.all([
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
  };
}

export async function setPasswordHash(db: DB, userId: number, hash: string): Promise<void> {
  await db.updateTable("users").set({ password_hash: hash, updated_at: nowIso() }).where("id", "=", userId).execute();
}

export async function markEmailVerified(db: DB, userId: number): Promise<void> {
  const now = nowIso();
  await db
    .updateTable("users")
    .set({ email_verified_at: now, updated_at: now })
    .where("id", "=", userId)
    .where("email_verified_at", "is", null)
    .execute();
}

export async function grantRole(db: DB, userId: number, role: GlobalRole, grantedBy: number | null): Promise<void> {
  await db
    .insertInto("user_roles")
    .values({ user_id: userId, role, granted_at: nowIso(), granted_by: grantedBy })
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .execute();
}

export async function addMembership(db: DB, organisationId: number, userId: number, role: MembershipRole): Promise<void> {
  await db
    .insertInto("memberships")
    .values({ organisation_id: organisationId, user_id: userId, role, created_at: nowIso() })
    .onConflict((oc) => oc.columns(["organisation_id", "user_id"]).doUpdateSet({ role }))
    .execute();
}
