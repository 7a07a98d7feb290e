import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { verifyEmail } from "../lib/account.server";
import { signIn } from "../lib/auth.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "verify.failedTitle" });

// The link in the verification mail: it verifies the address and signs the person in.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const userId = token ? await verifyEmail(context, token) : undefined;
  if (userId === undefined) return null;
  return redirect("/me?notice=verified", { headers: { "Set-Cookie": await signIn(request, context, userId) } });
}

export default function VerifyFailed() {
  const { t } = useTranslation();
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
