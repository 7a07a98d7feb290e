import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { CheckboxField, ErrorSummary, FormActions, SelectField, TextArea, TextField } from "../components/form-fields";
import { ORGANISATION_KINDS, organisationSchema } from "../forms/organisation";
import { requireUser } from "../accounts/auth.server";
import { loadReferenceOptions } from "../records/options.server";
import { localeOf } from "../lib/language.server";
import { formOptions } from "../lib/forms";
import { invalidForm, refusal, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { registerOrganisation } from "../organisations/organisations.server";
import { canRegisterOrganisation } from "../lib/permissions";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "organisation.newTitle" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const options = await loadReferenceOptions(context.db, await localeOf(request));
  return { districts: options.districts, verified: canRegisterOrganisation(user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: organisationSchema });
  if (submission.status !== "success") return invalidForm(submission);
  // An organisation is public once registered: the registrant's address must be confirmed.
  if (!canRegisterOrganisation(user)) return refusedForm(submission, refusal(403, "form.verifyFirstOrganisation"));
  const result = await registerOrganisation(context, submission.value, user.id);
  if (!result.ok) return refusedForm(submission, result);
  return redirect(`/organisations/${result.id}?notice=organisationRegistered`);
}

export default function NewOrganisation() {
  const { districts, verified } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>()?.result;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(organisationSchema),
  });
  const labels = {
    name: t("organisation.name"),
    kind: t("organisation.kind"),
    cvr: t("organisation.cvr"),
    website: t("organisation.website"),
    description: t("organisation.description"),
    district: t("organisation.district"),
    contactEmail: t("organisation.contactEmail"),
  };
  return (
    <div className="form-page">
      <h1>{t("organisation.newTitle")}</h1>
      <p className="lead">{t("organisation.newLead")}</p>
      {verified ? null : (
        <p className="notice" role="note">
          {t("form.verifyFirstOrganisation")}
        </p>
      )}
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary formErrors={form.errors} fields={Object.entries(labels).map(([k, label]) => ({ field: fields[k as keyof typeof labels], label }))} />
        <TextField field={fields.name} label={labels.name} autoComplete="organization" />
        <SelectField
          field={fields.kind}
          label={labels.kind}
          placeholder={t("form.chooseOption")}
          options={ORGANISATION_KINDS.map((k) => ({ value: k, label: t(`organisationKind.${k}`) }))}
        />
        <TextField field={fields.cvr} label={labels.cvr} hint={t("organisation.cvrHint")} />
        <CheckboxField field={fields.rsv} label={t("organisation.rsv")} hint={t("organisation.rsvHint")} />
        <TextField field={fields.website} label={labels.website} type="url" hint={t("organisation.websiteHint")} />
        <TextArea field={fields.description} label={labels.description} rows={4} />
        <SelectField field={fields.district} label={labels.district} placeholder={t("form.noneOption")} options={districts} />
        <TextField field={fields.contactEmail} label={labels.contactEmail} type="email" hint={t("organisation.contactEmailHint")} />
        <FormActions>
          <button type="submit" className="button primary">
            {t("organisation.register")}
          </button>
        </FormActions>
      </Form>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
