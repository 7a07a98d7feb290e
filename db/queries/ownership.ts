// "This challenge is owned by, or co-owned by, one of these administrations", written once for
// SQL. The JavaScript form of the same rule ([owner, ...coOwnerIds]) is in app/lib/permissions.ts
// and db/visibility.ts; the two must say the same thing.
import type { Expression, ExpressionBuilder, SqlBool, StringReference } from "kysely";

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
