import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { Notice } from "../components/notice";
import type { Locale } from "../i18n";
import { dismiss, openReports, requireAdministrator } from "../admin/admin.server";
import { formatDate } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { DataTable } from "../components/data-table";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.reports.title" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  return { reports: await openReports(context) };
}

const dismissSchema = z.object({ intent: z.literal("dismiss"), report: z.coerce.number().int().positive() });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdministrator(request, context);
  const parsed = dismissSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  await dismiss(context, user, parsed.data.report);
  return redirect("/admin/reports?notice=saved");
}

export default function Reports() {
  const { reports } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <h1>{t("admin.reports.title")}</h1>
      <Notice />
      <p className="lead">{t("admin.reports.lead")}</p>
      {reports.length === 0 ? (
        <p className="muted">{t("admin.reports.none")}</p>
      ) : (
        <DataTable caption={t("admin.reports.title")} captionHidden>
          <thead>
            <tr>
              <th scope="col">{t("admin.reports.text")}</th>
              <th scope="col">{t("report.reason")}</th>
              <th scope="col">{t("admin.reports.when")}</th>
              <th scope="col">
                <span className="sr-only">{t("organisation.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id} data-report-id={r.id}>
                <td>
                  <Link to={`/${r.record_kind}s/${r.record_id}`}>{r.title ?? `#${r.record_id}`}</Link>
                  <br />
                  <span className="muted">{t(`admin.reports.kind.${r.record_kind}`)}</span>
                </td>
                <td className="pre">{r.reason}</td>
                <td>{formatDate(r.created_at, i18n.language as Locale)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="report" value={r.id} />
                    <button type="submit" name="intent" value="dismiss" className="link-button dark">
                      {t("admin.reports.dismiss")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
