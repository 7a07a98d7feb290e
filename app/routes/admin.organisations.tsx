import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { Notice } from "../components/notice";
import { awaitingConfirmation, confirm, organisationsOutsideTheMunicipality, requireAdministrator } from "../admin/admin.server";
import { pageMeta } from "../lib/meta";
import { DataTable } from "../components/data-table";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.organisations.title" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  const all = await organisationsOutsideTheMunicipality(context);
  return { pending: await awaitingConfirmation(context), all };
}

const confirmSchema = z.object({ intent: z.enum(["confirm-cvr", "confirm-rsv"]), organisation: z.coerce.number().int().positive() });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdministrator(request, context);
  const parsed = confirmSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  await confirm(context, user, parsed.data.organisation, parsed.data.intent === "confirm-cvr" ? { cvr: true } : { rsv: true });
  return redirect("/admin/organisations?notice=confirmed");
}

export default function AdminOrganisations() {
  const { pending, all } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("admin.organisations.title")}</h1>
      <Notice />
      <section aria-labelledby="pending-title">
        <h2 id="pending-title">{t("admin.organisations.pending")}</h2>
        {pending.length === 0 ? (
          <p className="muted">{t("admin.organisations.nonePending")}</p>
        ) : (
          <DataTable caption={t("admin.organisations.pending")} captionHidden>
            <thead>
              <tr>
                <th scope="col">{t("organisation.name")}</th>
                <th scope="col">{t("organisation.cvr")}</th>
                <th scope="col">{t("detail.rsv")}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/organisations/${o.id}`}>{o.name}</Link>
                  </td>
                  <td>
                    {o.cvr ? `${o.cvr} (${t(`organisation.cvrStatus.${o.cvr_status}`)})` : "–"}
                    {o.cvr && o.cvr_status !== "verified" ? (
                      <Form method="post">
                        <input type="hidden" name="organisation" value={o.id} />
                        <button type="submit" name="intent" value="confirm-cvr" className="link-button dark">
                          {t("admin.organisations.confirmCvr")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                  <td>
                    {o.rsv_registered && !o.rsv_confirmed_at ? (
                      <Form method="post">
                        <input type="hidden" name="organisation" value={o.id} />
                        <button type="submit" name="intent" value="confirm-rsv" className="link-button dark">
                          {t("admin.organisations.confirmRsv")}
                        </button>
                      </Form>
                    ) : (
                      "–"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </section>
      <section aria-labelledby="all-title">
        <h2 id="all-title">{t("admin.organisations.all")}</h2>
        <p>{t("admin.organisations.allLead")}</p>
        <ul className="record-list columns">
          {all.map((o) => (
            <li key={o.id}>
              <Link to={`/organisations/${o.id}`}>{o.name}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
