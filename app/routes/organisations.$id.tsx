import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { formOptions } from "../lib/forms";
import { z } from "zod";
import { ErrorSummary, FormActions, SelectField, TextField } from "../components/form-fields";
import { Notice } from "../components/notice";
import { inviteSchema } from "../forms/organisation-invitation";
import { currentUser, requireUser } from "../accounts/auth.server";
import { parseId } from "../lib/params";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { loadOrganisationPage } from "../organisations/organisation-page.server";
import { invite, organisationToInviteTo, removeFromOrganisation } from "../organisations/organisations.server";
import { invalidForm, refusedForm } from "../lib/outcome";
import { canLeaveOrganisation, canManageOrganisation } from "../lib/permissions";
import { DataTable } from "../components/data-table";
import { retryAfterHeaders } from "../lib/route-headers";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageMeta(matches, { text: data.organisation.name }) : pageMeta(matches, { key: "error.notFound.title" });
export const headers = retryAfterHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return loadOrganisationPage(context, id, await currentUser(request, context));
}

const memberIntent = z.object({ intent: z.enum(["remove", "leave"]), userId: z.coerce.number().int().positive().optional() });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const org = await organisationToInviteTo(context, id);
  if (!org) throw new Response("Not found", { status: 404 });

  if (formData.get("intent") === "invite") {
    if (!canManageOrganisation(user, id)) throw new Response("Forbidden", { status: 403 });
    const submission = parseWithZod(formData, { schema: inviteSchema });
    if (submission.status !== "success") return invalidForm(submission);
    const outcome = await invite(context, {
      email: submission.value.email,
      organisationId: id,
      membershipRole: submission.value.role,
      globalRole: null,
      scope: { districts: [], administrations: [] },
      invitedBy: user,
      organisationName: org.name,
      locale: await localeOf(request),
    });
    if (!outcome.ok) return refusedForm(submission, outcome);
    return redirect(`/organisations/${id}?notice=invitationSent`);
  }

  const parsed = memberIntent.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  if (parsed.data.intent === "leave") {
    if (!canLeaveOrganisation(user, id)) throw new Response("Forbidden", { status: 403 });
    const result = await removeFromOrganisation(context, id, user.id);
    if (result === "last_owner") throw new Response("The last owner cannot leave", { status: 409 });
    return redirect("/me?notice=left");
  }
  if (!canManageOrganisation(user, id) || !parsed.data.userId) throw new Response("Forbidden", { status: 403 });
  const result = await removeFromOrganisation(context, id, parsed.data.userId);
  if (result === "last_owner") throw new Response("The last owner cannot be removed", { status: 409 });
  if (result === "not_member") throw new Response("Not found", { status: 404 });
  return redirect(`/organisations/${id}?notice=memberRemoved`);
}

function InviteForm() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>()?.result;
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(inviteSchema),
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <ErrorSummary formErrors={form.errors} fields={[{ field: fields.email, label: t("organisation.inviteEmail") }]} />
      <input type="hidden" name="intent" value="invite" />
      <TextField field={fields.email} label={t("organisation.inviteEmail")} type="email" />
      <SelectField
        field={fields.role}
        label={t("organisation.inviteRole")}
        options={[
          { value: "member", label: t("membership.member") },
          { value: "owner", label: t("membership.owner") },
        ]}
      />
      <FormActions>
        <button type="submit" className="button">
          {t("organisation.invite")}
        </button>
      </FormActions>
    </Form>
  );
}

export default function OrganisationPage() {
  const { organisation: o, solutions, members, invitations, can } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="organisation">
      <h1>{o.name}</h1>
      <Notice />
      <p className="lead">{o.description}</p>
      <dl className="facts">
        <dt>{t("organisation.kind")}</dt>
        <dd>{t(`organisationKind.${o.kind}`)}</dd>
        {o.cvr ? (
          <>
            <dt>{t("organisation.cvr")}</dt>
            <dd>
              {o.cvr} <span className="muted">({t(`organisation.cvrStatus.${o.cvrStatus}`)})</span>
            </dd>
          </>
        ) : null}
        <dt>{t("detail.rsv")}</dt>
        <dd>{t(`detail.rsvStatus.${o.rsv}`)}</dd>
        {o.website ? (
          <>
            <dt>{t("organisation.website")}</dt>
            <dd>
              <a href={o.website} rel="nofollow noopener noreferrer">
                {o.website}
              </a>
            </dd>
          </>
        ) : null}
        {o.contactEmail ? (
          <>
            <dt>{t("organisation.contactEmail")}</dt>
            <dd>
              <a href={`mailto:${o.contactEmail}`}>{o.contactEmail}</a>
            </dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="org-solutions">
        <h2 id="org-solutions">{t("nav.solutions")}</h2>
        {solutions.length === 0 ? (
          <p className="muted">{t("me.noSolutions")}</p>
        ) : (
          <ul className="record-list">
            {solutions.map((s) => (
              <li key={s.id}>
                <Link to={`/solutions/${s.id}`}>{s.title}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {members ? (
        <section className="panel" aria-labelledby="members">
          <h2 id="members">{t("organisation.members")}</h2>
          <DataTable caption={t("organisation.members")} captionHidden>
            <thead>
              <tr>
                <th scope="col">{t("signup.name")}</th>
                <th scope="col">{t("signup.email")}</th>
                <th scope="col">{t("organisation.role")}</th>
                <th scope="col">
                  <span className="sr-only">{t("organisation.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>{t(`membership.${m.role}`)}</td>
                  <td>
                    {m.isMe && can.leave ? (
                      <Form method="post" className="inline-form">
                        <button type="submit" name="intent" value="leave" className="link-button dark">
                          {t("organisation.leave")}
                        </button>
                      </Form>
                    ) : can.manage ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="userId" value={m.id} />
                        <button type="submit" name="intent" value="remove" className="link-button dark" aria-label={t("organisation.removeNamed", { name: m.name })}>
                          {t("organisation.remove")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          {can.manage ? (
            <>
              <h3>{t("organisation.inviteTitle")}</h3>
              {invitations && invitations.length > 0 ? (
                <ul className="record-list">
                  {invitations.map((i) => (
                    <li key={i.id}>
                      {i.email} <span className="muted">({t(`membership.${i.role ?? "member"}`)})</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              <InviteForm />
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
