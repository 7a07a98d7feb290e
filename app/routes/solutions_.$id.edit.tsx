import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { ConflictPanel, SolutionFormView } from "../components/record-forms";
import { solutionSchema } from "../forms/solution";
import { solutionStatusSchema } from "../forms/record-status";
import { requireUser } from "../accounts/auth.server";
import { parseId } from "../lib/params";
import { localeOf } from "../lib/language.server";
import { invalidForm, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { conflictOf, editableSolution, solutionFormData } from "../records/record-pages.server";
import { saveSolution, setSolutionStatus } from "../records/records.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "solution.editTitle" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const user = await requireUser(request, context);
  const record = await editableSolution(context, user, id);
  return { record, ...(await solutionFormData(context, user, await localeOf(request))), verified: user.emailVerified };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const user = await requireUser(request, context);
  // 404 or 403 before the form is read.
  await editableSolution(context, user, id);
  const formData = await request.formData();
  if (formData.get("intent") === "status") {
    const status = parseWithZod(formData, { schema: solutionStatusSchema });
    if (status.status !== "success") throw new Response("Bad status", { status: 400 });
    const outcome = await setSolutionStatus(context, user, id, status.value.status);
    if (!outcome.ok) throw new Response(outcome.status === 404 ? "Not found" : "Forbidden", { status: outcome.status });
    return redirect(`/solutions/${id}?notice=statusChanged`);
  }
  const submission = parseWithZod(formData, { schema: solutionSchema });
  if (submission.status !== "success") return invalidForm(submission, { around: (result) => ({ result, conflict: null }) });
  const outcome = await saveSolution(context, user, submission.value, id);
  if (outcome.ok) return redirect(`/solutions/${id}?notice=${submission.value.intent === "publish" ? "published" : "saved"}`);
  if (outcome.status === 404) throw new Response("Not found", { status: 404 });
  const { current } = outcome;
  if (current) return refusedForm(submission, { ok: false, status: 409 }, { around: (result) => ({ result, conflict: conflictOf(current) }) });
  if (outcome.status === 403 && !outcome.formErrors) throw new Response("Forbidden", { status: 403 });
  return refusedForm(submission, outcome, { around: (result) => ({ result, conflict: null }) });
}

export default function EditSolution() {
  const { record, options, organisations, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const isDraft = record.status === "draft";
  return (
    <div className="form-page wide">
      <p className="breadcrumbs">
        <Link to={`/solutions/${record.id}`}>{t("record.backToPage")}</Link>
      </p>
      <h1>{t("solution.editTitle")}</h1>
      {record.moderationReason ? (
        <p className="notice" role="note">
          <strong>{t("moderation.unpublishedNotice")}</strong> {record.moderationReason}
        </p>
      ) : null}
      {actionData?.conflict ? <ConflictPanel conflict={actionData.conflict.conflict} /> : null}
      {!isDraft && verified ? (
        <section className="panel" aria-labelledby="status-title">
          <h2 id="status-title">{t("challenge.statusTitle")}</h2>
          <p>
            {t("challenge.currentStatus")} <span className={`badge status-${record.status}`}>{t(`status.${record.status}`)}</span>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="status" />
            {record.status === "published" ? (
              <button type="submit" name="status" value="archived" className="button">
                {t("solution.archive")}
              </button>
            ) : (
              <button type="submit" name="status" value="published" className="button">
                {t("solution.republish")}
              </button>
            )}
          </Form>
        </section>
      ) : null}
      <SolutionFormView
        options={options}
        organisations={organisations}
        defaultValue={record.defaults}
        lastResult={actionData?.result}
        version={actionData?.conflict?.version ?? record.version}
        isDraft={isDraft}
      />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
