// Administrators extend and correct the reference data (target groups); the data files seed it.
// Every edit is in the audit trail, with the values before and after.
import { recordAuditEvent } from "../../db/queries/audit-events";
import type { PortalContext } from "../context.server";

export async function saveTargetGroup(
  context: PortalContext,
  by: { id: number; name: string },
  input: { code: string; nameDa: string; nameEn: string; active: boolean },
) {
  await context.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("target_groups").select(["name_da", "name_en", "active"]).where("code", "=", input.code).executeTakeFirst();
    const max = await trx.selectFrom("target_groups").select((eb) => eb.fn.max("sort_order").as("n")).executeTakeFirst();
    const values = { name_da: input.nameDa, name_en: input.nameEn, active: input.active ? (1 as const) : (0 as const) };
    await trx
      .insertInto("target_groups")
      .values({ code: input.code, ...values, sort_order: Number(max?.n ?? 0) + 1 })
      .onConflict((oc) => oc.column("code").doUpdateSet(values))
      .execute();
    await recordAuditEvent(trx, { actor: by, action: "reference.edited", subject: `target_group:${input.code}`, detail: { before: before ?? null, after: values } });
  });
}
