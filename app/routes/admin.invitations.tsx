import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, FormActions, SelectField, TextField } from "../components/form-fields";
import { Notice } from "../components/notice";
import { administrationsToInviteTo, knownDistricts, pendingInvitations, requireAdministrator } from "../admin/admin.server";
import { emailField, oneOf, formOptions } from "../lib/forms";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { loadReferenceOptions } from "../records/options.server";
import { invite } from "../organisations/organisations.server";
import { fieldRefusal, invalidForm, refusedForm } from "../lib/outcome";
import { retryAfterHeaders } from "../lib/route-headers";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.invitations.title" });
export const headers = retryAfterHeaders;

const schema = z.object({
  email: emailField,
  role: oneOf(["staff", "community_manager", "administrator"] as const),
  administration: z.coerce.number().int().positive().optional(),
  districts: z.array(z.string().max(64)).max(20).optional().transform((v) => v ?? []),
  coveredAdministrations: z.array(z.coerce.number().int().positive()).max(20).optional().transform((v) => v ?? []),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  const options = await loadReferenceOptions(context.db, await localeOf(request));
  return { administrations: options.administrations, districts: options.districts, pending: await pendingInvitations(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdministrator(request, context);
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return invalidForm(submission);
  const v = submission.value;
  const administrations = await administrationsToInviteTo(context);
  const known = new Set(administrations.map((a) => a.id));
  if (v.role === "staff" && (!v.administration || !known.has(v.administration))) {
    return refusedForm(submission, fieldRefusal(400, "administration", "form.choose"));
  }
  const districtRows = v.districts.length ? await knownDistricts(context, v.districts) : [];
  if (districtRows.length !== v.districts.length || v.coveredAdministrations.some((id) => !known.has(id))) {
    return refusedForm(submission, fieldRefusal(400, "districts", "form.choose"));
  }
  const outcome = await invite(context, {
    email: v.email,
    organisationId: v.role === "staff" ? v.administration! : null,
    membershipRole: v.role === "staff" ? "member" : null,
    globalRole: v.role === "staff" ? null : v.role,
    scope: { districts: v.role === "community_manager" ? v.districts : [], administrations: v.role === "community_manager" ? v.coveredAdministrations : [] },
    invitedBy: user,
    organisationName: v.role === "staff" ? (administrations.find((a) => a.id === v.administration)?.name ?? null) : null,
    locale: await localeOf(request),
  });
  if (!outcome.ok) return refusedForm(submission, outcome);
  return redirect("/admin/invitations?notice=invitationSent");
}

export default function AdminInvitations() {
  const { administrations, districts, pending } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>()?.result;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { role: "staff" },
    ...formOptions(schema),
  });
  return (
    <>
      <h1>{t("admin.invitations.title")}</h1>
      <Notice />
      <p className="lead">{t("admin.invitations.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="form-page">
        <ErrorSummary
          formErrors={form.errors}
          fields={[
            { field: fields.email, label: t("signup.email") },
            { field: fields.administration, label: t("admin.invitations.administration") },
            { field: fields.districts, label: t("admin.invitations.districts") },
          ]}
        />
        <TextField field={fields.email} label={t("signup.email")} type="email" />
        <SelectField
          field={fields.role}
          label={t("admin.invitations.role")}
          options={(["staff", "community_manager", "administrator"] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <SelectField
          field={fields.administration}
          label={t("admin.invitations.administration")}
          hint={t("admin.invitations.administrationHint")}
          placeholder={t("form.noneOption")}
          options={administrations}
        />
        <CheckboxGroup field={fields.districts} legend={t("admin.invitations.districts")} hint={t("admin.invitations.cmHint")} options={districts} />
        <CheckboxGroup field={fields.coveredAdministrations} legend={t("admin.invitations.coveredAdministrations")} options={administrations} />
        <FormActions>
          <button type="submit" className="button primary">
            {t("organisation.invite")}
          </button>
        </FormActions>
      </Form>
      <h2>{t("admin.invitations.pending")}</h2>
      {pending.length === 0 ? (
        <p className="muted">{t("admin.invitations.none")}</p>
      ) : (
        <ul className="record-list">
          {pending.map((i) => (
            <li key={i.id}>
              {i.email} <span className="muted">({i.global_role ? t(`role.${i.global_role}`) : t("role.staff")})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
