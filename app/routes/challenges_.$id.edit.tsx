import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { ChallengeFormView, ConflictPanel } from "../components/record-forms";
import { challengeSchema } from "../forms/challenge";
import { CHALLENGE_STATUS_CHOICES, challengeStatusSchema } from "../forms/record-status";
import { requireUser } from "../accounts/auth.server";
import { parseId } from "../lib/params";
import { localeOf } from "../lib/language.server";
import { invalidForm, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { challengeFormData, conflictOf, editableChallenge } from "../records/record-pages.server";
import { saveChallenge, setChallengeStatus } from "../records/records.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "challenge.editTitle" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const user = await requireUser(request, context);
  const record = await editableChallenge(context, user, id);
  return { record, ...(await challengeFormData(context, user, await localeOf(request))), verified: user.emailVerified };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const user = await requireUser(request, context);
  // 404 or 403 before the form is read.
  await editableChallenge(context, user, id);
  const formData = await request.formData();
  if (formData.get("intent") === "status") {
    const status = parseWithZod(formData, { schema: challengeStatusSchema });
    if (status.status !== "success") throw new Response("Bad status", { status: 400 });
    const outcome = await setChallengeStatus(context, user, id, status.value.status);
    if (!outcome.ok) throw new Response(outcome.status === 404 ? "Not found" : "Forbidden", { status: outcome.status });
    return redirect(`/challenges/${id}?notice=statusChanged`);
  }
  const submission = parseWithZod(formData, { schema: challengeSchema });
  if (submission.status !== "success") return invalidForm(submission, { around: (result) => ({ result, conflict: null }) });
  const outcome = await saveChallenge(context, user, submission.value, id);
  if (outcome.ok) return redirect(`/challenges/${id}?notice=${submission.value.intent === "publish" ? "published" : "saved"}`);
  if (outcome.status === 404) throw new Response("Not found", { status: 404 });
  const { current } = outcome;
  if (current) return refusedForm(submission, { ok: false, status: 409 }, { around: (result) => ({ result, conflict: conflictOf(current) }) });
  if (outcome.status === 403 && !outcome.formErrors) throw new Response("Forbidden", { status: 403 });
  return refusedForm(submission, outcome, { around: (result) => ({ result, conflict: null }) });
}

export default function EditChallenge() {
  const { record, options, owners, coOwners, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const isDraft = record.status === "draft";
  return (
    <div className="form-page wide">
      <p className="breadcrumbs">
        <Link to={`/challenges/${record.id}`}>{t("record.backToPage")}</Link>
      </p>
      <h1>{t("challenge.editTitle")}</h1>
      {record.moderationReason ? (
        <p className="notice" role="note">
          <strong>{t("moderation.unpublishedNotice")}</strong> {record.moderationReason}
        </p>
      ) : null}
      {actionData?.conflict ? <ConflictPanel conflict={actionData.conflict.conflict} /> : null}
      {!isDraft ? (
        <section className="panel" aria-labelledby="status-title">
          <h2 id="status-title">{t("challenge.statusTitle")}</h2>
          <p>
            {t("challenge.currentStatus")} <span className={`badge status-${record.status}`}>{t(`status.${record.status}`)}</span>
          </p>
          {verified ? (
            <Form method="post" className="status-form">
              <input type="hidden" name="intent" value="status" />
              <label htmlFor="status">{t("challenge.newStatus")}</label>{" "}
              <select id="status" name="status" defaultValue={record.status}>
                {CHALLENGE_STATUS_CHOICES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>{" "}
              <button type="submit" className="button">
                {t("challenge.changeStatus")}
              </button>
            </Form>
          ) : (
            <p>{t("record.verifyToPublish")}</p>
          )}
        </section>
      ) : null}
      <ChallengeFormView
        options={options}
        owners={record.ownershipLocked ? coOwners.filter((o) => o.value === record.defaults.owner) : owners}
        coOwners={coOwners}
        ownershipLocked={record.ownershipLocked}
        defaultValue={record.defaults}
        lastResult={actionData?.result}
        version={actionData?.conflict?.version ?? record.version}
        isDraft={isDraft}
      />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
