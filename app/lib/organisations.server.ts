// Registering organisations and inviting people into them.
import { queueMail } from "../../db/mail";
import {
  acceptInvitation,
  cvrTaken,
  createInvitation,
  findOpenInvitation,
  removeMember,
  registerOrganisation as insertOrganisation,
  type InvitationGrant,
} from "../../db/queries/organisations";
import type { PortalContext } from "../context.server";
import type { OrganisationForm } from "../forms/organisation";
import { createI18n, type Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import { hashSecret, newSecret } from "./auth.server";

export type RegisterResult = { ok: true; id: number } | { ok: false; field: "cvr" | "district"; error: string };

/**
 * Registers an organisation. A CVR number is checked locally (modulus 11, by the form), for
 * uniqueness, and then in the company register when one is configured; when the register is
 * unreachable or does not know the number, registration goes on and waits for an administrator.
 */
export async function registerOrganisation(context: PortalContext, form: OrganisationForm, ownerId: number): Promise<RegisterResult> {
  if (form.district) {
    const district = await context.db.selectFrom("districts").select("code").where("code", "=", form.district).executeTakeFirst();
    if (!district) return { ok: false, field: "district", error: "form.choose" };
  }
  let cvrStatus: "none" | "pending" | "verified" | "not_found" = "none";
  if (form.cvr) {
    if (await cvrTaken(context.db, form.cvr)) return { ok: false, field: "cvr", error: "organisation.cvrTaken" };
    const lookup = context.cvrRegister ? await context.cvrRegister.lookup(form.cvr) : undefined;
    cvrStatus = lookup?.status === "found" && !lookup.ended ? "verified" : lookup?.status === "not_found" ? "not_found" : "pending";
  }
  const id = await insertOrganisation(
    context.db,
    {
      name: form.name,
      kind: form.kind,
      cvr: form.cvr,
      cvrStatus,
      rsvClaimed: form.rsv,
      website: form.website,
      description: form.description,
      districtCode: form.district,
      contactEmail: form.contactEmail,
    },
    ownerId,
  );
  return { ok: true, id };
}

const WEEK = 7 * 86_400_000;

/** Invites someone by e-mail: into an organisation, or (administrators) to a role. */
export async function invite(
  context: PortalContext,
  input: InvitationGrant & { email: string; invitedBy: { id: number; name: string }; organisationName: string | null; locale: Locale },
): Promise<void> {
  const token = newSecret();
  await context.db.transaction().execute(async (trx) => {
    await createInvitation(trx, {
      ...input,
      tokenHash: hashSecret(token),
      invitedBy: input.invitedBy.id,
      expiresAt: new Date(Date.now() + WEEK).toISOString(),
    });
    const { t } = createI18n(input.locale);
    const what = input.organisationName ?? t(`role.${input.globalRole ?? "community_manager"}`);
    await queueMail(
      trx,
      renderMail("invitation", input.locale, input.email, context.publicBaseUrl, {
        inviter: input.invitedBy.name,
        what,
        link: `/invitations/${token}`,
      }),
    );
  });
  context.afterWrite();
}

export function removeFromOrganisation(context: PortalContext, organisationId: number, userId: number) {
  return removeMember(context.db, organisationId, userId);
}

export function findInvitation(context: PortalContext, token: string) {
  if (!token || token.length > 200) return Promise.resolve(undefined);
  return findOpenInvitation(context.db, hashSecret(token));
}

export function acceptInvitationFor(context: PortalContext, token: string, userId: number) {
  return acceptInvitation(context.db, hashSecret(token), userId);
}
