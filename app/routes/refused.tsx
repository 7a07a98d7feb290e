import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "../lib/meta";
import { errorKindOf } from "../root";

// The page for a request the server refuses before any route runs (scripts/lib/request-guards.ts):
// a method no page takes, a body no form sends or one too large, a malformed URL. It renders the
// portal's error page inside the layout, in the visitor's language, with the status it names.
// Anyone may open it; it shows nothing but that explanation.

const STATUSES = new Set([400, 405, 413, 415]);

function statusOf(search: string): number {
  const status = Number(new URLSearchParams(search).get("status"));
  return STATUSES.has(status) ? status : 404;
}

export const meta: MetaFunction = ({ matches, location }) => [
  ...pageMeta(matches, { key: `error.${errorKindOf(statusOf(location.search))}.title` }),
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  throw new Response(null, { status: statusOf(new URL(request.url).search) });
}

export default function Refused() {
  return null;
}

export { ErrorPage as ErrorBoundary } from "../root";
