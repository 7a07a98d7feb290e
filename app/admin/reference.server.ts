// Administrators extend and correct the reference data (target groups); the data files seed it.
// Every edit is in the audit trail, with the values before and after (db/queries/reference.ts).
import { listTargetGroups, saveTargetGroup as writeTargetGroup } from "../../db/queries/reference";
import type { PortalContext } from "../context.server";

export function targetGroups(context: PortalContext) {
  return listTargetGroups(context.db);
}

export async function saveTargetGroup(
  context: PortalContext,
  by: { id: number; name: string },
  input: { code: string; nameDa: string; nameEn: string; active: boolean },
) {
  await writeTargetGroup(context.db, by, input);
}
