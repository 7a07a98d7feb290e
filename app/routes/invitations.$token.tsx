import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { currentUser, startSession } from "../accounts/auth.server";
import { newPasswordField, requiredText, formOptions } from "../lib/forms";
import { localeOf } from "../lib/language.server";
import { invalidForm, refusal, refusedForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { acceptInvitationAs, findInvitation, invitationPage, registerFromInvitation } from "../organisations/organisations.server";

// The link in an invitation mail. It grants something only to the person it was sent to: the
// signed-in account with that confirmed address, or a new account made here for that address.
// Anyone else who opens it (a forwarded mail, a shared computer) is told whom it is for.

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "invitation.title" }), { name: "robots", content: "noindex" }];

const registerSchema = z.object({ intent: z.literal("register"), name: requiredText(100, 2), password: newPasswordField });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await invitationPage(context, params.token ?? "", await currentUser(request, context));
  return data(page, { status: page.view === "invalid" ? 404 : 200 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  if (!(await findInvitation(context, token))) throw new Response("Not found", { status: 404 });
  const formData = await request.formData();
  const user = await currentUser(request, context);
  if (user) {
    if (formData.get("intent") !== "accept") throw new Response("Unknown action", { status: 400 });
    const outcome = await acceptInvitationAs(context, token, user);
    if (outcome === "invalid") throw new Response("Not found", { status: 404 });
    // The page already says why; a post that gets here anyway changes nothing.
    if (outcome !== "accepted") throw new Response("Forbidden", { status: 403 });
    return redirect("/me?notice=invitationAccepted");
  }
  const submission = parseWithZod(formData, { schema: registerSchema });
  if (submission.status !== "success") return invalidForm(submission, { hideFields: ["password"] });
  const userId = await registerFromInvitation(context, token, { name: submission.value.name, password: submission.value.password, locale: await localeOf(request) });
  if (userId === undefined) {
    return refusedForm(submission, refusal(409, "invitation.accountExists"), { hideFields: ["password"] });
  }
  return startSession(request, context, userId, "/me?notice=invitationAccepted");
}

export default function Invitation() {
  const { view, email, what: organisation, role } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>()?.result;
  const { token } = useParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(registerSchema),
  });
  if (view === "invalid") {
    return (
      <div className="form-page">
        <h1>{t("invitation.title")}</h1>
        <p>{t("invitation.invalid")}</p>
      </div>
    );
  }
  const what = organisation ?? t(`role.${role ?? "community_manager"}`);
  const here = `/invitations/${token}`;
  return (
    <div className="form-page">
      <h1>{t("invitation.title")}</h1>
      <p className="lead">{t("invitation.lead", { what })}</p>
      {view === "accept" ? (
        <Form method="post">
          <button type="submit" name="intent" value="accept" className="button primary">
            {t("invitation.accept")}
          </button>
        </Form>
      ) : view === "wrongAccount" ? (
        <p className="notice" role="note">
          {t("invitation.wrongAccount", { email })}
        </p>
      ) : view === "unverified" ? (
        <p className="notice" role="note">
          {t("invitation.confirmFirst", { email })} <Link to="/me">{t("nav.me")}</Link>
        </p>
      ) : view === "signIn" ? (
        <p>
          {t("invitation.signInFirst", { email })} <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("login.title")}</Link>
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          <ErrorSummary
            formErrors={form.errors}
            fields={[
              { field: fields.name, label: t("signup.name") },
              { field: fields.password, label: t("signup.password") },
            ]}
          />
          <input type="hidden" name="intent" value="register" />
          <p>
            {t("signup.email")}: <strong>{email}</strong>
          </p>
          <TextField field={fields.name} label={t("signup.name")} autoComplete="name" />
          <TextField field={fields.password} label={t("signup.password")} type="password" autoComplete="new-password" hint={t("signup.passwordHint")} />
          <FormActions>
            <button type="submit" className="button primary">
              {t("invitation.createAndAccept")}
            </button>
          </FormActions>
        </Form>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
