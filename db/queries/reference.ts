// Reference data as the UI and the search index need it: codes with Danish and English names.
import type { DB } from "../client";
import { recordAuditEvent, type AuditActorRef } from "./audit-events";

export interface Label {
  da: string;
  en: string;
}

export interface Administration {
  id: number;
  code: string;
  name: Label;
}

export interface ReferenceLabels {
  municipality: { name: Label; wholeCity: Label };
  administrations: Administration[];
  districts: Map<string, Label>;
  targetGroups: Map<string, Label>;
  sdgGoals: Map<number, Label>;
  procurementRoutes: Map<string, Label & { guidance: Label; legalRef: string | null }>;
}

export async function loadReferenceLabels(db: DB): Promise<ReferenceLabels> {
  const [municipality, administrations, districts, targetGroups, goals, routes] = await Promise.all([
    db.selectFrom("municipality").selectAll().executeTakeFirst(),
    db
      .selectFrom("organisations")
      .select(["id", "code", "name", "name_en"])
      .where("kind", "=", "municipal_administration")
      .where("code", "is not", null)
      .orderBy("name")
      .execute(),
    db.selectFrom("districts").selectAll().orderBy("sort_order").execute(),
    db.selectFrom("target_groups").selectAll().orderBy("sort_order").execute(),
    db.selectFrom("sdg_goals").selectAll().orderBy("goal").execute(),
    db.selectFrom("procurement_routes").selectAll().orderBy("sort_order").execute(),
  ]);
  return {
    municipality: {
      name: { da: municipality?.name_da ?? "", en: municipality?.name_en ?? "" },
      wholeCity: { da: municipality?.whole_city_da ?? "Hele byen", en: municipality?.whole_city_en ?? "The whole city" },
    },
    administrations: administrations.map((a) => ({ id: a.id, code: a.code!, name: { da: a.name, en: a.name_en ?? a.name } })),
    districts: new Map(districts.map((d) => [d.code, { da: d.name_da, en: d.name_en }])),
    targetGroups: new Map(targetGroups.map((t) => [t.code, { da: t.name_da, en: t.name_en }])),
    sdgGoals: new Map(goals.map((g) => [g.goal, { da: g.short_da, en: g.short_en }])),
    procurementRoutes: new Map(
      routes.map((r) => [
        r.code,
        { da: r.name_da, en: r.name_en, guidance: { da: r.guidance_da, en: r.guidance_en }, legalRef: r.legal_ref },
      ]),
    ),
  };
}

export async function findSdgTargets(db: DB, ids: string[]): Promise<Array<{ id: string; goal: number; title_en: string }>> {
  if (ids.length === 0) return [];
  return db.selectFrom("sdg_targets").select(["id", "goal", "title_en"]).where("id", "in", ids).orderBy("sort_order").execute();
}

/** The procurement routes still offered, in their order. */
export async function listActiveProcurementRoutes(db: DB) {
  return db.selectFrom("procurement_routes").select(["code", "name_da", "name_en"]).where("active", "=", 1).orderBy("sort_order").execute();
}

/** A procurement route by code, offered or not. */
export async function findProcurementRoute(db: DB, code: string) {
  return db.selectFrom("procurement_routes").select("code").where("code", "=", code).executeTakeFirst();
}

/** Those of `codes` that name an active row of the table (a form's choices, checked). */
export async function listActiveCodes(db: DB, table: "districts" | "target_groups" | "procurement_routes", codes: string[]): Promise<string[]> {
  const rows = await db.selectFrom(table).select("code").where("code", "in", codes).where("active", "=", 1).execute();
  return rows.map((r) => r.code);
}

/** Those of `codes` that name a district, active or not. */
export async function listDistrictCodes(db: DB, codes: string[]): Promise<string[]> {
  const rows = await db.selectFrom("districts").select("code").where("code", "in", codes).execute();
  return rows.map((r) => r.code);
}

/** Every target group, inactive ones too, in their order (the administrators' editor). */
export async function listTargetGroups(db: DB) {
  return db.selectFrom("target_groups").select(["code", "name_da", "name_en", "active", "sort_order"]).orderBy("sort_order").execute();
}

/**
 * Adds a target group (at the end of the order) or corrects one, with the values before and
 * after in the audit trail, in one transaction.
 */
export async function saveTargetGroup(
  db: DB,
  by: AuditActorRef,
  input: { code: string; nameDa: string; nameEn: string; active: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
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

/** The reference tables whose entries are a code with a Danish and an English name. */
export type NamedReferenceTable = "districts" | "target_groups";

/** Every entry of a named reference table, inactive ones too. */
export async function listReferenceEntries(db: DB, table: NamedReferenceTable): Promise<Array<{ code: string; name_da: string; name_en: string }>> {
  return db.selectFrom(table).select(["code", "name_da", "name_en"]).execute();
}

/** Adds an entry to a named reference table. */
export async function createReferenceEntry(db: DB, table: NamedReferenceTable, entry: { code: string; name_da: string; name_en: string; sort_order: number }): Promise<void> {
  await db.insertInto(table).values(entry).execute();
}

/** Every SDG target's id ("3.4"). */
export async function listSdgTargetIds(db: DB): Promise<string[]> {
  return (await db.selectFrom("sdg_targets").select("id").execute()).map((r) => r.id);
}
