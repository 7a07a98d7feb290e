// Loads a municipality's reference data (administrations, districts, target groups, procurement
// routes and thresholds) and the UN SDGs from data files. Another municipality points
// REFERENCE_DATA_DIR at a folder of the same shape. The files seed the database: codes missing
// from it are added at every start, but what administrators have since edited in the portal
// (names, target groups they added or retired) is left alone. The UN's goals and targets and the
// administrations are kept exactly as the files say.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { nowIso, type DB } from "./client";

export const DEFAULT_REFERENCE_DIR = fileURLToPath(new URL("./reference/copenhagen/", import.meta.url));
const SDG_FILE = fileURLToPath(new URL("./reference/sdgs.json", import.meta.url));

const code = z.string().min(1).max(64);
const named = z.object({ code, name_da: z.string().min(1), name_en: z.string().min(1) });

const referenceFiles = {
  "municipality.json": z.object({
    code,
    name_da: z.string().min(1),
    name_en: z.string().min(1),
    cvr: z.string().regex(/^\d{8}$/).nullable(),
    whole_city_da: z.string().min(1),
    whole_city_en: z.string().min(1),
  }),
  "administrations.json": z.array(named).min(1),
  "districts.json": z.array(named).min(1),
  "target-groups.json": z.array(named).min(1),
  "procurement-routes.json": z.array(
    named.extend({ legal_ref: z.string().nullable(), guidance_da: z.string(), guidance_en: z.string() }),
  ),
  "procurement-thresholds.json": z.array(
    z.object({
      kind: code,
      name_da: z.string(),
      name_en: z.string(),
      amount_dkk: z.number().int().positive(),
      valid_from: z.iso.date(),
      valid_to: z.iso.date().nullable(),
    }),
  ),
} as const;

const sdgFile = z.object({
  goals: z
    .array(z.object({ goal: z.number().int().min(1).max(17), short_en: z.string(), short_da: z.string(), title_en: z.string() }))
    .length(17),
  targets: z.array(z.object({ id: z.string().regex(/^\d{1,2}\.(\d{1,2}|[a-z])$/), goal: z.number().int(), title_en: z.string() })),
});

type ReferenceFiles = { [K in keyof typeof referenceFiles]: z.infer<(typeof referenceFiles)[K]> };

export function readReferenceData(dir: string): ReferenceFiles {
  const out: Record<string, unknown> = {};
  for (const [file, schema] of Object.entries(referenceFiles)) {
    const full = path.join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(full, "utf8"));
    } catch (error) {
      throw new Error(`Reference data ${full} could not be read: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`Reference data ${full} is invalid: ${z.prettifyError(parsed.error)}`);
    }
    out[file] = parsed.data;
  }
  return out as ReferenceFiles;
}

export async function loadReferenceData(db: DB, dir: string = DEFAULT_REFERENCE_DIR): Promise<void> {
  const data = readReferenceData(dir);
  const sdgs = sdgFile.parse(JSON.parse(fs.readFileSync(SDG_FILE, "utf8")));
  const now = nowIso();

  await db.transaction().execute(async (trx) => {
    const municipality = data["municipality.json"];
    await trx.deleteFrom("municipality").where("code", "<>", municipality.code).execute();
    await trx
      .insertInto("municipality")
      .values(municipality)
      .onConflict((oc) => oc.column("code").doUpdateSet(municipality))
      .execute();

    for (const [table, rows] of [
      ["districts", data["districts.json"]],
      ["target_groups", data["target-groups.json"]],
    ] as const) {
      for (const [i, row] of rows.entries()) {
        await trx
          .insertInto(table)
          .values({ ...row, sort_order: i, active: 1 })
          .onConflict((oc) => oc.column("code").doNothing())
          .execute();
      }
    }

    for (const [i, row] of data["procurement-routes.json"].entries()) {
      await trx
        .insertInto("procurement_routes")
        .values({ ...row, sort_order: i, active: 1 })
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
    }

    for (const row of data["procurement-thresholds.json"]) {
      await trx
        .insertInto("procurement_thresholds")
        .values(row)
        .onConflict((oc) => oc.columns(["kind", "valid_from"]).doUpdateSet(row))
        .execute();
    }

    for (const goal of sdgs.goals) {
      const values = { goal: goal.goal, short_da: goal.short_da, short_en: goal.short_en, title_en: goal.title_en };
      await trx
        .insertInto("sdg_goals")
        .values(values)
        .onConflict((oc) => oc.column("goal").doUpdateSet(values))
        .execute();
    }
    for (const [i, target] of sdgs.targets.entries()) {
      const values = { id: target.id, goal: target.goal, title_en: target.title_en, sort_order: i };
      await trx
        .insertInto("sdg_targets")
        .values(values)
        .onConflict((oc) => oc.column("id").doUpdateSet(values))
        .execute();
    }

    for (const adm of data["administrations.json"]) {
      const existing = await trx
        .selectFrom("organisations")
        .select("id")
        .where("code", "=", adm.code)
        .executeTakeFirst();
      const values = {
        kind: "municipal_administration" as const,
        code: adm.code,
        name: adm.name_da,
        name_en: adm.name_en,
        cvr: municipality.cvr,
        cvr_status: municipality.cvr ? "verified" : "none",
        active: 1 as const,
        updated_at: now,
      };
      if (existing) {
        await trx.updateTable("organisations").set(values).where("id", "=", existing.id).execute();
      } else {
        await trx.insertInto("organisations").values({ ...values, created_at: now }).execute();
      }
    }
  });
}
