// The overview's tables as CSV files (a resource route: /curation/overview.csv?table=…&from=…),
// for the same people as the page and under the same filter. The dialect is described in
// app/overview/overview.server.ts (UTF-8 with BOM, semicolons, CRLF).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { localeOf } from "../lib/language.server";
import { requireCurator } from "../accounts/auth.server";
import { overviewCsv } from "../overview/overview.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCurator(request, context);
  return overviewCsv(context, request, await localeOf(request));
}
