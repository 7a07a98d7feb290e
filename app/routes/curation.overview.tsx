// The community managers' overview: how far suggestions get (the funnel), where the need is
// unmet, and why suggestions are dismissed. A plain GET form filters it (no JavaScript needed);
// every table has its CSV file at /curation/overview.csv.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "../lib/translation";
import type { Locale } from "../i18n";
import { TIME_ZONE } from "../../db/rules/calendar";
import { formatDate, formatNumber } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { FILTER_FIELDS, type FilterErrors, type FilterValues, type OverviewTable } from "../overview/overview";
import { requireCurator } from "../accounts/auth.server";
import { loadOverviewPage, type Choice, type FunnelCounts, type FunnelStep, type OverviewPage } from "../overview/overview.server";
import { PlainField, type FormFailure } from "../components/curation-ui";
import { DataTable } from "../components/data-table";

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "overview.title" }), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCurator(request, context);
  const page = await loadOverviewPage(context, request, await localeOf(request));
  // A filter that cannot be used: the form again, with what is wrong, as a 400.
  return page.ok ? page : data(page, { status: 400 });
}

function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return {
    locale,
    n: (value: number) => formatNumber(value, locale),
    /** "marts 2026" / "March 2026". */
    month: (period: string) =>
      new Intl.DateTimeFormat(locale === "da" ? "da-DK" : "en-GB", { month: "long", year: "numeric", timeZone: TIME_ZONE }).format(new Date(`${period}-15T12:00:00Z`)),
  };
}

// ---------------------------------------------------------------------------------------------
// The filter form

/** The filter's errors as the workbench's fields take them (each field's id is overview-<name>). */
const asFailure = (errors: FilterErrors): FormFailure => ({ error: "", fields: errors as Record<string, string> });

function MonthField({ name, values, errors }: { name: "from" | "to"; values: FilterValues; errors: FilterErrors }) {
  const { t } = useTranslation();
  return (
    <PlainField idPrefix="overview" name={name} label={t(`overview.filter.${name}`)} hint={t("overview.filter.monthHint")} failure={asFailure(errors)}>
      {/* Text, not type="month": the visitor's text is kept when it is wrong, and every browser shows the same field. */}
      {(p) => <input {...p} type="text" defaultValue={values[name]} autoComplete="off" />}
    </PlainField>
  );
}

function ChoiceField({ name, values, errors, options, all }: { name: "administration" | "district"; values: FilterValues; errors: FilterErrors; options: Choice[]; all: string }) {
  const { t } = useTranslation();
  return (
    <PlainField idPrefix="overview" name={name} label={t(`overview.filter.${name}`)} failure={asFailure(errors)}>
      {(p) => (
        <select {...p} defaultValue={values[name]}>
          <option value="">{all}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </PlainField>
  );
}

function FilterForm({ values, errors, choices }: { values: FilterValues; errors: FilterErrors; choices: { administrations: Choice[]; districts: Choice[] } }) {
  const { t } = useTranslation();
  const wrong = FILTER_FIELDS.filter((f) => errors[f]);
  return (
    <section className="panel" aria-labelledby="overview-filter-title">
      <h2 id="overview-filter-title">{t("overview.filter.title")}</h2>
      {wrong.length > 0 ? (
        <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
          <h3 id="error-summary-title">{t("form.summaryTitle")}</h3>
          <ul>
            {wrong.map((f) => (
              <li key={f}>
                <a href={`#overview-${f}`}>
                  {t(`overview.filter.${f}`)}: {t(errors[f]!)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* Keyed by what it shows, so the fields follow the address after a client-side navigation (Reset, back). */}
      <Form method="get" action="/curation/overview" key={FILTER_FIELDS.map((f) => values[f]).join("|")}>
        <div className="filter-row">
          <MonthField name="from" values={values} errors={errors} />
          <MonthField name="to" values={values} errors={errors} />
          <ChoiceField name="administration" values={values} errors={errors} options={choices.administrations} all={t("overview.filter.allAdministrations")} />
          <ChoiceField name="district" values={values} errors={errors} options={choices.districts} all={t("overview.filter.allDistricts")} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary">
            {t("overview.filter.submit")}
          </button>
          <Link to="/curation/overview">{t("overview.filter.reset")}</Link>
        </div>
      </Form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Tables

function CsvLink({ table, query, caption }: { table: OverviewTable; query: string; caption: string }) {
  const { t } = useTranslation();
  const search = new URLSearchParams(query);
  search.set("table", table);
  return (
    <p className="csv-link">
      {/* A plain link: the file is a download, not a page for the router. */}
      <a href={`/curation/overview.csv?${search.toString()}`} download>
        {t("overview.csv", { table: caption })}
      </a>
    </p>
  );
}

function StepHeaders({ steps }: { steps: readonly FunnelStep[] }) {
  const { t } = useTranslation();
  return (
    <>
      {steps.map((s) => (
        <th scope="col" key={s}>
          {t(`overview.steps.${s}`)}
        </th>
      ))}
    </>
  );
}

function StepCells({ steps, counts }: { steps: readonly FunnelStep[]; counts: FunnelCounts }) {
  const { n } = useFormat();
  return (
    <>
      {steps.map((s) => (
        <td key={s}>{n(counts[s])}</td>
      ))}
    </>
  );
}

function FunnelTable({
  id,
  caption,
  first,
  steps,
  rows,
  total,
}: {
  id: string;
  caption: string;
  first: string;
  steps: readonly FunnelStep[];
  rows: Array<{ key: string; label: ReactNode; counts: FunnelCounts }>;
  total?: FunnelCounts;
}) {
  const { t } = useTranslation();
  return (
    <DataTable id={id} caption={caption}>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <StepHeaders steps={steps} />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <StepCells steps={steps} counts={r.counts} />
          </tr>
        ))}
      </tbody>
      {total ? (
        <tfoot>
          <tr>
            <th scope="row">{t("overview.total")}</th>
            <StepCells steps={steps} counts={total} />
          </tr>
        </tfoot>
      ) : null}
    </DataTable>
  );
}

function Score({ percent }: { percent: number | null }) {
  const { t } = useTranslation();
  const { n } = useFormat();
  return <>{percent === null ? t("overview.noSuggestion") : t("overview.percent", { percent: n(percent) })}</>;
}

function Shown({ shown, total }: { shown: number; total: number }) {
  const { t } = useTranslation();
  const { n } = useFormat();
  if (shown >= total) return null;
  return <p className="muted">{t("overview.truncated", { shown: n(shown), total: n(total) })}</p>;
}

/**
 * Challenges no solution is suggested for (well enough), or solutions suggested for no
 * challenge: the record, its facts (`cells`), and its best score, with a CSV link.
 */
function UnpairedSection({
  section,
  kind,
  caption,
  headers,
  rows,
  total,
  thresholdPercent,
  query,
}: {
  section: "unmet" | "unfound";
  kind: "challenge" | "solution";
  caption: string;
  /** The columns after the record's title; the last is the best score's. */
  headers: string[];
  rows: Array<{ id: number; title: string; language: string; cells: string[]; bestPercent: number | null }>;
  total: number;
  thresholdPercent: number;
  query: string;
}) {
  const { t } = useTranslation();
  const { locale, n } = useFormat();
  const table = section === "unmet" ? "unmet-challenges" : "unfound-solutions";
  const plural = kind === "challenge" ? "challenges" : "solutions";
  return (
    <section aria-labelledby={`overview-${section}`} className="overview-section">
      <h2 id={`overview-${section}`}>{t(`overview.${section}.title`)}</h2>
      <p>{t(`overview.${section}.lead`, { percent: n(thresholdPercent) })}</p>
      {rows.length === 0 ? (
        <p className="muted">{t(`overview.${section}.empty`)}</p>
      ) : (
        <>
          <DataTable id={table} caption={caption}>
            <thead>
              <tr>
                <th scope="col">{t(`overview.columns.${kind}`)}</th>
                {headers.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} {...{ [`data-${kind}-id`]: r.id }}>
                  <th scope="row">
                    <Link to={`/${plural}/${r.id}`} lang={r.language !== locale ? r.language : undefined}>
                      {r.title}
                    </Link>
                  </th>
                  {r.cells.map((cell, i) => (
                    <td key={i}>{cell}</td>
                  ))}
                  <td>
                    <Score percent={r.bestPercent} />
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          <Shown shown={rows.length} total={total} />
          <CsvLink table={table} query={query} caption={t(`overview.${section}.title`)} />
        </>
      )}
    </section>
  );
}

export default function Overview() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="overview">
      <h1>{t("overview.title")}</h1>
      <p className="lead">{t("overview.lead")}</p>
      <FilterForm values={page.values} errors={page.ok ? {} : page.errors} choices={page.choices} />
      {page.ok ? <Tables page={page} /> : null}
    </div>
  );
}

function Tables({ page }: { page: Extract<OverviewPage, { ok: true }> }) {
  const { t } = useTranslation();
  const { locale, n, month } = useFormat();
  const { data: d, query, pageRows, steps } = page;
  const caption = {
    month: t("overview.funnel.byMonth", { from: month(d.filter.from), to: month(d.filter.to) }),
    administration: t("overview.funnel.byAdministration"),
    district: t("overview.funnel.byDistrict"),
    challenges: t("overview.unmet.caption", { count: d.unmetChallenges.length, formatted: n(d.unmetChallenges.length) }),
    solutions: t("overview.unfound.caption", { count: d.unfoundSolutions.length, formatted: n(d.unfoundSolutions.length) }),
    dismissals: t("overview.dismissals.caption"),
  };
  const challenges = d.unmetChallenges.slice(0, pageRows);
  const solutions = d.unfoundSolutions.slice(0, pageRows);
  return (
    <>
      <section aria-labelledby="overview-funnel" className="overview-section">
        <h2 id="overview-funnel">{t("overview.funnel.title")}</h2>
        <p>{t("overview.funnel.lead", { percent: n(d.thresholdPercent) })}</p>
        <FunnelTable
          id="funnel-by-month"
          caption={caption.month}
          steps={steps}
          first={t("overview.columns.month")}
          rows={d.funnel.byMonth.map((r) => ({ key: r.period, label: <time dateTime={r.period}>{month(r.period)}</time>, counts: r.counts }))}
          total={d.funnel.total}
        />
        <CsvLink table="funnel-by-month" query={query} caption={caption.month} />
        <FunnelTable
          id="funnel-by-administration"
          caption={caption.administration}
          steps={steps}
          first={t("overview.columns.administration")}
          rows={d.funnel.byAdministration.map((r) => ({ key: String(r.id), label: r.name, counts: r.counts }))}
          total={d.funnel.total}
        />
        <CsvLink table="funnel-by-administration" query={query} caption={caption.administration} />
        <p>{t("overview.funnel.districtNote")}</p>
        <FunnelTable
          id="funnel-by-district"
          caption={caption.district}
          steps={steps}
          first={t("overview.columns.district")}
          rows={d.funnel.byDistrict.map((r) => ({ key: r.code, label: r.name, counts: r.counts }))}
        />
        <CsvLink table="funnel-by-district" query={query} caption={caption.district} />
        <CsvLink table="funnel-detail" query={query} caption={t("overview.funnel.detail")} />
      </section>

      <UnpairedSection
        section="unmet"
        kind="challenge"
        caption={caption.challenges}
        headers={[t("overview.columns.administration"), t("overview.columns.districts"), t("overview.columns.status"), t("overview.columns.published"), t("overview.columns.best")]}
        rows={challenges.map((c) => ({
          ...c,
          cells: [c.administration, c.districts.join(", "), t(`status.${c.status}`), c.publishedAt ? formatDate(c.publishedAt, locale) : "–"],
        }))}
        total={d.unmetChallenges.length}
        thresholdPercent={d.thresholdPercent}
        query={query}
      />

      <UnpairedSection
        section="unfound"
        kind="solution"
        caption={caption.solutions}
        headers={[t("overview.columns.organisation"), t("overview.columns.districts"), t("overview.columns.published"), t("overview.columns.bestPlace")]}
        rows={solutions.map((s) => ({ ...s, cells: [s.organisation, s.districts.join(", "), s.publishedAt ? formatDate(s.publishedAt, locale) : "–"] }))}
        total={d.unfoundSolutions.length}
        thresholdPercent={d.thresholdPercent}
        query={query}
      />

      <section aria-labelledby="overview-dismissals" className="overview-section">
        <h2 id="overview-dismissals">{t("overview.dismissals.title")}</h2>
        <p>{t("overview.dismissals.lead")}</p>
        <DataTable id="dismissals" caption={caption.dismissals}>
          <thead>
            <tr>
              <th scope="col">{t("overview.columns.reason")}</th>
              <th scope="col">{t("overview.columns.count")}</th>
              <th scope="col">{t("overview.columns.share")}</th>
            </tr>
          </thead>
          <tbody>
            {d.dismissals.rows.map((r) => (
              <tr key={r.code ?? ""} data-reason={r.code ?? ""}>
                <th scope="row">{r.label}</th>
                <td>{n(r.count)}</td>
                <td>{d.dismissals.total > 0 ? t("overview.percent", { percent: n(Math.round((r.count / d.dismissals.total) * 100)) }) : "–"}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("overview.total")}</th>
              <td>{n(d.dismissals.total)}</td>
              <td>{d.dismissals.total > 0 ? t("overview.percent", { percent: n(100) }) : "–"}</td>
            </tr>
          </tfoot>
        </DataTable>
        <CsvLink table="dismissals" query={query} caption={caption.dismissals} />
      </section>
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
