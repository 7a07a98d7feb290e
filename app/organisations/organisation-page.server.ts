// An organisation's page: public facts and published solutions for everyone; members, pending
// invitations and the controls to invite, remove and leave for its members and administrators.
import { findOrganisation, listMembers, listPendingInvitations } from "../../db/queries/organisations";
import { listPublishedSolutionsOfOrganisation } from "../../db/queries/solutions";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "../accounts/auth.server";
import { canLeaveOrganisation, canManageOrganisation } from "../lib/permissions";

export async function loadOrganisationPage(context: PortalContext, id: number, user: CurrentUser | null) {
  const org = await findOrganisation(context.db, id);
  if (!org || org.active !== 1) throw new Response("Not found", { status: 404 });
  const isMember = Boolean(user?.memberships.some((m) => m.organisationId === id));
  const manage = canManageOrganisation(user, id);
  const solutions = await listPublishedSolutionsOfOrganisation(context.db, id);
  const members = isMember || manage ? await listMembers(context.db, id) : null;
  const invitations = manage ? await listPendingInvitations(context.db, id) : null;
  return {
    organisation: {
      id: org.id,
      name: org.name,
      kind: org.kind,
      cvr: org.cvr,
      cvrStatus: org.cvr_status,
      rsv: org.rsv_registered === 1 ? (org.rsv_confirmed_at ? "confirmed" : "declared") : "none",
      website: org.website && /^https?:\/\//.test(org.website) ? org.website : null,
      description: org.description,
      contactEmail: org.contact_email,
    },
    solutions,
    members: members?.map((m) => ({ id: m.id, name: m.name, email: m.email, role: m.role, isMe: m.id === user?.id })) ?? null,
    invitations: invitations?.map((i) => ({ id: i.id, email: i.email, role: i.membership_role, expiresAt: i.expires_at })) ?? null,
    can: { manage, leave: canLeaveOrganisation(user, id) },
  };
}
