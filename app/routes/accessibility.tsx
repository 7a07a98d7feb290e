import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "../lib/translation";
import { publicPageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => publicPageMeta(matches, "/accessibility", { key: "accessibility.title" }, { key: "accessibility.lead" });

const SECTIONS = ["standard", "testing", "gaps", "contact", "complaints"] as const;

export default function Accessibility() {
  const { t } = useTranslation();
  return (
    <article className="prose-page" aria-labelledby="a11y-title">
      <h1 id="a11y-title">{t("accessibility.title")}</h1>
      <p className="lead">{t("accessibility.lead")}</p>
      {SECTIONS.map((s) => (
        <section key={s} aria-labelledby={`a11y-${s}`}>
          <h2 id={`a11y-${s}`}>{t(`accessibility.${s}.title`)}</h2>
          <p>{t(`accessibility.${s}.body`)}</p>
        </section>
      ))}
    </article>
  );
}
