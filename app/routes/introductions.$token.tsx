// The link in an introduction mail: the party confirms interest in meeting the other side. A
// page with a button, never a change on GET (mail scanners follow links). No sign-in needed:
// the token is the proof, and it is stored only hashed.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RecordSideView } from "../components/curation-ui";
import type { Locale } from "../i18n";
import { confirm, confirmationPage } from "../lib/curation.server";
import { formatDate } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "introduction.title" }), { name: "robots", content: "noindex" }];

function tokenOf(params: { token?: string }): string {
  const token = params.token ?? "";
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new Response("Not found", { status: 404 });
  return token;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const page = await confirmationPage(context, tokenOf(params), await localeOf(request));
  if (!page) throw new Response("Not found", { status: 404 });
  return page;
}

export async function action({ context, params }: ActionFunctionArgs) {
  const result = await confirm(context, tokenOf(params));
  if (!result) throw new Response("Not found", { status: 404 });
  return json({ status: result.status });
}

export default function Introduction() {
  const page = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const confirmed = done?.status ?? (page.confirmedAt ? "already" : undefined);
  return (
    <>
      <h1>{t("introduction.title")}</h1>
      <p className="lead">{t(`introduction.lead.${page.party}`)}</p>
      <div className="pair">
        <RecordSideView side={page.challenge} kind="challenge" headingLevel={2} />
        <RecordSideView side={page.solution} kind="solution" headingLevel={2} />
      </div>
      {confirmed ? (
        <p className="notice success" role="status">
          {confirmed === "both" ? t("introduction.both") : confirmed === "already" && page.confirmedAt ? t("introduction.already", { date: formatDate(page.confirmedAt, locale) }) : t("introduction.confirmed")}
        </p>
      ) : (
        <Form method="post">
          <p>{t("introduction.explain")}</p>
          <button type="submit" className="button primary">
            {t("introduction.confirm")}
          </button>
        </Form>
      )}
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
