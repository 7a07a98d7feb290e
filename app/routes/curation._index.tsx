// The community managers' queue: the matcher's suggestions nobody has decided on, strongest
// and newest first, in the curator's own districts and administrations unless they ask for
// all. Each is decided where it stands: with JavaScript the card leaves the list and focus
// moves to the next one; without, the form posts and the queue comes back with the same filters.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useFetcher, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { ErrorPage } from "../root";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "../lib/translation";
import { FailureSummary, PlainField, RecordSideView, type FormFailure } from "../components/curation-ui";
import { useErrorText } from "../components/form-fields";
import { Notice } from "../components/notice";
import { ReasonList } from "../components/suggestion-list";
import type { Locale } from "../i18n";
import { DISMISS_REASONS } from "../curation/curation-codes";
import { requireCurator } from "../accounts/auth.server";
import { queueFilterSchema } from "../forms/curation-queue";
import { decide, loadQueue, pairChoices } from "../curation/queue.server";
import type { QueueItem } from "../curation/parties.server";
import { formatDate, formatNumber } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { safeRedirect } from "../lib/redirects";

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "curation.title" }), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireCurator(request, context);
  const locale = await localeOf(request);
  const url = new URL(request.url);
  const parsed = queueFilterSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    // A hand-edited address: say so on the page, with a way back to the plain queue.
    throw data({ invalidFilter: true }, { status: 400 });
  }
  const queue = await loadQueue(context, user, parsed.data, locale);
  return { ...queue, filter: parsed.data, choices: await pairChoices(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireCurator(request, context);
  const form = Object.fromEntries(await request.formData());
  const outcome = await decide(context, user, form);
  const target = safeRedirect(form.back, "/curation").split("#")[0]!;
  const back = target === "/curation" || target.startsWith("/curation?") ? target : "/curation";
  if (!outcome.ok) {
    const values = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"));
    return data({ error: outcome.error, fields: outcome.fields, form: String(form.intent === "add" ? "add" : `${form.challenge}-${form.solution}`), values } satisfies FormFailure, { status: outcome.status });
  }
  // A fetcher (JavaScript) stays on the page; a plain post comes back to the same queue.
  if (form.js === "1") return data({ ok: true as const, notice: outcome.notice, matchId: outcome.matchId });
  if (outcome.matchId && form.intent === "add") return redirect(`/matches/${outcome.matchId}?notice=${outcome.notice}`);
  const sep = back.includes("?") ? "&" : "?";
  return redirect(`${back}${sep}notice=${outcome.notice}`);
}

function QueueCard({ item, back, failure, index }: { item: QueueItem; back: string; failure: FormFailure | undefined; index: number }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const fetcher = useFetcher<{ ok: true; notice: string } | FormFailure>();
  const key = `${item.challenge.id}-${item.solution.id}`;
  const idPrefix = `d-${key}`;
  const fetched = fetcher.data && "error" in fetcher.data ? { ...fetcher.data, form: key } : undefined;
  const shownFailure = fetched ?? (failure?.form === key ? failure : undefined);
  const decided = Boolean(fetcher.data && "ok" in fetcher.data);
  const headingId = `pair-${key}`;
  const ref = useRef<HTMLLIElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (!decided) return;
    // The decided pair leaves the list: focus goes to the next pair's heading (or the list's
    // heading when it was the last), before the queue is reloaded without it.
    const next = ref.current?.nextElementSibling?.querySelector<HTMLElement>("[data-pair-heading]");
    (next ?? document.getElementById("queue-title"))?.focus();
  }, [decided]);
  if (decided) {
    return (
      <li ref={ref} className="queue-item decided">
        <p className="sr-only" role="status">
          {t(`notice.${(fetcher.data as { notice: string }).notice}`)}
        </p>
      </li>
    );
  }
  const busy = fetcher.state !== "idle";
  // Only a hydrated page decides in place; without JavaScript the form posts and redirects.
  const js = hydrated ? <input type="hidden" name="js" value="1" /> : null;
  return (
    <li ref={ref} className="card queue-item" data-pair={key} aria-labelledby={headingId}>
      <h2 id={headingId} className="queue-item-title" tabIndex={-1} data-pair-heading>
        <span className="sr-only">{t("curation.pairNumber", { n: index + 1 })} </span>
        {t("curation.score", { percent: formatNumber(item.percent, locale) })}
      </h2>
      <p className="muted">{t("curation.suggestedAt", { date: formatDate(item.computedAt, locale) })}</p>
      <div className="pair">
        <RecordSideView side={item.challenge} kind="challenge" />
        <RecordSideView side={item.solution} kind="solution" />
      </div>
      <h3 className="why-title">{t("suggestions.why")}</h3>
      <ReasonList reasons={item.reasons} />
      <FailureSummary failure={shownFailure} labels={{ reason: t("curation.dismissReason"), note: t("curation.note") }} idPrefix={idPrefix} />
      <div className="decide">
        <fetcher.Form method="post" className="inline-form">
          <input type="hidden" name="challenge" value={item.challenge.id} />
          <input type="hidden" name="solution" value={item.solution.id} />
          <input type="hidden" name="back" value={back} />
          {js}
          <button type="submit" name="intent" value="accept" className="button primary" disabled={busy}>
            {t("curation.accept")}
          </button>
        </fetcher.Form>
        <details className="dismiss" open={Boolean(shownFailure)}>
          <summary>{t("curation.dismiss")}</summary>
          <fetcher.Form method="post">
            <input type="hidden" name="challenge" value={item.challenge.id} />
            <input type="hidden" name="solution" value={item.solution.id} />
            <input type="hidden" name="back" value={back} />
            {js}
            <PlainField idPrefix={idPrefix} name="reason" label={t("curation.dismissReason")} failure={shownFailure}>
              {(p) => (
                <select {...p} defaultValue={shownFailure?.values?.reason ?? ""}>
                  <option value="">{t("form.chooseOption")}</option>
                  {DISMISS_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`curationCodes.dismiss.${r}`)}
                    </option>
                  ))}
                </select>
              )}
            </PlainField>
            <PlainField idPrefix={idPrefix} name="note" label={t("curation.note")} failure={shownFailure} hint={t("curation.noteHint")}>
              {(p) => <textarea {...p} rows={2} defaultValue={shownFailure?.values?.note ?? ""} />}
            </PlainField>
            <button type="submit" name="intent" value="dismiss" className="button" disabled={busy}>
              {t("curation.dismissSubmit")}
            </button>
          </fetcher.Form>
        </details>
      </div>
    </li>
  );
}

function Filters() {
  const { filter, options } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const select = (name: string, label: string, list: Array<{ value: string; label: string }>, value: string | number | undefined, all: string) => (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} defaultValue={value === undefined ? "" : String(value)}>
        <option value="">{all}</option>
        {list.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Form method="get" className="filters panel" aria-labelledby="filters-title">
      <h2 id="filters-title">{t("curation.filters")}</h2>
      <fieldset>
        <legend>{t("curation.scope")}</legend>
        <label className="choice">
          <input type="radio" name="scope" value="mine" defaultChecked={filter.scope === "mine"} /> {t("curation.scopeMine")}
        </label>
        <label className="choice">
          <input type="radio" name="scope" value="all" defaultChecked={filter.scope === "all"} /> {t("curation.scopeAll")}
        </label>
      </fieldset>
      <div className="filter-row">
        {select("administration", t("curation.administration"), options.administrations, filter.administration, t("curation.any"))}
        {select("district", t("curation.district"), options.districts, filter.district, t("curation.any"))}
        {select("sdg", t("curation.sdg"), options.sdgs, filter.sdg, t("curation.any"))}
        <div className="field">
          <label htmlFor="f-minScore">{t("curation.minScore")}</label>
          <input id="f-minScore" name="minScore" type="number" min={0} max={100} inputMode="numeric" defaultValue={filter.minScore ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-maxAge">{t("curation.maxAge")}</label>
          <input id="f-maxAge" name="maxAge" type="number" min={1} max={3650} inputMode="numeric" defaultValue={filter.maxAge ?? ""} />
        </div>
      </div>
      <button type="submit" className="button">
        {t("curation.applyFilters")}
      </button>
    </Form>
  );
}

function AddPair({ failure }: { failure: FormFailure | undefined }) {
  const { choices } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const shown = failure?.form === "add" ? failure : undefined;
  return (
    <details className="panel add-pair" open={Boolean(shown)}>
      <summary>
        <span className="h2-like">{t("curation.addTitle")}</span>
      </summary>
      <p>{t("curation.addLead")}</p>
      <Form method="post">
        <FailureSummary failure={shown} labels={{ challenge: t("curation.side.challenge"), solution: t("curation.side.solution"), note: t("curation.note") }} idPrefix="add" />
        <PlainField idPrefix="add" name="challenge" label={t("curation.side.challenge")} failure={shown}>
          {(p) => (
            <select {...p} defaultValue={shown?.values?.challenge ?? ""}>
              <option value="">{t("form.chooseOption")}</option>
              {choices.challenges.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </PlainField>
        <PlainField idPrefix="add" name="solution" label={t("curation.side.solution")} failure={shown}>
          {(p) => (
            <select {...p} defaultValue={shown?.values?.solution ?? ""}>
              <option value="">{t("form.chooseOption")}</option>
              {choices.solutions.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </PlainField>
        <PlainField idPrefix="add" name="note" label={t("curation.note")} failure={shown} hint={t("curation.addNoteHint")}>
          {(p) => <textarea {...p} rows={2} defaultValue={shown?.values?.note ?? ""} />}
        </PlainField>
        <button type="submit" name="intent" value="add" className="button primary">
          {t("curation.addSubmit")}
        </button>
      </Form>
    </details>
  );
}

export default function CurationQueue() {
  const { items, total, pages, filter } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const kept = new URLSearchParams(params);
  kept.delete("notice");
  const back = `/curation${kept.size > 0 ? `?${kept}` : ""}`;
  const pageLink = (page: number) => {
    const next = new URLSearchParams(kept);
    next.set("page", String(page));
    return `/curation?${next}`;
  };
  return (
    <>
      <h1>{t("curation.title")}</h1>
      <Notice />
      <p className="lead">{t("curation.lead")}</p>
      <p>
        <Link to="/matches">{t("curation.toMatches")}</Link> · <Link to="/curation/overview">{t("curation.toOverview")}</Link>
      </p>
      <Filters />
      <h2 id="queue-title" tabIndex={-1}>
        {t("curation.queueTitle", { n: formatNumber(total, locale) })}
      </h2>
      {items.length === 0 ? (
        <p className="empty">{filter.scope === "mine" ? t("curation.emptyMine") : t("curation.empty")}</p>
      ) : (
        <ol className="queue" aria-labelledby="queue-title">
          {items.map((item, i) => (
            <QueueCard key={`${item.challenge.id}-${item.solution.id}`} item={item} back={back} failure={failure} index={(filter.page - 1) * 20 + i} />
          ))}
        </ol>
      )}
      {pages > 1 ? (
        <nav aria-label={t("curation.pages")} className="pagination">
          {filter.page > 1 ? <Link to={pageLink(filter.page - 1)}>{t("list.previous")}</Link> : null}
          <span>{t("curation.pageOf", { page: filter.page, pages })}</span>
          {filter.page < pages ? <Link to={pageLink(filter.page + 1)}>{t("list.next")}</Link> : null}
        </nav>
      ) : null}
      <AddPair failure={failure} />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 400 && (error.data as { invalidFilter?: boolean } | null)?.invalidFilter) return <InvalidFilter />;
  return <ErrorPage />;
}

function InvalidFilter() {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <>
      <h1>{t("curation.title")}</h1>
      <p className="notice error" role="alert">
        {text("curation.filter.invalid")}
      </p>
      <p>
        <Link to="/curation">{t("curation.resetFilters")}</Link>
      </p>
    </>
  );
}
