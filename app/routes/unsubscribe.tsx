import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "../lib/translation";
import type { SubscriptionTopic } from "../../db/schema";
import type { Locale } from "../i18n";
import { topicOfToken, unsubscribeTokenSchema, unsubscribeWithToken } from "../notifications/notify.server";
import { pageMeta } from "../lib/meta";

// The link in every notification mail and its List-Unsubscribe header. A GET only asks (mail
// scanners follow links, and must not unsubscribe anyone); a POST unsubscribes, from the form
// below or from a mail provider's RFC 8058 one-click request (body "List-Unsubscribe=One-Click",
// no Origin: scripts/lib/portal.ts lets this path through its same-origin check). The token is
// the only authority needed, and it ends only its own subscription.

type State = { state: "confirm"; token: string; topic: SubscriptionTopic } | { state: "done" } | { state: "invalid" };

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "notify.unsubscribe.title" });

function tokenFrom(value: FormDataEntryValue | string | null): string | undefined {
  const parsed = unsubscribeTokenSchema.safeParse(value ?? "");
  return parsed.success ? parsed.data : undefined;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenFrom(new URL(request.url).searchParams.get("token"));
  if (!token) return data<State>({ state: "invalid" }, { status: 400 });
  const topic = await topicOfToken(context, token);
  if (!topic) return data<State>({ state: "invalid" }, { status: 404 });
  return data<State>({ state: "confirm", token, topic });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = tokenFrom(form.get("token") ?? new URL(request.url).searchParams.get("token"));
  if (!token) return data<State>({ state: "invalid" }, { status: 400 });
  if (!(await unsubscribeWithToken(context, token))) return data<State>({ state: "invalid" }, { status: 404 });
  // Said explicitly: the loaders that run after the action find the token gone and say 404,
  // and only an explicit action status takes precedence over theirs.
  return data<State>({ state: "done" }, { status: 200 });
}

function texts(t: TFunction, s: State): { title: string; body: string } {
  if (s.state === "done") return { title: t("notify.unsubscribe.doneTitle"), body: t("notify.unsubscribe.doneBody") };
  if (s.state === "invalid") return { title: t("notify.unsubscribe.invalidTitle"), body: t("notify.unsubscribe.invalidBody") };
  return { title: t("notify.unsubscribe.title"), body: t("notify.unsubscribe.lead", { what: t(`notify.settings.${s.topic}`) }) };
}

export default function Unsubscribe() {
  const loaded = useLoaderData<typeof loader>();
  // After a POST the token is gone, so the loader's view would say "invalid": the action's wins.
  const s = (useActionData<typeof action>() ?? loaded) as State;
  const { t, i18n } = useTranslation();
  const other: Locale = i18n.language === "en" ? "da" : "en";
  const mine = texts(t, s);
  // People may land here from a mail in either language: the other one follows, marked as such.
  const theirs = texts(i18n.getFixedT(other), s);
  return (
    <div className="form-page">
      <h1>{mine.title}</h1>
      <p className="lead">{mine.body}</p>
      <p lang={other} className="muted">
        <strong>{theirs.title}.</strong> {theirs.body}
      </p>
      {s.state === "confirm" ? (
        <Form method="post">
          <input type="hidden" name="token" value={s.token} />
          <button type="submit" className="button primary">
            {t("notify.unsubscribe.button")} <span lang={other}>/ {i18n.getFixedT(other)("notify.unsubscribe.button")}</span>
          </button>
        </Form>
      ) : (
        <p>
          <Link to="/me">{t("notify.unsubscribe.manage")}</Link>
        </p>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
