import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { checkCredentials } from "../accounts/account.server";
import { currentUser, startSession } from "../accounts/auth.server";
import { invalidForm, refusedForm } from "../lib/outcome";
import { safeRedirect } from "../lib/redirects";
import { emailField, requiredText, formOptions } from "../lib/forms";
import { pageMeta } from "../lib/meta";
import { retryAfterHeaders } from "../lib/route-headers";

const schema = z.object({
  email: emailField,
  password: requiredText(200),
  redirectTo: z.string().max(2000).optional(),
});

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "login.title" });
export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await currentUser(request, context)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") {
    return invalidForm(submission, { hideFields: ["password"] });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await checkCredentials(context, email, password);
  if (!result.ok) return refusedForm(submission, result, { hideFields: ["password"] });
  return startSession(request, context, result.userId, safeRedirect(redirectTo));
}

export default function Login() {
  const lastResult = useActionData<typeof action>()?.result;
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(schema),
  });
  return (
    <div className="form-page">
      <h1>{t("login.title")}</h1>
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary
          formErrors={form.errors}
          fields={[
            { field: fields.email, label: t("login.email") },
            { field: fields.password, label: t("login.password") },
          ]}
        />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField field={fields.email} label={t("login.email")} type="email" autoComplete="email" />
        <TextField field={fields.password} label={t("login.password")} type="password" autoComplete="current-password" />
        <FormActions>
          <button type="submit" className="button primary">
            {t("login.submit")}
          </button>
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </FormActions>
      </Form>
      <p>
        {t("login.noAccount")} <Link to="/signup">{t("signup.title")}</Link>
      </p>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
