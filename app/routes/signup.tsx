import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { signUp } from "../accounts/account.server";
import { currentUser } from "../accounts/auth.server";
import { emailField, newPasswordField, requiredText, formOptions } from "../lib/forms";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { invalidForm, refusedForm } from "../lib/outcome";
import { retryAfterHeaders } from "../lib/route-headers";

const schema = z.object({
  name: requiredText(100, 2),
  email: emailField,
  password: newPasswordField,
});

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "signup.title" });
export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await currentUser(request, context)) throw redirect("/me");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") {
    return invalidForm(submission, { hideFields: ["password"] });
  }
  const outcome = await signUp(context, submission.value, await localeOf(request));
  if (!outcome.ok) return refusedForm(submission, outcome, { hideFields: ["password"] });
  return redirect("/signup/check-email");
}

export default function SignUp() {
  const lastResult = useActionData<typeof action>()?.result;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(schema),
  });
  return (
    <div className="form-page">
      <h1>{t("signup.title")}</h1>
      <p className="lead">{t("signup.lead")}</p>
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary
          formErrors={form.errors}
          fields={[
            { field: fields.name, label: t("signup.name") },
            { field: fields.email, label: t("signup.email") },
            { field: fields.password, label: t("signup.password") },
          ]}
        />
        <TextField field={fields.name} label={t("signup.name")} autoComplete="name" />
        <TextField field={fields.email} label={t("signup.email")} type="email" autoComplete="email" hint={t("signup.emailHint")} />
        <TextField field={fields.password} label={t("signup.password")} type="password" autoComplete="new-password" hint={t("signup.passwordHint")} />
        <FormActions>
          <button type="submit" className="button primary">
            {t("signup.submit")}
          </button>
        </FormActions>
      </Form>
      <p>
        {t("signup.haveAccount")} <Link to="/login">{t("login.title")}</Link>
      </p>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
