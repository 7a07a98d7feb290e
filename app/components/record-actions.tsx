// The controls on a challenge's or solution's page for signed-in people and everyone: follow,
// propose, answer proposals, report a text, and unpublish it (administrators).
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { moderationSchema } from "../forms/moderation";
import { proposalSchema } from "../forms/proposal";
import { answerSchema } from "../forms/proposal-answer";
import { reportSchema } from "../forms/report";
import { formOptions } from "../lib/forms";
import { formatDate } from "../lib/format";
import type { Locale } from "../i18n";
import { ErrorSummary, FormActions, SelectField, TextArea } from "./form-fields";

type Result = SubmissionResult<string[]> | null | undefined;

export function FollowButton({ following }: { following: boolean }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="inline-form">
      <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className="button" aria-pressed={following}>
        {following ? t("follow.stop") : t("follow.start")}
      </button>
    </Form>
  );
}

export function ProposeForm({ solutions, lastResult }: { solutions: Array<{ value: string; label: string }>; lastResult: Result }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "propose",
    lastResult,
    ...formOptions(proposalSchema),
  });
  return (
    <section className="panel" aria-labelledby="propose-title">
      <h2 id="propose-title">{t("proposal.title")}</h2>
      <p>{t("proposal.lead")}</p>
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary
          formErrors={form.errors}
          fields={[
            { field: fields.solution, label: t("proposal.solution") },
            { field: fields.pitch, label: t("proposal.pitch") },
          ]}
        />
        <input type="hidden" name="intent" value="propose" />
        <SelectField field={fields.solution} label={t("proposal.solution")} options={solutions} />
        <TextArea field={fields.pitch} label={t("proposal.pitch")} hint={t("proposal.pitchHint")} rows={5} />
        <FormActions>
          <button type="submit" className="button primary">
            {t("proposal.submit")}
          </button>
        </FormActions>
      </Form>
    </section>
  );
}

function AnswerForm({ proposalId, lastResult }: { proposalId: number; lastResult: Result }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `answer-${proposalId}`,
    lastResult: lastResult?.initialValue?.proposal === String(proposalId) ? lastResult : undefined,
    ...formOptions(answerSchema),
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <ErrorSummary fields={[{ field: fields.answer, label: t("proposal.answer") }]} />
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="proposal" value={proposalId} />
      <TextArea field={fields.answer} label={t("proposal.answer")} rows={3} />
      <FormActions>
        <button type="submit" name="decision" value="accepted" className="button primary">
          {t("proposal.accept")}
        </button>
        <button type="submit" name="decision" value="declined" className="button">
          {t("proposal.decline")}
        </button>
      </FormActions>
    </Form>
  );
}

export interface ProposalItem {
  id: number;
  solutionId: number;
  solution: string;
  organisation: string;
  pitch: string;
  status: string;
  answer: string | null;
  createdAt: string;
}

export function ProposalList({ proposals, canAnswer, lastResult }: { proposals: ProposalItem[]; canAnswer: boolean; lastResult: Result }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="proposals-title" id="proposals">
      <h2 id="proposals-title">{t("proposal.listTitle")}</h2>
      {proposals.length === 0 ? <p className="muted">{t("me.noProposals")}</p> : null}
      <ol className="proposals">
        {proposals.map((p) => (
          <li key={p.id} data-proposal-id={p.id} className="proposal">
            <h3>
              <a href={`/solutions/${p.solutionId}`}>{p.solution}</a> <span className="muted">– {p.organisation}</span>
            </h3>
            <p className="muted">
              {formatDate(p.createdAt, i18n.language as Locale)} · <strong>{t(`proposal.status.${p.status}`)}</strong>
            </p>
            <p className="pre">{p.pitch}</p>
            {p.answer ? (
              <p>
                <strong>{t("proposal.answerLabel")}</strong> {p.answer}
              </p>
            ) : null}
            {canAnswer && p.status === "sent" ? <AnswerForm proposalId={p.id} lastResult={lastResult} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Report this text": open to everyone, folded away until needed. */
export function ReportForm({ lastResult }: { lastResult: Result }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "report",
    lastResult,
    ...formOptions(reportSchema),
  });
  return (
    <details className="report" open={Boolean(fields.reason.errors || form.errors)}>
      <summary>{t("report.open")}</summary>
      <Form method="post" {...getFormProps(form)}>
        <ErrorSummary formErrors={form.errors} fields={[{ field: fields.reason, label: t("report.reason") }]} />
        <input type="hidden" name="intent" value="report" />
        <TextArea field={fields.reason} label={t("report.reason")} hint={t("report.hint")} rows={3} />
        <FormActions>
          <button type="submit" className="button">
            {t("report.submit")}
          </button>
        </FormActions>
      </Form>
    </details>
  );
}

export function ModerationForm({ unpublished, lastResult }: { unpublished: boolean; lastResult: Result }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "moderate",
    lastResult,
    ...formOptions(moderationSchema),
  });
  return (
    <section className="panel" aria-labelledby="moderation-title">
      <h2 id="moderation-title">{t("moderation.title")}</h2>
      {unpublished ? (
        <Form method="post">
          <button type="submit" name="intent" value="republish" className="button">
            {t("moderation.republish")}
          </button>
        </Form>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="unpublish" />
          <TextArea field={fields.reason} label={t("moderation.reason")} hint={t("moderation.reasonHint")} rows={3} />
          <FormActions>
            <button type="submit" className="button">
              {t("moderation.unpublish")}
            </button>
          </FormActions>
        </Form>
      )}
    </section>
  );
}
