import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import type { Locale } from "../i18n";
import { formatNumber } from "../lib/format";
import { loadHome } from "../records/home.server";
import { publicPageMeta } from "../lib/meta";

export async function loader({ context }: LoaderFunctionArgs) {
  return loadHome(context.db);
}

export const meta: MetaFunction = ({ matches }) => publicPageMeta(matches, "/", { key: "home.title" }, { key: "home.lead" });

type Item = { id: number; title: string; summary: string; language: string; owner: string };

function Latest({ items, kind }: { items: Item[]; kind: "challenges" | "solutions" }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="latest" aria-labelledby={`latest-${kind}`}>
      <h2 id={`latest-${kind}`}>{t(`home.latest.${kind}`)}</h2>
      <ul className="cards compact">
        {items.map((item) => {
          const lang = item.language !== i18n.language ? item.language : undefined;
          return (
            <li className="card" key={item.id}>
              <h3 className="card-title" lang={lang}>
                <Link to={`/${kind}/${item.id}`}>{item.title}</Link>
              </h3>
              <p className="card-summary" lang={lang}>
                {item.summary}
              </p>
              <p className="muted">{item.owner}</p>
            </li>
          );
        })}
      </ul>
      <p>
        <Link to={`/${kind}`}>{t(`home.all.${kind}`)}</Link>
      </p>
    </section>
  );
}

export default function Home() {
  const { counts, latestChallenges, latestSolutions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <div className="home">
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t("home.title")}</h1>
        <p className="lead">{t("home.lead")}</p>
        <form method="get" action="/challenges" role="search" className="hero-search" aria-label={t("home.searchLabel")}>
          <label htmlFor="home-q">{t("home.searchLabel")}</label>
          <div className="search-input">
            <input type="search" id="home-q" name="q" maxLength={200} placeholder={t("home.searchPlaceholder")} />
            <button type="submit" className="button primary">
              {t("list.search")}
            </button>
          </div>
        </form>
        <ul className="figures" aria-label={t("home.figures")}>
          <li>
            <strong>{formatNumber(counts.challenges, locale)}</strong> {t("home.openChallenges")}
          </li>
          <li>
            <strong>{formatNumber(counts.solutions, locale)}</strong> {t("home.publishedSolutions")}
          </li>
          <li>
            <strong>{formatNumber(counts.organisations, locale)}</strong> {t("home.organisations")}
          </li>
        </ul>
      </section>
      <section className="how" aria-labelledby="how-title">
        <h2 id="how-title">{t("home.how.title")}</h2>
        <ol className="steps">
          <li>
            <h3>{t("home.how.challenges.title")}</h3>
            <p>{t("home.how.challenges.body")}</p>
          </li>
          <li>
            <h3>{t("home.how.solutions.title")}</h3>
            <p>{t("home.how.solutions.body")}</p>
          </li>
          <li>
            <h3>{t("home.how.match.title")}</h3>
            <p>{t("home.how.match.body")}</p>
          </li>
        </ol>
      </section>
      <div className="latest-grid">
        <Latest items={latestChallenges} kind="challenges" />
        <Latest items={latestSolutions} kind="solutions" />
      </div>
    </div>
  );
}
