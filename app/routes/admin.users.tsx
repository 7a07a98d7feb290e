import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { DataTable } from "../components/data-table";
import { Notice } from "../components/notice";
import type { Locale } from "../i18n";
import { requireAdministrator } from "../admin/admin.server";
import { listAccounts, revokeRoleOf, setAccountActive } from "../admin/admin-users.server";
import { formatDate } from "../lib/format";
import { message, requiredText } from "../lib/forms";
import { pageMeta } from "../lib/meta";
import { PlainField } from "../components/curation-ui";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.users.title" });

const querySchema = z.object({ q: z.string().max(200).catch("") });

const userId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reason = requiredText(1000, 5);
const changeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("revoke"), user: userId, role: z.enum(["administrator", "community_manager"], { error: message("form.choose") }), reason }),
  z.object({ intent: z.literal("deactivate"), user: userId, reason }),
  z.object({ intent: z.literal("reactivate"), user: userId, reason }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdministrator(request, context);
  const { q } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { q, me: admin.id, users: await listAccounts(context, q) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdministrator(request, context);
  const form = Object.fromEntries(await request.formData());
  const parsed = changeSchema.safeParse(form);
  const typed = { user: Number(form.user) || 0, intent: String(form.intent ?? ""), reason: typeof form.reason === "string" ? form.reason : "" };
  if (!parsed.success) {
    const error = parsed.error.issues.find((i) => i.path[0] === "reason")?.message ?? message("form.invalid");
    return data({ ...typed, error }, { status: 400 });
  }
  const v = parsed.data;
  const outcome = v.intent === "revoke" ? await revokeRoleOf(context, admin, v.user, v.role, v.reason) : await setAccountActive(context, admin, v.user, v.intent === "reactivate", v.reason);
  if (!outcome.ok) return data({ ...typed, error: outcome.error }, { status: outcome.status });
  return redirect(`/admin/users?notice=${outcome.notice}`);
}

type Change = { user: number; intent: string; reason: string; error: string } | undefined;

function ReasonForm({ userId, intent, label, children, change }: { userId: number; intent: string; label: string; children?: React.ReactNode; change: Change }) {
  const { t } = useTranslation();
  const mine = change?.user === userId && change.intent === intent ? change : undefined;
  return (
    <Form method="post" className="stacked-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="user" value={userId} />
      {children}
      <PlainField idPrefix={`${intent}-${userId}`} name="reason" label={t("admin.users.reason")} failure={mine ? { error: mine.error, fields: { reason: mine.error } } : undefined}>
        {(p) => <input {...p} required minLength={5} maxLength={1000} defaultValue={mine?.reason} />}
      </PlainField>
      <button type="submit" className="button">
        {label}
      </button>
    </Form>
  );
}

export default function AdminUsers() {
  const { q, me, users } = useLoaderData<typeof loader>();
  const change = useActionData<typeof action>() as Change;
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <>
      <h1>{t("admin.users.title")}</h1>
      <Notice />
      <p className="lead">{t("admin.users.lead")}</p>
      <Form method="get" role="search" className="admin-search">
        <label htmlFor="users-q">{t("admin.users.search")}</label>
        <input id="users-q" name="q" type="search" defaultValue={q} maxLength={200} />
        <button type="submit" className="button">
          {t("admin.users.searchSubmit")}
        </button>
      </Form>
      {users.length === 0 ? (
        <p className="muted">{t("admin.users.none")}</p>
      ) : (
        <DataTable caption={t("admin.users.title")} captionHidden>
          <thead>
            <tr>
              <th scope="col">{t("admin.users.person")}</th>
              <th scope="col">{t("admin.users.roles")}</th>
              <th scope="col">{t("admin.users.status")}</th>
              <th scope="col">{t("organisation.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user-id={u.id}>
                <td>
                  {u.name}
                  <br />
                  <span className="muted">{u.email}</span>
                </td>
                <td>
                  {u.roles.length === 0 ? <span className="muted">{t("admin.users.noRole")}</span> : u.roles.map((r) => t(`role.${r}`)).join(", ")}
                  {u.roles.includes("administrator") && !u.secondFactor ? (
                    <>
                      <br />
                      <span className="muted">{t("admin.users.noSecondFactor")}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  {u.deactivated_at
                    ? t("admin.users.deactivatedOn", { date: formatDate(u.deactivated_at, locale) })
                    : u.email_verified_at
                      ? t("admin.users.active")
                      : t("admin.users.unverified")}
                  {u.last_login_at ? (
                    <>
                      <br />
                      <span className="muted">{t("admin.users.lastLogin", { date: formatDate(u.last_login_at, locale) })}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  {u.id === me ? (
                    <span className="muted">{t("admin.users.you")}</span>
                  ) : (
                    <details open={change?.user === u.id}>
                      <summary>{t("admin.users.change", { name: u.name })}</summary>
                      {u.roles.length > 0 ? (
                        <ReasonForm userId={u.id} intent="revoke" label={t("admin.users.revoke")} change={change}>
                          <label htmlFor={`revoke-${u.id}-role`}>{t("admin.users.role")}</label>
                          <select id={`revoke-${u.id}-role`} name="role">
                            {u.roles.map((r) => (
                              <option key={r} value={r}>
                                {t(`role.${r}`)}
                              </option>
                            ))}
                          </select>
                        </ReasonForm>
                      ) : null}
                      {u.deactivated_at ? (
                        <ReasonForm userId={u.id} intent="reactivate" label={t("admin.users.reactivate")} change={change} />
                      ) : (
                        <ReasonForm userId={u.id} intent="deactivate" label={t("admin.users.deactivate")} change={change} />
                      )}
                    </details>
                  )}
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
