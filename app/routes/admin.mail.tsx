import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import type { Locale } from "../i18n";
import { recentMail, requireAdministrator } from "../admin/admin.server";
import { formatDate } from "../lib/format";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.mail.title" });

// Without a mail server (no SMTP_URL), this is where administrators see which mails the portal
// would have sent, their links' tokens hidden. With one, the page does not exist: mails are the
// recipients' business.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  if (context.mailServer) throw new Response("Not found", { status: 404 });
  return { mails: await recentMail(context) };
}

export default function Mail() {
  const { mails } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <h1>{t("admin.mail.title")}</h1>
      <p className="lead">{t("admin.mail.lead")}</p>
      {mails.length === 0 ? <p className="muted">{t("admin.mail.none")}</p> : null}
      <ol className="mail-list">
        {mails.map((m) => (
          <li key={m.id} data-mail-to={m.to} className="panel">
            <p>
              <strong>{m.subject}</strong>
              <br />
              {t("admin.mail.to")} {m.to} · {formatDate(m.createdAt, i18n.language as Locale)} · {t(`admin.mail.status.${m.status}`)}
            </p>
            <details>
              <summary>{t("admin.mail.show")}</summary>
              <pre className="mail-text">{m.text}</pre>
            </details>
          </li>
        ))}
      </ol>
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
