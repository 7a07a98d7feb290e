import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "../lib/translation";
import { isMatchableChallenge } from "../../db/rules/matches";
import { Markdown } from "../components/markdown";
import { TagList } from "../components/tag-list";
import type { Locale } from "../i18n";
import { loadChallengeDetail } from "../records/detail.server";
import { parseId } from "../lib/params";
import { formatDate, formatDkk } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta, publicPageMeta } from "../lib/meta";
import { FollowButton, ModerationForm, ProposalList, ProposeForm, ReportForm } from "../components/record-actions";
import { Notice } from "../components/notice";
import { currentUser, viewerOf } from "../accounts/auth.server";
import { challengeExtras } from "../records/interactions.server";
import { handleRecordIntent } from "../records/record-intents.server";
import { challengeSuggestions } from "../curation/suggestions.server";
import { SuggestionSection } from "../components/suggestion-list";
import { retryAfterHeaders } from "../lib/route-headers";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const locale = await localeOf(request);
  const challenge = await loadChallengeDetail(context.db, id, await viewerOf(request, context), locale);
  const user = await currentUser(request, context);
  return {
    challenge,
    extras: await challengeExtras(context, user, id),
    // null for everyone who may not see the matcher's suggestions (the public above all).
    suggestions: await challengeSuggestions(context.db, user, id, locale),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleRecordIntent(request, context, "challenge", parseId(params.id));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? publicPageMeta(matches, `/challenges/${data.challenge.id}`, { text: data.challenge.title }, { text: data.challenge.summary })
    : pageMeta(matches, { key: "error.notFound.title" });
export const headers = retryAfterHeaders;

function budget(min: number | null, max: number | null, locale: Locale, t: TFunction) {
  if (min !== null && max !== null) return t("detail.budgetRange", { min: formatDkk(min, locale), max: formatDkk(max, locale) });
  if (max !== null) return t("detail.budgetUpTo", { max: formatDkk(max, locale) });
  if (min !== null) return t("detail.budgetFrom", { min: formatDkk(min, locale) });
  return null;
}

export default function ChallengeDetail() {
  const { challenge: c, extras, suggestions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (form: string) => (actionData && "form" in actionData && actionData.form === form ? actionData.result : undefined);
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const lang = c.language !== locale ? c.language : undefined;
  const budgetText = budget(c.budgetMinDkk, c.budgetMaxDkk, locale, t);
  return (
    <article className="detail" aria-labelledby="detail-title">
      <p className="breadcrumbs">
        <Link to="/challenges">{t("detail.backToChallenges")}</Link>
      </p>
      <Notice />
      {extras?.moderationReason ? (
        <p className="notice" role="note">
          <strong>{t("moderation.unpublishedNotice")}</strong> {extras.moderationReason}
        </p>
      ) : null}
      <div className="detail-head">
        <span className={`badge status-${c.status}`}>{t(`status.${c.status}`)}</span>
        <span className="muted">{c.owner}</span>
      </div>
      <h1 id="detail-title" lang={lang}>
        {c.title}
      </h1>
      <p className="lead" lang={lang}>
        {c.summary}
      </p>
      {extras ? (
        <div className="record-toolbar">
          {extras.canEdit ? (
            <Link to={`/challenges/${c.id}/edit`} className="button">
              {t("record.edit")}
            </Link>
          ) : null}
          <FollowButton following={extras.following} />
          {extras.author ? <span className="muted">{t("record.writtenBy", { name: extras.author })}</span> : null}
        </div>
      ) : null}
      <div className="detail-body">
        <div className="detail-main">
          <h2>{t("detail.description")}</h2>
          <Markdown lang={lang}>{c.description}</Markdown>
          {c.outcomeHoped ? (
            <>
              <h2>{t("detail.outcomeHoped")}</h2>
              <p lang={lang}>{c.outcomeHoped}</p>
            </>
          ) : null}
          {c.outcomeMeasure ? (
            <>
              <h2>{t("detail.outcomeMeasure")}</h2>
              <p lang={lang}>{c.outcomeMeasure}</p>
            </>
          ) : null}
          {suggestions ? <SuggestionSection items={suggestions} for="challenge" /> : null}
          {extras && extras.proposable.length > 0 && isMatchableChallenge(c.status) ? (
            <ProposeForm solutions={extras.proposable} lastResult={resultFor("propose")} />
          ) : null}
          {extras && (extras.proposals.length > 0 || extras.canAnswer) ? (
            <ProposalList proposals={extras.proposals} canAnswer={extras.canAnswer} lastResult={resultFor("answer")} />
          ) : null}
          {extras?.canModerate ? <ModerationForm unpublished={Boolean(extras.moderationReason)} lastResult={resultFor("unpublish")} /> : null}
          {c.status !== "draft" ? <ReportForm lastResult={resultFor("report")} /> : null}
        </div>
        <aside className="detail-side" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("detail.facts")}</h2>
          <dl className="facts">
            <dt>{t("detail.owner")}</dt>
            <dd>{c.owner}</dd>
            {c.coOwners.length > 0 ? (
              <>
                <dt>{t("detail.coOwners")}</dt>
                <dd>{c.coOwners.join(", ")}</dd>
              </>
            ) : null}
            <dt>{t("detail.deadline")}</dt>
            <dd>{c.deadline ? formatDate(c.deadline, locale) : <span className="muted">{t("detail.noDeadline")}</span>}</dd>
            <dt>{t("detail.budget")}</dt>
            <dd>{budgetText ?? <span className="muted">{t("detail.notGiven")}</span>}</dd>
            <dt>{t("detail.procurementRoute")}</dt>
            <dd>
              {c.procurementRoute ? (
                <>
                  {c.procurementRoute.name}
                  <p className="guidance">
                    <strong>{t("detail.guidanceLabel")}</strong> {c.procurementRoute.guidance}
                  </p>
                </>
              ) : (
                <span className="muted">{t("detail.notGiven")}</span>
              )}
            </dd>
            {c.publishedAt ? (
              <>
                <dt>{t("detail.published")}</dt>
                <dd>{formatDate(c.publishedAt, locale)}</dd>
              </>
            ) : null}
          </dl>
          <TagList tags={c.tags} />
          {c.contactTeam || c.contactEmail ? (
            <section className="contact" aria-labelledby="contact-title">
              <h2 id="contact-title">{t("detail.contact")}</h2>
              {c.contactTeam ? <p>{c.contactTeam}</p> : null}
              {c.contactEmail ? (
                <p>
                  <a href={`mailto:${c.contactEmail}`}>{c.contactEmail}</a>
                </p>
              ) : null}
            </section>
          ) : null}
        </aside>
      </div>
    </article>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
