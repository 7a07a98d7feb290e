// Organisations (social enterprises, associations, companies, foundations and the municipal
// administrations), their members, and invitations to join them or to take a role.
import { nowIso, type DB } from "../client";
import { queueMail } from "../mail";
import type { GlobalRole, Language, MembershipRole, OrganisationKind } from "../schema";
import type { Executor, MailMessage } from "../outbox";
import { consumeToken, issueToken, subjectOf } from "../tokens";
import { recordAuditEvent, type AuditActorRef } from "./audit-events";
import { addMembership, createUser, grantRole } from "./users";

export interface OrganisationInput {
  name: string;
  kind: Exclude<OrganisationKind, "municipal_administration">;
  cvr: string | null;
  cvrStatus: "none" | "pending" | "verified" | "not_found";
  rsvClaimed: boolean;
  website: string | null;
  description: string | null;
  districtCode: string | null;
  contactEmail: string | null;
}

/** Whether a CVR number is already taken by another non-municipal organisation. */
export async function cvrTaken(db: DB, cvr: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom("organisations").select("id").where("cvr", "=", cvr).where("kind", "<>", "municipal_administration");
  if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
  return Boolean(await q.executeTakeFirst());
}

/** Registers an organisation with its first member as owner. */
export async function registerOrganisation(db: DB, input: OrganisationInput, ownerId: number): Promise<number> {
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("organisations")
      .values({
        kind: input.kind,
        name: input.name,
        cvr: input.cvr,
        cvr_status: input.cvr ? input.cvrStatus : "none",
        rsv_registered: input.rsvClaimed ? 1 : 0,
        website: input.website,
        description: input.description,
        district_code: input.districtCode,
        contact_email: input.contactEmail,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await addMembership(trx, id, ownerId, "owner");
    return id;
  });
}

export async function findOrganisation(db: DB, id: number) {
  return db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listMembers(db: DB, organisationId: number) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.name", "users.email", "memberships.role", "memberships.created_at"])
    .where("memberships.organisation_id", "=", organisationId)
    .where("users.erased_at", "is", null)
    .orderBy("users.name")
    .execute();
}

/**
 * Removes someone from an organisation, unless they are its last owner: an organisation always
 * has someone who can run it.
 */
export async function removeMember(db: DB, organisationId: number, userId: number): Promise<"removed" | "last_owner" | "not_member"> {
  return db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom("memberships")
      .select("role")
      .where("organisation_id", "=", organisationId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!member) return "not_member";
    if (member.role === "owner") {
      const owners = await trx
        .selectFrom("memberships")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("organisation_id", "=", organisationId)
        .where("role", "=", "owner")
        .executeTakeFirstOrThrow();
      if (Number(owners.n) <= 1) return "last_owner";
    }
    await trx.deleteFrom("memberships").where("organisation_id", "=", organisationId).where("user_id", "=", userId).execute();
    return "removed";
  });
}

export interface InvitationGrant {
  organisationId: number | null;
  membershipRole: MembershipRole | null;
  globalRole: GlobalRole | null;
  scope: { districts: string[]; administrations: number[] };
}

export async function createInvitation(
  db: Executor,
  input: InvitationGrant & { email: string; invitedBy: number; expiresAt: string },
): Promise<number> {
  const { id } = await db
    .insertInto("invitations")
    .values({
      email: input.email.trim(),
      organisation_id: input.organisationId,
      membership_role: input.membershipRole,
      global_role: input.globalRole,
      scope: JSON.stringify(input.scope),
      invited_by: input.invitedBy,
      expires_at: input.expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** An invitation that can still be accepted, with what it grants and who sent it. */
export async function findOpenInvitation(db: Executor, id: number) {
  const row = await db
    .selectFrom("invitations")
    .leftJoin("organisations", "organisations.id", "invitations.organisation_id")
    .leftJoin("users as inviter", "inviter.id", "invitations.invited_by")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.organisation_id",
      "invitations.membership_role",
      "invitations.global_role",
      "invitations.scope",
      "invitations.invited_by",
      "inviter.name as inviter_name",
      "organisations.name as organisation_name",
    ])
    .where("invitations.id", "=", id)
    .where("invitations.accepted_at", "is", null)
    .where("invitations.expires_at", ">", nowIso())
    .executeTakeFirst();
  return row ? { ...row, scope: JSON.parse(row.scope) as InvitationGrant["scope"] } : undefined;
}

export type OpenInvitation = NonNullable<Awaited<ReturnType<typeof findOpenInvitation>>>;

/**
 * Grants what an invitation grants (the membership, role and community manager's areas) to a
 * user, with the inviter recorded as granter and in the audit trail, and marks it accepted. Run
 * it in the transaction that used the invitation's token.
 */
export async function acceptInvitation(trx: Executor, invitation: OpenInvitation, userId: number): Promise<void> {
  const granter = invitation.invited_by !== null ? { id: invitation.invited_by, name: invitation.inviter_name ?? "" } : null;
  if (invitation.organisation_id !== null) {
    const role = invitation.membership_role ?? "member";
    await addMembership(trx, invitation.organisation_id, userId, role);
    await recordAuditEvent(trx, {
      actor: granter,
      action: "membership.granted",
      subject: `user:${userId}`,
      detail: { organisation: invitation.organisation_id, role, invitation: invitation.id },
    });
  }
  if (invitation.global_role) {
    await grantRole(trx, userId, invitation.global_role, invitation.invited_by);
    if (invitation.global_role === "community_manager") {
      for (const code of invitation.scope.districts ?? []) {
        await trx.insertInto("curator_districts").values({ user_id: userId, district_code: code }).onConflict((oc) => oc.doNothing()).execute();
      }
      for (const id of invitation.scope.administrations ?? []) {
        await trx.insertInto("curator_administrations").values({ user_id: userId, organisation_id: id }).onConflict((oc) => oc.doNothing()).execute();
      }
    }
    await recordAuditEvent(trx, {
      actor: granter,
      action: "role.granted",
      subject: `user:${userId}`,
      detail: { role: invitation.global_role, scope: invitation.scope, invitation: invitation.id },
    });
  }
  await trx.updateTable("invitations").set({ accepted_at: nowIso(), accepted_by: userId }).where("id", "=", invitation.id).execute();
}

export async function listPendingInvitations(db: DB, organisationId?: number) {
  let q = db
    .selectFrom("invitations")
    .select(["id", "email", "organisation_id", "membership_role", "global_role", "created_at", "expires_at"])
    .where("accepted_at", "is", null)
    .where("expires_at", ">", nowIso())
    .orderBy("created_at", "desc");
  if (organisationId !== undefined) q = q.where("organisation_id", "=", organisationId);
  return q.execute();
}

export async function listOrganisationsAwaitingConfirmation(db: DB) {
  return db
    .selectFrom("organisations")
    .select(["id", "name", "kind", "cvr", "cvr_status", "rsv_registered", "rsv_confirmed_at", "created_at"])
    .where("kind", "<>", "municipal_administration")
    .where((eb) =>
      eb.or([eb("cvr_status", "in", ["pending", "not_found"]), eb.and([eb("rsv_registered", "=", 1), eb("rsv_confirmed_at", "is", null)])]),
    )
    .orderBy("created_at")
    .execute();
}

export async function confirmOrganisation(db: DB, id: number, by: { id: number; name: string }, what: { cvr?: boolean; rsv?: boolean }): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("organisations")
      .set((eb) => ({
        ...(what.cvr ? { cvr_status: "verified" } : {}),
        ...(what.rsv ? { rsv_confirmed_at: now, rsv_confirmed_by: by.id } : {}),
        version: eb("version", "+", 1),
        updated_at: now,
      }))
      .where("id", "=", id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      await recordAuditEvent(trx, { actor: by, action: "organisation.confirmed", subject: `organisation:${id}`, detail: { cvr: Boolean(what.cvr), rsv: Boolean(what.rsv) } });
    }
  });
}

/**
 * Where to mail the members of these organisations (the people of a challenge's or a solution's
 * side): not erased, and with `verifiedOnly` only those who confirmed their address.
 */
export async function listMemberAddresses(db: Executor, organisationIds: number[], options: { verifiedOnly?: boolean } = {}) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.email", "users.name", "users.locale"])
    .where("memberships.organisation_id", "in", organisationIds)
    .where("users.erased_at", "is", null)
    .$if(options.verifiedOnly === true, (q) => q.where("users.email_verified_at", "is not", null))
    .execute();
}


/** What a solution's page shows of its organisation; throws when there is none. */
export async function requireOrganisationProfile(db: DB, id: number) {
  return db
    .selectFrom("organisations")
    .select(["id", "name", "kind", "rsv_registered", "rsv_confirmed_at", "website", "description", "district_code", "contact_email"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

/** Organisations that are not municipal administrations, by name (the administrators' list). */
export async function listNonMunicipalOrganisations(db: DB) {
  return db.selectFrom("organisations").select(["id", "name", "kind"]).where("kind", "<>", "municipal_administration").orderBy("name").execute();
}

/** Organisations that are not municipal administrations. */
export async function countNonMunicipalOrganisations(db: DB): Promise<number> {
  const row = await db.selectFrom("organisations").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "<>", "municipal_administration").executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Those of `ids` that are municipal administrations. */
export async function listAdministrationIdsAmong(db: DB, ids: number[]): Promise<number[]> {
  const rows = await db.selectFrom("organisations").select("id").where("id", "in", ids).where("kind", "=", "municipal_administration").execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Invitations by mail (app/organisations/organisations.server.ts): each step one transaction.

/**
 * An invitation, its token, its audit row and the mail carrying the link (`mail` builds it
 * from the token), in one transaction.
 */
export async function sendInvitation(
  db: DB,
  input: InvitationGrant & { email: string; invitedBy: AuditActorRef; expiresAt: string },
  mail: (token: string) => MailMessage,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await createInvitation(trx, { ...input, invitedBy: input.invitedBy.id });
    const token = await issueToken(trx, "invitation", { userId: null, email: input.email, subject: subjectOf.invitation(id) });
    await recordAuditEvent(trx, {
      actor: input.invitedBy,
      action: "invitation.sent",
      subject: subjectOf.invitation(id),
      detail: { organisation: input.organisationId, role: input.globalRole ?? input.membershipRole, scope: input.scope },
    });
    await queueMail(trx, mail(token));
    return id;
  });
}

/** Uses the invitation's token for this account and grants what it grants; false when the link no longer works for it. */
export async function acceptInvitationWithToken(db: DB, token: string, invitation: OpenInvitation, account: { id: number; email: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await consumeToken(trx, "invitation", token, { forEmail: account.email }))) return false;
    await acceptInvitation(trx, invitation, account.id);
    return true;
  });
}

/**
 * A new account from an invitation link, verified (the mail proved the address), with the
 * invitation accepted, in one transaction. Undefined when the link no longer works.
 */
export async function registerFromInvitation(
  db: DB,
  token: string,
  invitation: OpenInvitation,
  input: { name: string; passwordHash: string; locale: Language },
): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    if (!(await consumeToken(trx, "invitation", token, { forEmail: invitation.email }))) return undefined;
    const id = await createUser(trx, { email: invitation.email, name: input.name, passwordHash: input.passwordHash, locale: input.locale, verified: true });
    await acceptInvitation(trx, invitation, id);
    return id;
  });
}

/** These organisations' names in both languages, and their codes (administrations have one); missing ids are absent. */
export async function listOrganisationNames(db: DB, ids: number[]): Promise<Array<{ id: number; name: string; name_en: string | null; code: string | null }>> {
  const out: Array<{ id: number; name: string; name_en: string | null; code: string | null }> = [];
  // SQLite allows a limited number of bound values per statement; the search index asks for thousands.
  for (let i = 0; i < ids.length; i += 5000) {
    out.push(...(await db.selectFrom("organisations").select(["id", "name", "name_en", "code"]).where("id", "in", ids.slice(i, i + 5000)).execute()));
  }
  return out;
}

/** Municipal administrations (the owners of challenges), by name. */
export function listAdministrations(db: DB) {
  return db
    .selectFrom("organisations")
    .select(["id", "code", "name", "name_en"])
    .where("kind", "=", "municipal_administration")
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/** An organisation known only by its kind and name (imported or generated records); returns its id. */
export async function createNamedOrganisation(db: DB, kind: OrganisationKind, name: string, now: string = nowIso()): Promise<number> {
  const { id } = await db.insertInto("organisations").values({ kind, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  return id;
}
