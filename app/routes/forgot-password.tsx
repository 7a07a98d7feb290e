import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { requestPasswordReset } from "../accounts/account.server";
import { emailField, formOptions } from "../lib/forms";
import { pageMeta } from "../lib/meta";
import { invalidForm, refusedForm } from "../lib/outcome";
import { retryAfterHeaders } from "../lib/route-headers";

const schema = z.object({ email: emailField });

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "forgot.title" });
export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return invalidForm(submission);
  const outcome = await requestPasswordReset(context, submission.value.email);
  if (!outcome.ok) return refusedForm(submission, outcome);
  // The same answer whether or not the address has an account.
  return redirect("/forgot-password/sent");
}

export default function ForgotPassword() {
  const lastResult = useActionData<typeof action>()?.result;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(schema),
  });
  return (
    <div className="form-page">
      <h1>{t("forgot.title")}</h1>
      <p className="lead">{t("forgot.lead")}</p>
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary formErrors={form.errors} fields={[{ field: fields.email, label: t("login.email") }]} />
        <TextField field={fields.email} label={t("login.email")} type="email" autoComplete="email" />
        <FormActions>
          <button type="submit" className="button primary">
            {t("forgot.submit")}
          </button>
        </FormActions>
      </Form>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
