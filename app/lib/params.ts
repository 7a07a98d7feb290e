// Ids in a URL's path (/challenges/12, /matches/7): a positive whole number, or the page is not found.
import { z } from "zod";

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The id in a route's `:id`, or a thrown 404 for anything that is not one. */
export function parseId(raw: string | undefined): number {
  const parsed = idParam.safeParse(raw);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}
