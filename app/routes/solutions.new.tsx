import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { SolutionFormView } from "../components/record-forms";
import { solutionSchema } from "../forms/solution";
import { requireUser } from "../accounts/auth.server";
import { localeOf } from "../lib/language.server";
import { invalidForm, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { canCreateSolution } from "../lib/permissions";
import { solutionFormData } from "../records/record-pages.server";
import { saveSolution } from "../records/records.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "solution.newTitle" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  // Without an organisation there is nothing to publish a solution for yet.
  if (!canCreateSolution(user)) throw redirect("/organisations/new");
  return { ...(await solutionFormData(context, user, await localeOf(request))), verified: user.emailVerified };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canCreateSolution(user)) throw new Response("Forbidden", { status: 403 });
  const submission = parseWithZod(await request.formData(), { schema: solutionSchema });
  if (submission.status !== "success") return invalidForm(submission);
  const outcome = await saveSolution(context, user, submission.value);
  if (outcome.ok) return redirect(`/solutions/${outcome.id}?notice=${submission.value.intent === "publish" ? "published" : "saved"}`);
  if (outcome.status === 404 || outcome.status === 409) throw new Response("Not found", { status: 404 });
  return refusedForm(submission, outcome);
}

export default function NewSolution() {
  const { options, organisations, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="form-page wide">
      <h1>{t("solution.newTitle")}</h1>
      <p className="lead">{t("solution.newLead")}</p>
      {!verified ? (
        <p className="notice" role="note">
          {t("record.verifyToPublish")} <Link to="/me">{t("me.title")}</Link>
        </p>
      ) : null}
      <SolutionFormView
        options={options}
        organisations={organisations}
        lastResult={actionData?.result}
        defaultValue={{ language: "da", organisation: organisations[0]?.value, stage: "running" }}
        isDraft
      />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
