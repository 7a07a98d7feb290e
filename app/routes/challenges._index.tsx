import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { ListView } from "../components/list-view";
import { i18nFor } from "../i18n";
import { loadListPage } from "../records/browse.server";
import { localeOf } from "../lib/language.server";
import { publicPageMeta } from "../lib/meta";
import { viewerOf } from "../accounts/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await localeOf(request);
  const { t } = i18nFor(locale);
  const page = await loadListPage(context, request, "challenge", await viewerOf(request, context), locale, t);
  return { page };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  ...publicPageMeta(matches, "/challenges", { key: "challenges.title" }, { key: "challenges.intro" }),
  // Result pages are endless combinations; search engines get the records themselves instead.
  { name: "robots", content: "noindex, follow" },
];

export default function Challenges() {
  const { page } = useLoaderData<typeof loader>();
  const location = useLocation();
  return <ListView kind="challenge" data={page} search={location.search} />;
}

export { ErrorPage as ErrorBoundary } from "../root";
