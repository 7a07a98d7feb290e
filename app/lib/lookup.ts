// Tables keyed by codes that come from requests (a district in ?district=, a facet value, a form
// field's name) answer only for their own keys. A plain object also answers for "__proto__",
// "constructor" or "toString" with the language's own machinery, and assigning to "__proto__"
// replaces its prototype; these helpers make such a key just another unknown code.

/** A table of the given entries with no prototype at all. */
export function lookupOf<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const table = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) table[key] = value;
  return table;
}

/** The table's own value for a key, never an inherited one (works for tables from JSON too). */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
