import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { Markdown } from "../components/markdown";
import { TagList } from "../components/tag-list";
import type { Locale } from "../i18n";
import { loadSolutionDetail } from "../records/detail.server";
import { parseId } from "../lib/params";
import { formatDate } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta, publicPageMeta } from "../lib/meta";
import { ModerationForm, ReportForm } from "../components/record-actions";
import { Notice } from "../components/notice";
import { currentUser, viewerOf } from "../accounts/auth.server";
import { solutionExtras } from "../records/interactions.server";
import { handleRecordIntent } from "../records/record-intents.server";
import { solutionSuggestions } from "../curation/suggestions.server";
import { SuggestionSection } from "../components/suggestion-list";
import { retryAfterHeaders } from "../lib/route-headers";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const locale = await localeOf(request);
  const solution = await loadSolutionDetail(context.db, id, await viewerOf(request, context), locale);
  const user = await currentUser(request, context);
  return {
    solution,
    extras: await solutionExtras(context, user, id),
    // null for everyone who may not see the matcher's suggestions (the public above all).
    suggestions: await solutionSuggestions(context.db, user, id, locale),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleRecordIntent(request, context, "solution", parseId(params.id));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? publicPageMeta(matches, `/solutions/${data.solution.id}`, { text: data.solution.title }, { text: data.solution.summary })
    : pageMeta(matches, { key: "error.notFound.title" });
export const headers = retryAfterHeaders;

export default function SolutionDetail() {
  const { solution: s, extras, suggestions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (form: string) => (actionData && "form" in actionData && actionData.form === form ? actionData.result : undefined);
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const lang = s.language !== locale ? s.language : undefined;
  return (
    <article className="detail" aria-labelledby="detail-title">
      <p className="breadcrumbs">
        <Link to="/solutions">{t("detail.backToSolutions")}</Link>
      </p>
      <Notice />
      {extras?.moderationReason ? (
        <p className="notice" role="note">
          <strong>{t("moderation.unpublishedNotice")}</strong> {extras.moderationReason}
        </p>
      ) : null}
      <div className="detail-head">
        <span className={`badge status-${s.status}`}>{t(`status.${s.status}`)}</span>
        <span className="badge stage">{t(`stage.${s.stage}`)}</span>
        <span className="muted">{s.organisation.name}</span>
      </div>
      <h1 id="detail-title" lang={lang}>
        {s.title}
      </h1>
      <p className="lead" lang={lang}>
        {s.summary}
      </p>
      {extras && (extras.canEdit || extras.author) ? (
        <div className="record-toolbar">
          {extras.canEdit ? (
            <Link to={`/solutions/${s.id}/edit`} className="button">
              {t("record.edit")}
            </Link>
          ) : null}
          {extras.author ? <span className="muted">{t("record.writtenBy", { name: extras.author })}</span> : null}
        </div>
      ) : null}
      {s.status === "archived" ? (
        <p className="notice" role="note">
          {t("detail.archived")}
        </p>
      ) : null}
      <div className="detail-body">
        <div className="detail-main">
          <h2>{t("detail.description")}</h2>
          <Markdown lang={lang}>{s.description}</Markdown>
          {s.evidence ? (
            <>
              <h2>{t("detail.evidence")}</h2>
              <p lang={lang}>{s.evidence}</p>
            </>
          ) : null}
          {s.priceModel ? (
            <>
              <h2>{t("detail.priceModel")}</h2>
              <p lang={lang}>{s.priceModel}</p>
            </>
          ) : null}
          {suggestions ? <SuggestionSection items={suggestions} for="solution" /> : null}
          {extras?.canModerate ? <ModerationForm unpublished={Boolean(extras.moderationReason)} lastResult={resultFor("unpublish")} /> : null}
          {s.status !== "draft" ? <ReportForm lastResult={resultFor("report")} /> : null}
        </div>
        <aside className="detail-side" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("detail.facts")}</h2>
          <dl className="facts">
            <dt>{t("detail.organisation")}</dt>
            <dd>
              {s.organisation.name}
              <br />
              <span className="muted">{t(`organisationKind.${s.organisation.kind}`)}</span>
            </dd>
            <dt>{t("detail.rsv")}</dt>
            <dd>{t(`detail.rsvStatus.${s.organisation.rsv ?? "none"}`)}</dd>
            <dt>{t("detail.stage")}</dt>
            <dd>{t(`stage.${s.stage}`)}</dd>
            {s.publishedAt ? (
              <>
                <dt>{t("detail.published")}</dt>
                <dd>{formatDate(s.publishedAt, locale)}</dd>
              </>
            ) : null}
          </dl>
          <TagList tags={s.tags} />
          <section className="contact" aria-labelledby="contact-title">
            <h2 id="contact-title">{t("detail.contact")}</h2>
            {s.organisation.description ? <p>{s.organisation.description}</p> : null}
            {s.organisation.website ? (
              <p>
                <a href={s.organisation.website} rel="nofollow noopener noreferrer">
                  {s.organisation.website.replace(/^https?:\/\//, "")}
                </a>
              </p>
            ) : null}
            {s.organisation.contactEmail ? (
              <p>
                <a href={`mailto:${s.organisation.contactEmail}`}>{s.organisation.contactEmail}</a>
              </p>
            ) : null}
          </section>
        </aside>
      </div>
    </article>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
