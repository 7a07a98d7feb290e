// Reference data as form options in the visitor's language.
import type { DB } from "../../db/client";
import { loadReferenceLabels } from "../../db/queries/reference";
import type { Locale } from "../i18n";

export interface Option {
  value: string;
  label: string;
}

export async function loadReferenceOptions(db: DB, locale: Locale) {
  const refs = await loadReferenceLabels(db);
  const list = <K extends string | number>(m: Map<K, { da: string; en: string }>): Option[] =>
    [...m.entries()].map(([value, label]) => ({ value: String(value), label: label[locale] }));
  return {
    administrations: refs.administrations.map((a) => ({ value: String(a.id), label: a.name[locale], code: a.code })),
    districts: list(refs.districts),
    targetGroups: list(refs.targetGroups),
    sdgGoals: [...refs.sdgGoals.entries()].map(([goal, label]) => ({ value: String(goal), label: `${goal}. ${label[locale]}` })),
    procurementRoutes: list(refs.procurementRoutes),
    wholeCity: refs.municipality.wholeCity[locale],
  };
}
