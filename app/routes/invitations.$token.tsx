import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { createInvitedAccount } from "../lib/account.server";
import { currentUser, signIn } from "../lib/auth.server";
import { message, newPasswordField, requiredText, formOptions } from "../lib/forms";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { acceptInvitationFor, findInvitation } from "../lib/organisations.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "invitation.title" });

const registerSchema = z.object({ intent: z.literal("register"), name: requiredText(100, 2), password: newPasswordField });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const invitation = await findInvitation(context, params.token ?? "");
  if (!invitation) return { invitation: null, signedIn: false, exists: false };
  const user = await currentUser(request, context);
  const exists = Boolean(await context.db.selectFrom("users").select("id").where("email", "=", invitation.email).executeTakeFirst());
  return {
    invitation: { email: invitation.email, organisation: invitation.organisation_name, role: invitation.global_role },
    signedIn: Boolean(user),
    exists,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const invitation = await findInvitation(context, token);
  if (!invitation) throw new Response("Not found", { status: 404 });
  const formData = await request.formData();
  const user = await currentUser(request, context);
  if (formData.get("intent") === "accept" && user) {
    await acceptInvitationFor(context, token, user.id);
    return redirect("/me?notice=invitationAccepted");
  }
  // A new person: the invitation mail proved the address, so the account starts verified.
  const submission = parseWithZod(formData, { schema: registerSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const userId = await createInvitedAccount(context, {
    email: invitation.email,
    name: submission.value.name,
    password: submission.value.password,
    locale: await localeOf(request),
  });
  if (userId === undefined) {
    return data(submission.reply({ formErrors: [message("invitation.accountExists")], hideFields: ["password"] }), { status: 409 });
  }
  await acceptInvitationFor(context, token, userId);
  return redirect("/me?notice=invitationAccepted", { headers: { "Set-Cookie": await signIn(request, context, userId) } });
}

export default function Invitation() {
  const { invitation, signedIn, exists } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { token } = useParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(registerSchema),
  });
  if (!invitation) {
    return (
      <div className="form-page">
        <h1>{t("invitation.title")}</h1>
        <p>{t("invitation.invalid")}</p>
      </div>
    );
  }
  const what = invitation.organisation ?? t(`role.${invitation.role ?? "community_manager"}`);
  return (
    <div className="form-page">
      <h1>{t("invitation.title")}</h1>
      <p className="lead">{t("invitation.lead", { what })}</p>
      {signedIn ? (
        <Form method="post">
          <button type="submit" name="intent" value="accept" className="button primary">
            {t("invitation.accept")}
          </button>
        </Form>
      ) : exists ? (
        <p>
          {t("invitation.signInFirst")} <Link to={`/login?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`}>{t("login.title")}</Link>
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
            {t("signup.email")}: <strong>{invitation.email}</strong>
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
