import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "../lib/translation";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "forgot.sentTitle" });

export default function ResetSent() {
  const { t } = useTranslation();
  return (
    <div className="form-page">
      <h1>{t("forgot.sentTitle")}</h1>
      <p className="lead">{t("forgot.sentBody")}</p>
    </div>
  );
}
