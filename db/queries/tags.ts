// Challenges and solutions carry the same kinds of tags (districts, SDG goals and targets, target
// groups), each in its own join table. This module reads and writes them for either kind.
import type { Transaction } from "kysely";
import type { DB } from "../client";
import type { Database } from "../schema";

export type RecordKind = "challenge" | "solution";

export interface Tags {
  wholeCity: boolean;
  districts: string[];
  sdgGoals: number[];
  sdgTargets: string[];
  targetGroups: string[];
}

export const NO_TAGS: Tags = { wholeCity: false, districts: [], sdgGoals: [], sdgTargets: [], targetGroups: [] };

const tables = {
  challenge: {
    owner: "challenge_id",
    districts: "challenge_districts",
    goals: "challenge_sdg_goals",
    targets: "challenge_sdg_targets",
    groups: "challenge_target_groups",
  },
  solution: {
    owner: "solution_id",
    districts: "solution_districts",
    goals: "solution_sdg_goals",
    targets: "solution_sdg_targets",
    groups: "solution_target_groups",
  },
} as const;

/** A target implies its goal: "11.a" tags goal 11 too. */
export function goalsWithTargets(goals: number[], targets: string[]): number[] {
  const all = new Set(goals);
  for (const t of targets) all.add(Number(t.split(".")[0]));
  return [...all].sort((a, b) => a - b);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

// Kysely cannot type a table name chosen at run time; the names above are fixed, so the casts
// below stay inside this module.
type Loose = Transaction<any>;

export async function writeTags(trx: DB, kind: RecordKind, id: number, tags: Tags): Promise<void> {
  const t = tables[kind];
  const loose = trx as unknown as Loose;
  for (const table of [t.districts, t.goals, t.targets, t.groups]) {
    await loose.deleteFrom(table).where(t.owner, "=", id).execute();
  }
  const insert = async (table: string, column: string, values: Array<string | number>) => {
    if (values.length === 0) return;
    await loose
      .insertInto(table)
      .values(values.map((v) => ({ [t.owner]: id, [column]: v })))
      .execute();
  };
  await insert(t.districts, "district_code", unique(tags.districts));
  await insert(t.goals, "goal", goalsWithTargets(tags.sdgGoals, tags.sdgTargets));
  await insert(t.targets, "target_id", unique(tags.sdgTargets));
  await insert(t.groups, "target_group_code", unique(tags.targetGroups));
}

/** Tags of many records at once (whole_city lives on the record itself and is filled in by the caller). */
export async function loadTags(db: DB, kind: RecordKind, ids: number[]): Promise<Map<number, Tags>> {
  const t = tables[kind];
  const loose = db as unknown as Loose;
  const out = new Map<number, Tags>();
  for (const id of ids) out.set(id, { ...NO_TAGS, districts: [], sdgGoals: [], sdgTargets: [], targetGroups: [] });
  if (ids.length === 0) return out;
  // SQLite allows ~32k bound parameters; chunk to stay well below.
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const read = async (table: string, column: string) =>
      (await loose
        .selectFrom(table)
        .select([`${t.owner} as owner`, `${column} as value`])
        .where(t.owner, "in", chunk)
        .orderBy(column)
        .execute()) as Array<{ owner: number; value: string | number }>;
    for (const row of await read(t.districts, "district_code")) out.get(row.owner)!.districts.push(String(row.value));
    for (const row of await read(t.goals, "goal")) out.get(row.owner)!.sdgGoals.push(Number(row.value));
    for (const row of await read(t.targets, "target_id")) out.get(row.owner)!.sdgTargets.push(String(row.value));
    for (const row of await read(t.groups, "target_group_code")) out.get(row.owner)!.targetGroups.push(String(row.value));
  }
  for (const tags of out.values()) tags.sdgTargets.sort(compareTargetIds);
  return out;
}

/** Orders SDG target ids the UN's way: 11.1 … 11.7, then 11.a, 11.b. */
export function compareTargetIds(a: string, b: string): number {
  const [ga, sa = ""] = a.split(".");
  const [gb, sb = ""] = b.split(".");
  if (Number(ga) !== Number(gb)) return Number(ga) - Number(gb);
  const na = /^\d+$/.test(sa);
  const nb = /^\d+$/.test(sb);
  if (na && nb) return Number(sa) - Number(sb);
  if (na !== nb) return na ? -1 : 1;
  return sa.localeCompare(sb);
}
