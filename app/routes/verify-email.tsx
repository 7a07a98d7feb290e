import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { isVerificationUsable, verifyEmail } from "../accounts/account.server";
import { startSession } from "../accounts/auth.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...pageMeta(matches, { key: data?.token ? "verify.title" : "verify.failedTitle" }),
  { name: "robots", content: "noindex" },
];

// The link in the verification mail. Opening it only asks; the button confirms the address and
// signs the person in. Mail scanners open links, and must neither use the token nor get a session.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = await isVerificationUsable(context, token);
  return data({ token: usable ? token : null }, { status: usable ? 200 : 404 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = (await request.formData()).get("token");
  const userId = typeof token === "string" ? await verifyEmail(context, token) : undefined;
  if (userId === undefined) return data({ failed: true }, { status: 404 });
  return startSession(request, context, userId, "/me?notice=verified");
}

export default function VerifyEmail() {
  const { token } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (!token) {
    return (
      <div className="form-page">
        <h1>{t("verify.failedTitle")}</h1>
        <p>{t("verify.failedBody")}</p>
        <p>
          <Link to="/login">{t("login.title")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="form-page">
      <h1>{t("verify.title")}</h1>
      <p className="lead">{t("verify.lead")}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button primary">
          {t("verify.submit")}
        </button>
      </Form>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
