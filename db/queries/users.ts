// People: accounts, what they belong to, and what they may do.
import { nowIso, type DB } from "../client";
import { queueMail } from "../mail";
import type { Executor, MailMessage } from "../outbox";
import { consumeToken, issueToken, revokeTokens, subjectOf, type IssuedToken } from "../tokens";
import { recordAuditEvent, type AuditActorRef } from "./audit-events";
import { deleteSessionsOfUser } from "./sessions";
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

/** A person's name and where to mail them; undefined once erased. */
export async function findUserContact(db: Executor, userId: number): Promise<{ name: string; email: string; locale: Language } | undefined> {
  return db.selectFrom("users").select(["name", "email", "locale"]).where("id", "=", userId).where("erased_at", "is", null).executeTakeFirst();
}

/** Administrators who can be mailed: not erased, not deactivated. */
export async function listAdministratorAddresses(db: Executor): Promise<Array<{ email: string; name: string; locale: Language }>> {
  return db
    .selectFrom("user_roles")
    .innerJoin("users", "users.id", "user_roles.user_id")
    .select(["users.email", "users.name", "users.locale"])
    .where("user_roles.role", "=", "administrator")
    .where("users.erased_at", "is", null)
    .where("users.deactivated_at", "is", null)
    .execute();
}

/** Accounts that are not erased. */
export async function countUsers(db: DB): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("erased_at", "is", null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A completed sign-in (not one still waiting for its second factor). */
export async function recordSignIn(db: Executor, userId: number): Promise<void> {
  await db.updateTable("users").set({ last_login_at: nowIso() }).where("id", "=", userId).execute();
}

// ---------------------------------------------------------------------------------------------
// The account journeys (app/accounts/account.server.ts): each write with its token and its mail in one
// transaction, so a mail goes out if and only if what it tells of was committed.

/** A new, unverified account and the mail with its verification link (built from the token). */
export async function registerAccount(
  db: DB,
  input: { email: string; name: string; passwordHash: string; locale: Language },
  verificationMail: (token: string) => MailMessage,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const userId = await createUser(trx, input);
    const token = await issueToken(trx, "verify_email", { userId, email: input.email, subject: subjectOf.user(userId) });
    await queueMail(trx, verificationMail(token));
    return userId;
  });
}

/** Uses a verification link's token and marks its account verified; the account's id, or undefined when the link does not work. */
export async function verifyEmailWithToken(db: DB, token: string): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const used = await consumeToken(trx, "verify_email", token);
    if (!used?.userId) return undefined;
    await markEmailVerified(trx, used.userId);
    return used.userId;
  });
}

/**
 * Uses a reset link's token: sets the new password, ends every session of that user and the
 * other reset links, and counts the address as verified (whoever could read the reset mail owns
 * it). The used token, or undefined when the link does not work.
 */
export async function resetPasswordWithToken(db: DB, token: string, passwordHash: string): Promise<IssuedToken | undefined> {
  return db.transaction().execute(async (trx) => {
    const used = await consumeToken(trx, "reset_password", token);
    if (!used?.userId) return undefined;
    await setPasswordHash(trx, used.userId, passwordHash);
    await deleteSessionsOfUser(trx, used.userId);
    await revokeTokens(trx, subjectOf.user(used.userId), ["reset_password"]);
    await trx.updateTable("users").set({ email_verified_at: nowIso() }).where("id", "=", used.userId).where("email_verified_at", "is", null).execute();
    return used;
  });
}

// ---------------------------------------------------------------------------------------------
// Administrators manage accounts (app/admin/admin-users.server.ts): every change with its audit row.

/** Takes a role from a person; false when they did not hold it. */
export async function revokeRoleAsAdministrator(
  db: DB,
  change: { admin: AuditActorRef; userId: number; role: GlobalRole; reason: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await revokeRole(trx, change.userId, change.role))) return false;
    await recordAuditEvent(trx, { actor: change.admin, action: "role.revoked", subject: subjectOf.user(change.userId), detail: { role: change.role }, reason: change.reason });
    return true;
  });
}

/**
 * Deactivates an account (ending its sessions and mailed links at once) or reactivates it; false
 * when it already was so.
 */
export async function setAccountActiveAsAdministrator(
  db: DB,
  change: { admin: AuditActorRef; userId: number; active: boolean; reason: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await setDeactivated(trx, change.userId, !change.active))) return false;
    if (!change.active) {
      await deleteSessionsOfUser(trx, change.userId);
      await revokeTokens(trx, subjectOf.user(change.userId));
    }
    await recordAuditEvent(trx, {
      actor: change.admin,
      action: change.active ? "account.reactivated" : "account.deactivated",
      subject: subjectOf.user(change.userId),
      reason: change.reason,
    });
    return true;
  });
}
