// The link in an introduction mail: the party confirms interest in meeting the other side. A
// page with a button, never a change on GET (mail scanners follow links). No sign-in needed:
// the token is the proof (stored only hashed, used once, for 14 days, db/tokens.ts).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { RecordSideView } from "../components/curation-ui";
import type { Locale } from "../i18n";
import { confirm, confirmationPage } from "../curation/introductions.server";
import { formatDate } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "introduction.title" }), { name: "robots", content: "noindex" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const page = await confirmationPage(context, params.token ?? "", await localeOf(request));
  return data({ page: page ?? null }, { status: page ? 200 : 404 });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  // Read before the token is used: the link works once, and this answer is the page after it.
  const page = await confirmationPage(context, token, await localeOf(request));
  const result = page ? await confirm(context, token) : undefined;
  if (!page || !result) return data({ page: null, status: null }, { status: 404 });
  return data({ page, status: result.status }, { status: 200 });
}

export default function Introduction() {
  const loaded = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const page = done?.page ?? loaded.page;
  if (!page) {
    return (
      <div className="form-page">
        <h1>{t("introduction.title")}</h1>
        <p>{t("introduction.invalid")}</p>
      </div>
    );
  }
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
