import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { PlainField } from "../components/curation-ui";
import { awaitingSignIn, completeSignIn } from "../accounts/auth.server";
import { message } from "../lib/forms";
import { pageMeta } from "../lib/meta";
import { takeSlots } from "../lib/rate-limits.server";
import { safeRedirect } from "../lib/redirects";
import { checkSecondFactor } from "../accounts/second-factor.server";
import { retryAfterHeaders } from "../lib/route-headers";

// The second step of signing in, for accounts with a second factor: the password was right, and
// the browser holds a session that opens nothing until a code (or a recovery code) is given.

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "login.secondFactorTitle" }), { name: "robots", content: "noindex" }];
export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await awaitingSignIn(request, context))) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const waiting = await awaitingSignIn(request, context);
  if (!waiting) throw redirect("/login");
  const form = await request.formData();
  const code = form.get("code");
  const next = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (typeof code !== "string" || code.trim() === "" || code.length > 20) return data({ error: message("security.codeRequired") }, { status: 400 });
  const verdict = await takeSlots(context, [["secondFactorPerAccount", waiting.account.email]]);
  if (!verdict.ok) {
    return data(
      { error: message("rate.limited", { minutes: Math.ceil(verdict.retryAfterSeconds / 60) }) },
      { status: 429, headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
    );
  }
  if (!(await checkSecondFactor(context, waiting.account.id, code))) return data({ error: message("security.codeWrong") }, { status: 400 });
  return completeSignIn(request, context, waiting.account.id, next);
}

export default function SecondFactor() {
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const error = answer?.error;
  const redirectTo = params.get("redirectTo");
  return (
    <div className="form-page">
      <h1>{t("login.secondFactorTitle")}</h1>
      <p className="lead">{t("login.secondFactorLead")}</p>
      <Form method="post" action={redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : undefined} className="stacked-form">
        <PlainField idPrefix="second-factor" name="code" label={t("security.code")} hint={t("login.secondFactorHint")} failure={error ? { error, fields: { code: error } } : undefined}>
          {(p) => <input {...p} inputMode="numeric" autoComplete="one-time-code" required maxLength={20} autoFocus />}
        </PlainField>
        <button type="submit" className="button primary">
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("login.forgot")}</Link>
      </p>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
