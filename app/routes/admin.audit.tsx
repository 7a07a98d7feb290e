import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { DataTable } from "../components/data-table";
import type { Locale } from "../i18n";
import { requireAdministrator } from "../admin/admin.server";
import { recentAuditEvents } from "../admin/admin-users.server";
import { formatDateTime } from "../lib/format";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.audit.title" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  return { events: await recentAuditEvents(context) };
}

export default function AdminAudit() {
  const { events } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <>
      <h1>{t("admin.audit.title")}</h1>
      <p className="lead">{t("admin.audit.lead")}</p>
      {events.length === 0 ? (
        <p className="muted">{t("admin.audit.none")}</p>
      ) : (
        <DataTable caption={t("admin.audit.title")} captionHidden>
          <thead>
            <tr>
              <th scope="col">{t("admin.audit.when")}</th>
              <th scope="col">{t("admin.audit.who")}</th>
              <th scope="col">{t("admin.audit.what")}</th>
              <th scope="col">{t("admin.audit.about")}</th>
              <th scope="col">{t("admin.audit.why")}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-audit-action={e.action}>
                <td>{formatDateTime(e.at, locale)}</td>
                <td>{e.actor_name ?? t("admin.audit.portal")}</td>
                <td>{t(`admin.audit.action.${e.action}`)}</td>
                <td>
                  <code>{e.subject}</code>
                  {typeof e.detail.role === "string" ? ` · ${t(`role.${e.detail.role}`, { defaultValue: e.detail.role })}` : ""}
                </td>
                <td className="pre">{e.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
