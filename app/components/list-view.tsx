// The browse page shared by challenges and solutions: a search form with sorting and facets
// (a plain GET form, so it works before JavaScript loads), results, and pages.
import { Form, Link, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, type InputHTMLAttributes, type SelectHTMLAttributes } from "react";
import { useTranslation } from "../lib/translation";
import type { BrowseHit } from "../../db/queries/browse";
import type { CardLabels, FacetGroup, ListPage } from "../records/browse.server";
import { formatDate, formatNumber } from "../lib/format";
import type { Locale } from "../i18n";
import { Highlighted } from "./highlighted";
import { own } from "../lib/lookup";

type Kind = "challenge" | "solution";

const VISIBLE_OPTIONS = 8;

// Form fields stay uncontrolled (so the form works before JavaScript loads), but follow the
// address when it changes by back/forward, without remounting: a remount would lose focus.
// Only a change of the address moves them: what a person typed or ticked before the page
// hydrated stays (hydration itself changes nothing).
function useFollow<T>(value: T, apply: (value: T) => void) {
  const followed = useRef(value);
  useEffect(() => {
    if (followed.current === value) return;
    followed.current = value;
    apply(value);
  });
}

function SyncedCheckbox({ checked, ...props }: InputHTMLAttributes<HTMLInputElement> & { checked: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useFollow(checked, (now) => {
    if (ref.current) ref.current.checked = now;
  });
  return <input ref={ref} type="checkbox" defaultChecked={checked} {...props} />;
}

function SyncedInput({ value, ...props }: InputHTMLAttributes<HTMLInputElement> & { value: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useFollow(value, (now) => {
    if (ref.current) ref.current.value = now;
  });
  return <input ref={ref} defaultValue={value} {...props} />;
}

function SyncedSelect({ value, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { value: string }) {
  const ref = useRef<HTMLSelectElement>(null);
  useFollow(value, (now) => {
    if (ref.current) ref.current.value = now;
  });
  return <select ref={ref} defaultValue={value} {...props} />;
}

function FacetFieldset({ group, idPrefix }: { group: FacetGroup; idPrefix: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const shown = group.options.filter((o) => o.count > 0 || o.selected);
  if (shown.length === 0) return null;
  const first = shown.slice(0, VISIBLE_OPTIONS);
  const more = shown.slice(VISIBLE_OPTIONS);
  const option = (o: (typeof shown)[number]) => {
    // Ids in ASCII: axe-core once failed to pair the label of "ØKF" with its box (seen in CI).
    const id = `${idPrefix}-${group.param}-${o.value.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`)}`;
    return (
      <li key={o.value}>
        <SyncedCheckbox id={id} name={group.param} value={o.value} checked={o.selected} />
        <label htmlFor={id}>
          <span lang={o.lang}>{o.label}</span> <span className="count">{`(${formatNumber(o.count, locale)})`}</span>
        </label>
      </li>
    );
  };
  const anySelectedInMore = more.some((o) => o.selected);
  return (
    <fieldset className="facet">
      <legend>{t(`facet.${group.facet}`)}</legend>
      <ul>{first.map(option)}</ul>
      {more.length > 0 ? (
        <details open={anySelectedInMore}>
          <summary>{t("list.showMore", { count: more.length })}</summary>
          <ul>{more.map(option)}</ul>
        </details>
      ) : null}
    </fieldset>
  );
}

function Tags({ hit, labels, kind }: { hit: BrowseHit; labels: CardLabels; kind: Kind }) {
  const { t } = useTranslation();
  const districts = hit.districts.map((d) => own(labels.districts, d) ?? d);
  return (
    <dl className="card-meta">
      {kind === "challenge" ? (
        <>
          <dt>{t("card.owner")}</dt>
          <dd>{hit.administrations.map((a) => own(labels.administrations, a) ?? a).join(", ") || hit.organisationName}</dd>
        </>
      ) : (
        <>
          <dt>{t("card.organisation")}</dt>
          <dd>{hit.organisationName}</dd>
        </>
      )}
      {districts.length > 0 ? (
        <>
          <dt>{t("card.districts")}</dt>
          <dd>{districts.join(", ")}</dd>
        </>
      ) : null}
      {hit.sdgGoals.length > 0 ? (
        <>
          <dt>{t("card.sdgs")}</dt>
          <dd>
            <ul className="sdg-list" aria-label={t("card.sdgs")}>
              {hit.sdgGoals.map((g) => (
                <li key={g} className={`sdg sdg-${g}`} title={own(labels.sdgGoals, String(g))}>
                  <span className="sr-only">{t("card.sdgGoal")} </span>
                  {g}
                  <span className="sr-only">: {own(labels.sdgGoals, String(g))}</span>
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function ResultCard({ hit, kind, labels }: { hit: BrowseHit; kind: Kind; labels: CardLabels }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const href = `/${kind === "challenge" ? "challenges" : "solutions"}/${hit.id}`;
  const lang = hit.language !== locale ? hit.language : undefined;
  return (
    <li className="card" data-result-id={hit.id}>
      <article aria-labelledby={`hit-${hit.id}`}>
        <div className="card-top">
          <span className={`badge status-${hit.status}`}>{t(`status.${hit.status}`)}</span>
          {hit.stage ? <span className="badge stage">{t(`stage.${hit.stage}`)}</span> : null}
          {lang ? <span className="badge lang">{t(`language.name.${hit.language}`)}</span> : null}
        </div>
        <h2 id={`hit-${hit.id}`} className="card-title" lang={lang}>
          <Link to={href}>
            <Highlighted segments={hit.title} />
          </Link>
        </h2>
        <p className="card-summary" lang={lang}>
          <Highlighted segments={hit.summary} />
        </p>
        {hit.snippet ? (
          <p className="card-snippet" lang={lang}>
            … <Highlighted segments={hit.snippet} /> …
          </p>
        ) : null}
        <Tags hit={hit} labels={labels} kind={kind} />
        <p className="card-dates muted">
          {hit.publishedAt ? t("card.published", { date: formatDate(hit.publishedAt, locale) }) : null}
          {hit.deadline ? (
            <>
              {" · "}
              {t("card.deadline", { date: formatDate(hit.deadline, locale) })}
            </>
          ) : null}
        </p>
      </article>
    </li>
  );
}

function pageHref(search: string, page: number): string {
  const params = new URLSearchParams(search);
  if (page <= 1) params.delete("page");
  else params.set("page", String(page));
  const qs = params.toString();
  return qs ? `?${qs}` : "?";
}

function Pagination({ page, pageCount, search }: { page: number; pageCount: number; search: string }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  const pages = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pageCount])]
    .filter((p) => p >= 1 && p <= pageCount)
    .sort((a, b) => a - b);
  return (
    <nav aria-label={t("list.pages")} className="pagination">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={pageHref(search, page - 1)} rel="prev">
              {t("list.previous")}
            </Link>
          </li>
        ) : null}
        {pages.map((p, i) => (
          <li key={p}>
            {i > 0 && p - pages[i - 1]! > 1 ? <span aria-hidden="true">…</span> : null}
            {p === page ? (
              <span aria-current="page" className="current">
                <span className="sr-only">{t("list.page")} </span>
                {p}
              </span>
            ) : (
              <Link to={pageHref(search, p)} aria-label={t("list.goToPage", { page: p })}>
                {p}
              </Link>
            )}
          </li>
        ))}
        {page < pageCount ? (
          <li>
            <Link to={pageHref(search, page + 1)} rel="next">
              {t("list.next")}
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export function ListView({ kind, data, search }: { kind: Kind; data: ListPage; search: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const submit = useSubmit();
  const navigation = useNavigation();
  const plural = kind === "challenge" ? "challenges" : "solutions";
  const busy = navigation.state === "loading" && navigation.location?.pathname === `/${plural}`;
  const { result } = data;
  const anyFilter = data.facetGroups.some((g) => g.options.some((o) => o.selected));
  // Facet values with no results are not shown; with none left there is nothing to filter by.
  const filterable = data.facetGroups.some((g) => g.options.some((o) => o.count > 0 || o.selected));

  return (
    <div className="list-page">
      <h1>{t(`${plural}.title`)}</h1>
      <p className="lead">{t(`${plural}.intro`)}</p>
      {data.searchDown ? (
        <div className="notice" role="status">
          <strong>{t("list.searchDown.title")}</strong> {t("list.searchDown.body")}
        </div>
      ) : null}
      <Form
        method="get"
        action={`/${plural}`}
        className="browse"
        role="search"
        aria-label={t(`${plural}.searchLabel`)}
        onChange={(event) => {
          // With JavaScript, a changed filter or sort applies at once; without, the button does.
          const target = event.target as HTMLElement;
          if (target instanceof HTMLInputElement && target.type === "search") return;
          const form = event.currentTarget;
          const params = new URLSearchParams();
          for (const [k, v] of new FormData(form)) if (k !== "page" && v !== "") params.append(k, String(v));
          submit(params, { method: "get", action: `/${plural}`, preventScrollReset: true });
        }}
      >
        <div className="search-row">
          <label htmlFor="q" className="search-label">
            {t(`${plural}.searchLabel`)}
          </label>
          <div className="search-input">
            <SyncedInput
              type="search"
              id="q"
              name="q"
              value={data.q}
              maxLength={200}
              autoComplete="off"
              placeholder={t(`${plural}.searchPlaceholder`)}
            />
            <button type="submit" className="button primary">
              {t("list.search")}
            </button>
          </div>
        </div>
        <div className="browse-body">
          <aside className="facets" aria-label={t("list.filters")}>
            <h2 className="facets-title">{t("list.filters")}</h2>
            {data.facetGroups.map((group) => (
              <FacetFieldset key={group.facet} group={group} idPrefix={kind} />
            ))}
            {filterable ? null : <p className="muted">{t("list.noFacets")}</p>}
            {filterable || anyFilter ? (
              <div className="facet-actions">
                {filterable ? (
                  <button type="submit" className="button">
                    {t("list.apply")}
                  </button>
                ) : null}
                {anyFilter ? <Link to={data.q ? `?q=${encodeURIComponent(data.q)}` : "?"}>{t("list.clear")}</Link> : null}
              </div>
            ) : null}
          </aside>
          <section className="results" aria-labelledby="results-heading" aria-busy={busy}>
            <div className="results-bar">
              <h2 id="results-heading" className="results-count" aria-live="polite">
                {t("list.count", { count: result.total, formatted: formatNumber(result.total, locale) })}
              </h2>
              <div className="sort">
                <label htmlFor="sort">{t("list.sort")}</label>
                <SyncedSelect id="sort" name="sort" value={data.sort}>
                  <option value="relevance">{t("list.sortRelevance")}</option>
                  <option value="newest">{t("list.sortNewest")}</option>
                  {kind === "challenge" ? <option value="deadline">{t("list.sortDeadline")}</option> : null}
                </SyncedSelect>
              </div>
            </div>
            {result.hits.length === 0 ? (
              <div className="empty">
                <p>{t("list.empty")}</p>
                {anyFilter || data.q ? <Link to={`/${plural}`}>{t("list.clearAll")}</Link> : null}
              </div>
            ) : (
              <ol className="cards">
                {result.hits.map((hit) => (
                  <ResultCard key={hit.id} hit={hit} kind={kind} labels={data.labels} />
                ))}
              </ol>
            )}
            <Pagination page={data.page} pageCount={result.pageCount} search={search} />
          </section>
        </div>
      </Form>
    </div>
  );
}
