// Who a challenge belongs to, written once: its owning administration and the administrations
// that co-own it. Pure; the same rule in SQL is db/queries/ownership.ts.

export interface Owned {
  owner_organisation_id: number;
  coOwnerIds: readonly number[];
}

/** The owning administration first, then the co-owners. */
export function owningAdministrations(c: Owned): number[] {
  return [c.owner_organisation_id, ...c.coOwnerIds];
}

/** Whether one of these organisations owns or co-owns the challenge. */
export function isOwnedOrCoOwnedBy(c: Owned, organisationIds: readonly number[]): boolean {
  return owningAdministrations(c).some((id) => organisationIds.includes(id));
}
