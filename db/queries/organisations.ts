// Organisations (social enterprises, associations, companies, foundations and the municipal
// administrations), their members, and invitations to join them or to take a role.
import { nowIso, type DB } from "../client";
import type { GlobalRole, MembershipRole, OrganisationKind } from "../schema";
import type { Executor } from "../outbox";
import { recordAuditEvent } from "./audit-events";
import { addMembership, grantRole } from "./users";

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

/** Names and codes of organisations, by id (missing ids are absent). */
export async function listOrganisationNames(db: DB, ids: number[]): Promise<Map<number, { name: string; code: string | null }>> {
  const out = new Map<number, { name: string; code: string | null }>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom("organisations")
      .select(["id", "name", "code"])
      .where("id", "in", ids.slice(i, i + 5000))
      .execute();
    for (const row of rows) out.set(row.id, { name: row.name, code: row.code });
  }
  return out;
}

/** Every municipal administration, with or without a code. */
export async function listAdministrations(db: DB): Promise<Array<{ id: number; code: string | null; name: string; name_en: string | null }>> {
  return db.selectFrom("organisations").select(["id", "code", "name", "name_en"]).where("kind", "=", "municipal_administration").execute();
}

/** An organisation known only by its kind and name (imported or generated records); returns its id. */
export async function createNamedOrganisation(db: DB, kind: OrganisationKind, name: string, now: string = nowIso()): Promise<number> {
  const { id } = await db.insertInto("organisations").values({ kind, name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
  return id;
}
