// Matches: community managers see every match, the parties their own, open ones first. A match
// whose challenge has closed or whose solution is archived stays, marked.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { StageBadge } from "../components/curation-ui";
import { Notice } from "../components/notice";
import type { Locale } from "../i18n";
import { requireUser } from "../accounts/auth.server";
import { matchesFor } from "../curation/match-page.server";
import { formatDate } from "../lib/format";
import { localeOf } from "../lib/language.server";
import { pageMeta } from "../lib/meta";
import { canCurate } from "../lib/permissions";
import { DataTable } from "../components/data-table";

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "matches.title" }), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { matches: await matchesFor(context, user, await localeOf(request)), curator: canCurate(user) };
}

export default function Matches() {
  const { matches, curator } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const lang = (l: string) => (l !== locale ? l : undefined);
  return (
    <>
      <h1>{t("matches.title")}</h1>
      <Notice />
      <p className="lead">{curator ? t("matches.leadCurator") : t("matches.leadParty")}</p>
      {curator ? (
        <p>
          <Link to="/curation">{t("matches.toQueue")}</Link>
        </p>
      ) : null}
      {matches.length === 0 ? (
        <p className="empty">{t("matches.none")}</p>
      ) : (
        <DataTable caption={t("matches.title")} captionHidden>
          <thead>
            <tr>
              <th scope="col">{t("curation.side.challenge")}</th>
              <th scope="col">{t("curation.side.solution")}</th>
              <th scope="col">{t("matches.stage")}</th>
              <th scope="col">{t("match.nextStep")}</th>
            </tr>
          </thead>
          <tbody>
            {matches.map((m) => (
              <tr key={m.id} data-match-id={m.id}>
                <td>
                  <Link to={`/matches/${m.id}`} lang={lang(m.challenge.language)}>
                    {m.challenge.title}
                  </Link>
                  <br />
                  <span className="muted">{m.administration}</span>
                  {m.challenge.closed ? <span className="badge">{t("matches.closed")}</span> : null}
                </td>
                <td>
                  <span lang={lang(m.solution.language)}>{m.solution.title}</span>
                  <br />
                  <span className="muted">{m.organisation}</span>
                  {m.solution.archived ? <span className="badge">{t("matches.archived")}</span> : null}
                </td>
                <td>
                  <StageBadge stage={m.stage} />
                </td>
                <td>
                  {m.nextStep ?? ""}
                  {m.nextStepDue ? ` (${formatDate(m.nextStepDue, locale)})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
