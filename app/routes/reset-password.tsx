import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { isResetTokenUsable, resetPassword } from "../accounts/account.server";
import { startSession } from "../accounts/auth.server";
import { newPasswordField, formOptions } from "../lib/forms";
import { invalidForm, refusal, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";

const schema = z.object({ token: z.string().min(1).max(200), password: newPasswordField });

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "reset.title" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token: (await isResetTokenUsable(context, token)) ? token : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return invalidForm(submission, { hideFields: ["password"] });
  const userId = await resetPassword(context, submission.value.token, submission.value.password);
  if (userId === undefined) {
    return refusedForm(submission, refusal(400, "reset.expired"), { hideFields: ["password"] });
  }
  return startSession(request, context, userId, "/me?notice=passwordChanged");
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>()?.result;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(schema),
  });
  if (!token) {
    return (
      <div className="form-page">
        <h1>{t("reset.title")}</h1>
        <p>{t("reset.expired")}</p>
        <p>
          <Link to="/forgot-password">{t("forgot.title")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <h1>{t("reset.title")}</h1>
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary formErrors={form.errors} fields={[{ field: fields.password, label: t("reset.password") }]} />
        <input type="hidden" name="token" value={token} />
        <TextField field={fields.password} label={t("reset.password")} type="password" autoComplete="new-password" hint={t("signup.passwordHint")} />
        <FormActions>
          <button type="submit" className="button primary">
            {t("reset.submit")}
          </button>
        </FormActions>
      </Form>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
