import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { ChallengeFormView } from "../components/record-forms";
import { challengeSchema } from "../forms/challenge";
import { requireUser } from "../accounts/auth.server";
import { localeOf } from "../lib/language.server";
import { invalidForm, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { canCreateChallenge } from "../lib/permissions";
import { challengeFormData } from "../records/record-pages.server";
import { saveChallenge } from "../records/records.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "challenge.newTitle" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canCreateChallenge(user)) throw new Response("Forbidden", { status: 403 });
  return { ...(await challengeFormData(context, user, await localeOf(request))), verified: user.emailVerified };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canCreateChallenge(user)) throw new Response("Forbidden", { status: 403 });
  const submission = parseWithZod(await request.formData(), { schema: challengeSchema });
  if (submission.status !== "success") return invalidForm(submission);
  const outcome = await saveChallenge(context, user, submission.value);
  if (outcome.ok) return redirect(`/challenges/${outcome.id}?notice=${submission.value.intent === "publish" ? "published" : "saved"}`);
  if (outcome.status === 404 || outcome.status === 409) throw new Response("Not found", { status: 404 });
  return refusedForm(submission, outcome);
}

export default function NewChallenge() {
  const { options, owners, coOwners, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="form-page wide">
      <h1>{t("challenge.newTitle")}</h1>
      <p className="lead">{t("challenge.newLead")}</p>
      {!verified ? (
        <p className="notice" role="note">
          {t("record.verifyToPublish")} <Link to="/me">{t("me.title")}</Link>
        </p>
      ) : null}
      <ChallengeFormView
        options={options}
        owners={owners}
        coOwners={coOwners}
        lastResult={actionData?.result}
        defaultValue={{ language: "da", owner: owners[0]?.value }}
        isDraft
      />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
