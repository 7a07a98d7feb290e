import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "signup.checkTitle" });

export default function CheckEmail() {
  const { t } = useTranslation();
  return (
    <div className="form-page">
      <h1>{t("signup.checkTitle")}</h1>
      <p className="lead">{t("signup.checkBody")}</p>
      <p>
        <Link to="/login">{t("login.title")}</Link>
      </p>
    </div>
  );
}
