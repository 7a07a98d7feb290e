// "This challenge is owned by, or co-owned by, one of these administrations", written once for
// SQL, and the co-owning administrations read for a list of challenges. The JavaScript form of
// the same rule is db/rules/ownership.ts; the two must say the same thing.
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type StringReference } from "kysely";
import type { DB as PortalDb } from "../client";

/** Every (challenge, code of an owning or co-owning administration) pair, as `id` and `value` (the administration facet). */
export const OWNING_ADMINISTRATION_CODES = sql`select c.id as id, o.code as value from challenges c join organisations o on o.id = c.owner_organisation_id
                 union select co.challenge_id, o.code from challenge_co_owners co join organisations o on o.id = co.organisation_id`;

/** The codes of these challenges' co-owning administrations. */
export async function listCoOwnerCodes(db: PortalDb, challengeIds: number[]): Promise<Array<{ challenge_id: number; code: string | null }>> {
  if (challengeIds.length === 0) return [];
  return db
    .selectFrom("challenge_co_owners")
    .innerJoin("organisations", "organisations.id", "challenge_co_owners.organisation_id")
    .select(["challenge_co_owners.challenge_id", "organisations.code"])
    .where("challenge_co_owners.challenge_id", "in", challengeIds)
    .execute();
}

/** A challenge's id or owning organisation: a column of the outer query, or a known value. */
export type ChallengeSide<DB, TB extends keyof DB> = StringReference<DB, TB> | number;

/**
 * The administrations to test against: a list of ids (empty matches nothing), a column of the
 * outer query (the correlated form, e.g. the administrations a curator covers), or a subquery
 * that selects organisation ids.
 */
export type OwningOrganisations<DB, TB extends keyof DB> = readonly number[] | StringReference<DB, TB> | Expression<unknown>;

/**
 * True when the challenge (`challenge.id`, owned by `challenge.owner`) is owned by one of
 * `organisations` or co-owned by one of them through challenge_co_owners.
 */
export function ownedOrCoOwnedBy<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  challenge: { id: ChallengeSide<DB, TB>; owner: ChallengeSide<DB, TB> },
  organisations: OwningOrganisations<DB, TB>,
): Expression<SqlBool> {
  // The builder's types cannot follow a subquery over a table the caller's query may not name;
  // the references themselves were checked against the caller's tables in the signature.
  const e = eb as unknown as ExpressionBuilder<any, any>;
  const side = (x: ChallengeSide<DB, TB>) => (typeof x === "number" ? e.val(x) : e.ref(x as string));
  const isOneOf = (column: Expression<unknown>): Expression<SqlBool> => {
    if (Array.isArray(organisations)) {
      // SQLite needs a non-empty list; no organisation has the id -1.
      return e(column, "in", organisations.length > 0 ? organisations : [-1]);
    }
    if (typeof organisations === "string") return e(column, "=", e.ref(organisations));
    return e(column, "in", organisations as Expression<unknown>);
  };
  return e.or([
    isOneOf(side(challenge.owner)),
    e.exists(
      e
        .selectFrom("challenge_co_owners as owned_by_co")
        .select("owned_by_co.challenge_id")
        .where("owned_by_co.challenge_id", "=", side(challenge.id))
        .where((w) => isOneOf(w.ref("owned_by_co.organisation_id"))),
    ),
  ]);
}
