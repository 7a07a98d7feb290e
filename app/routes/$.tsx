// Any address no route claims: a 404 inside the layout.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "error.notFound.title" });

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}

export { ErrorPage as ErrorBoundary } from "../root";
