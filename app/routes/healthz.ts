// For operators and tests: is the database there, is search reachable, how much waits in the
// outbox. No secrets, no personal data.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { health } from "../admin/health.server";

export async function loader({ context }: LoaderFunctionArgs) {
  return Response.json(await health(context), { headers: { "Cache-Control": "no-store" } });
}
