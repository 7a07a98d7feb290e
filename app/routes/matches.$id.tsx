// One match: both records, why they were paired, where the match stands, and (for community
// managers) the next action: introduce the parties, record a meeting, a pilot, an agreement with
// its procurement route, the outcome against the challenge's own measures, or end it with a
// reason. Notes, the next step and the audit trail of every change sit beside it. The parties
// see their own match, and each other's contact details once both have confirmed interest.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { FailureSummary, PlainField, RecordSideView, StageBadge, type FormFailure } from "../components/curation-ui";
import { Notice } from "../components/notice";
import { ReasonList } from "../components/suggestion-list";
import type { Locale } from "../i18n";
import { requireUser } from "../accounts/auth.server";
import { actOnMatch, matchPage } from "../curation/match-page.server";
import { formatDate } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { isSettled } from "../../db/rules/matches";
import { pageMeta } from "../lib/meta";
import { parseId } from "../lib/params";
import { DataTable } from "../components/data-table";

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "match.title" }), { name: "robots", content: "noindex" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return matchPage(context, user, parseId(params.id), await localeOf(request));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = parseId(params.id);
  const form = Object.fromEntries(await request.formData());
  const outcome = await actOnMatch(context, user, id, form);
  if (!outcome.ok) {
    const values = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"));
    return data({ error: outcome.error, fields: outcome.fields, form: String(form.intent ?? ""), values } satisfies FormFailure, { status: outcome.status });
  }
  return redirect(`/matches/${id}?notice=${outcome.notice}`);
}

function AuditTrail() {
  const { audit } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const describe = (a: (typeof audit)[number]) => {
    const d = a.detail as Record<string, string | number | null | undefined>;
    switch (a.action) {
      case "stage":
        return t("match.audit.stage", { from: t(`curation.stage.${d.from}`), to: t(`curation.stage.${d.to}`) });
      case "dismissed":
        return t("match.audit.dismissed", { reason: t(`curationCodes.dismiss.${d.reason}`) });
      case "confirmed":
        return t("match.audit.confirmed", { party: t(`curation.side.${d.party}`) });
      case "next_step":
        return t("match.audit.next_step", { step: d.nextStep ?? "–", due: d.due ? formatDate(String(d.due), locale) : "–" });
      default:
        return t(`match.audit.${a.action}`);
    }
  };
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("match.auditTitle")}</h2>
      <DataTable caption={t("match.auditTitle")} captionHidden>
        <thead>
          <tr>
            <th scope="col">{t("match.auditWhen")}</th>
            <th scope="col">{t("match.auditWho")}</th>
            <th scope="col">{t("match.auditWhat")}</th>
            <th scope="col">{t("match.auditWhy")}</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((a) => (
            <tr key={a.id} data-audit-action={a.action}>
              <td>{formatDate(a.at, locale)}</td>
              <td>{a.actor ?? t("match.auditSystem")}</td>
              <td>{describe(a)}</td>
              <td className="pre">{a.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </section>
  );
}

function Actions({ failure }: { failure: FormFailure | undefined }) {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { match } = data;
  const shown = (form: string) => (failure?.form === form ? failure : undefined);
  const stageFailure = shown("stage");
  const next = match.nextStages;
  return (
    <section className="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("match.actionsTitle")}</h2>
      <FailureSummary failure={shown("introduce")} labels={{}} idPrefix="introduce" />
      {match.stage === "accepted" ? (
        <Form method="post">
          <p>{t("match.introduceLead")}</p>
          <input type="hidden" name="version" value={match.version} />
          <button type="submit" name="intent" value="introduce" className="button primary">
            {t("match.introduce")}
          </button>
        </Form>
      ) : null}
      {next.length > 0 ? (
        <Form method="post" className="stage-form">
          <h3>{t("match.advanceTitle")}</h3>
          <FailureSummary
            failure={stageFailure}
            labels={{ to: t("match.to"), route: t("match.route"), outcomeResult: t("match.outcomeResult"), agreementNote: t("match.agreementNote") }}
            idPrefix="stage"
          />
          <input type="hidden" name="version" value={match.version} />
          <PlainField idPrefix="stage" name="to" label={t("match.to")} failure={stageFailure}>
            {(p) => (
              <select {...p} defaultValue={stageFailure?.values?.to ?? next[0]}>
                {next.map((s) => (
                  <option key={s} value={s}>
                    {t(`curation.stage.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </PlainField>
          {next.includes("agreement") ? (
            <PlainField idPrefix="stage" name="route" label={t("match.route")} hint={t("match.routeHint")} failure={stageFailure}>
              {(p) => (
                <select {...p} defaultValue={stageFailure?.values?.route ?? ""}>
                  <option value="">{t("form.chooseOption")}</option>
                  {data.routes.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
              )}
            </PlainField>
          ) : null}
          {next.includes("agreement") ? (
            <PlainField idPrefix="stage" name="agreementNote" label={t("match.agreementNote")} failure={stageFailure}>
              {(p) => <textarea {...p} rows={2} defaultValue={stageFailure?.values?.agreementNote ?? ""} />}
            </PlainField>
          ) : null}
          {next.includes("outcome") ? (
            <PlainField
              idPrefix="stage"
              name="outcomeResult"
              label={t("match.outcomeResult")}
              hint={data.challenge.outcomeMeasure ? t("match.outcomeHint", { measure: data.challenge.outcomeMeasure }) : t("match.outcomeHintNone")}
              failure={stageFailure}
            >
              {(p) => <textarea {...p} rows={3} defaultValue={stageFailure?.values?.outcomeResult ?? ""} />}
            </PlainField>
          ) : null}
          <PlainField idPrefix="stage" name="note" label={t("match.why")} failure={stageFailure}>
            {(p) => <textarea {...p} rows={2} defaultValue={stageFailure?.values?.note ?? ""} />}
          </PlainField>
          <button type="submit" name="intent" value="stage" className="button primary">
            {t("match.advance")}
          </button>
        </Form>
      ) : null}
      {!isSettled(match.stage) ? (
        <details className="end-match" open={Boolean(shown("end"))}>
          <summary>{t("match.end")}</summary>
          <Form method="post">
            <FailureSummary failure={shown("end")} labels={{ endReason: t("match.endReason") }} idPrefix="end" />
            <input type="hidden" name="version" value={match.version} />
            <PlainField idPrefix="end" name="endReason" label={t("match.endReason")} failure={shown("end")}>
              {(p) => (
                <select {...p} defaultValue={shown("end")?.values?.endReason ?? ""}>
                  <option value="">{t("form.chooseOption")}</option>
                  {data.endReasons.map((r) => (
                    <option key={r} value={r}>
                      {t(`curationCodes.end.${r}`)}
                    </option>
                  ))}
                </select>
              )}
            </PlainField>
            <PlainField idPrefix="end" name="note" label={t("match.why")} failure={shown("end")}>
              {(p) => <textarea {...p} rows={2} defaultValue={shown("end")?.values?.note ?? ""} />}
            </PlainField>
            <button type="submit" name="intent" value="end" className="button">
              {t("match.endSubmit")}
            </button>
          </Form>
        </details>
      ) : null}
      <Form method="post" className="next-step-form">
        <h3>{t("match.nextStepTitle")}</h3>
        <FailureSummary failure={shown("nextStep")} labels={{ nextStep: t("match.nextStep"), due: t("match.due") }} idPrefix="next" />
        <input type="hidden" name="version" value={match.version} />
        <PlainField idPrefix="next" name="nextStep" label={t("match.nextStep")} failure={shown("nextStep")}>
          {(p) => <input {...p} type="text" maxLength={500} defaultValue={shown("nextStep")?.values?.nextStep ?? match.nextStep ?? ""} />}
        </PlainField>
        <PlainField idPrefix="next" name="due" label={t("match.due")} hint={t("match.dueHint")} failure={shown("nextStep")}>
          {(p) => <input {...p} type="date" defaultValue={shown("nextStep")?.values?.due ?? match.nextStepDue ?? ""} />}
        </PlainField>
        <button type="submit" name="intent" value="nextStep" className="button">
          {t("match.saveNextStep")}
        </button>
      </Form>
      <Form method="post" className="note-form">
        <h3>{t("match.notesTitle")}</h3>
        <FailureSummary failure={shown("note")} labels={{ body: t("match.noteBody") }} idPrefix="note" />
        <PlainField idPrefix="note" name="body" label={t("match.noteBody")} failure={shown("note")}>
          {(p) => <textarea {...p} rows={3} defaultValue={shown("note")?.values?.body ?? ""} />}
        </PlainField>
        <button type="submit" name="intent" value="note" className="button">
          {t("match.addNote")}
        </button>
      </Form>
      {data.notes.length > 0 ? (
        <ul className="notes">
          {data.notes.map((n) => (
            <li key={n.id}>
              <p className="muted">
                {n.author ?? t("match.auditSystem")}, <FormattedDate value={n.created_at} />
              </p>
              <p className="pre">{n.body}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function FormattedDate({ value }: { value: string }) {
  const { i18n } = useTranslation();
  return <>{formatDate(value, i18n.language as Locale)}</>;
}

export default function MatchPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const { match } = data;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/matches">{t("match.back")}</Link>
      </p>
      <h1>
        {t("match.title")} <StageBadge stage={match.stage} />
      </h1>
      <Notice />
      {data.challenge.closed ? <p className="notice warning">{t("match.challengeClosed")}</p> : null}
      {data.solution.archived ? <p className="notice warning">{t("match.solutionArchived")}</p> : null}
      <dl className="facts facts-grid">
        <dt>{t("match.origin")}</dt>
        <dd>{t(`match.originKind.${match.origin}`)}</dd>
        <dt>{t("match.since")}</dt>
        <dd>{formatDate(match.createdAt, locale)}</dd>
        {match.percent !== null ? (
          <>
            <dt>{t("match.score")}</dt>
            <dd>{t("suggestions.score", { percent: match.percent })}</dd>
          </>
        ) : null}
        {match.nextStep || match.nextStepDue ? (
          <>
            <dt>{t("match.nextStep")}</dt>
            <dd>
              {match.nextStep ?? ""} {match.nextStepDue ? `(${formatDate(match.nextStepDue, locale)})` : ""}
            </dd>
          </>
        ) : null}
        {match.route ? (
          <>
            <dt>{t("match.route")}</dt>
            <dd>{match.route}</dd>
          </>
        ) : null}
        {match.agreementNote ? (
          <>
            <dt>{t("match.agreementNote")}</dt>
            <dd className="pre">{match.agreementNote}</dd>
          </>
        ) : null}
        {match.outcomeResult ? (
          <>
            <dt>{t("match.outcomeResult")}</dt>
            <dd className="pre">{match.outcomeResult}</dd>
          </>
        ) : null}
        {match.stage === "ended" && match.endReason ? (
          <>
            <dt>{t("match.endReason")}</dt>
            <dd>
              {t(`curationCodes.end.${match.endReason}`)}
              {match.endedAtStage ? ` (${t("match.endedAt", { stage: t(`curation.stage.${match.endedAtStage}`) })})` : ""}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="pair">
        <RecordSideView side={data.challenge} kind="challenge" headingLevel={2} />
        <RecordSideView side={data.solution} kind="solution" headingLevel={2} />
      </div>
      <section aria-labelledby="why-title" className="match-why">
        <h2 id="why-title">{t("suggestions.why")}</h2>
        <ReasonList reasons={match.reasons} labelledBy="why-title" />
      </section>
      <section className="panel" aria-labelledby="intro-title">
        <h2 id="intro-title">{t("match.introductionTitle")}</h2>
        {data.confirmations.length === 0 ? (
          <p>{t("match.notIntroduced")}</p>
        ) : (
          <ul>
            {data.confirmations.map((c) => (
              <li key={c.party} data-confirmation={c.party} data-confirmed={c.confirmedAt ? "yes" : "no"}>
                {t(`curation.side.${c.party}`)}:{" "}
                {c.confirmedAt ? t("match.confirmedOn", { date: formatDate(c.confirmedAt, locale) }) : t("match.awaiting", { date: formatDate(c.sentAt, locale) })}
              </li>
            ))}
          </ul>
        )}
        {data.contacts.length > 0 ? (
          <>
            <h3>{t("match.contacts")}</h3>
            <ul className="contacts">
              {data.contacts.map((c) => (
                <li key={c.party}>
                  {t(`curation.side.${c.party}`)}: {c.name} – <a href={`mailto:${c.email}`}>{c.email}</a>
                </li>
              ))}
            </ul>
          </>
        ) : data.isParty && data.confirmations.length > 0 ? (
          <p className="muted">{t("match.contactsAfterBoth")}</p>
        ) : null}
      </section>
      {data.canAct ? <Actions failure={failure} /> : null}
      <AuditTrail />
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
