// Danish letters written the way people type them without a Danish keyboard: æ → ae, ø → o,
// å → aa. Used by the search index's folded field and by the database-only fallback search.
const FOLDS: Array<[RegExp, string]> = [
  [/[æä]/g, "ae"],
  [/[øö]/g, "o"],
  [/å/g, "aa"],
  [/é/g, "e"],
  [/ü/g, "u"],
];

export function foldText(text: string): string {
  let out = text.toLocaleLowerCase("da");
  for (const [from, to] of FOLDS) out = out.replace(from, to);
  return out;
}
