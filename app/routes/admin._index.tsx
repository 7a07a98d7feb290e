import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { adminOverview, requireAdministrator } from "../admin/admin.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.title" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  return adminOverview(context);
}

export default function AdminOverview() {
  const counts = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <ul className="figures">
        <li>
          <strong>{counts.users}</strong> {t("admin.counts.users")}
        </li>
        <li>
          <strong>{counts.organisations}</strong> {t("admin.counts.organisations")}
        </li>
        <li>
          <strong>{counts.reports}</strong> <Link to="/admin/reports">{t("admin.counts.reports")}</Link>
        </li>
        <li>
          <strong>{counts.confirmations}</strong> <Link to="/admin/organisations">{t("admin.counts.confirmations")}</Link>
        </li>
        <li>
          <strong>{counts.deadLetters}</strong> {t("admin.counts.deadLetters")}
        </li>
      </ul>
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
