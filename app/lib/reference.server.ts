// Administrators extend and correct the reference data (target groups); the data files seed it.
import type { PortalContext } from "../context.server";

export async function saveTargetGroup(context: PortalContext, input: { code: string; nameDa: string; nameEn: string; active: boolean }) {
  const db = context.db;
  const max = await db.selectFrom("target_groups").select((eb) => eb.fn.max("sort_order").as("n")).executeTakeFirst();
  const values = { name_da: input.nameDa, name_en: input.nameEn, active: input.active ? (1 as const) : (0 as const) };
  await db
    .insertInto("target_groups")
    .values({ code: input.code, ...values, sort_order: Number(max?.n ?? 0) + 1 })
    .onConflict((oc) => oc.column("code").doUpdateSet(values))
    .execute();
}
