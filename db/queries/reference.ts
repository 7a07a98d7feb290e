// Reference data as the UI and the search index need it: codes with Danish and English names.
import type { DB } from "../client";

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
