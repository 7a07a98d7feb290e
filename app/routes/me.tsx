import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { NotificationSettingsSection } from "../components/notification-settings";
import { Notice } from "../components/notice";
import { SuggestionList, SuggestionsNote } from "../components/suggestion-list";
import type { Locale } from "../i18n";
import { resendVerification } from "../accounts/account.server";
import { requireUser } from "../accounts/auth.server";
import { localeOf } from "../lib/language.server";
import { loadMe } from "../accounts/me.server";
import { saveNotificationSettings } from "../notifications/notification-settings.server";
import { pageMeta } from "../lib/meta";
import { refusal, refusedForm } from "../lib/outcome";
import { meSchema } from "../forms/me";
import { useErrorText } from "../components/form-fields";
import type { SuggestionGroup } from "../curation/suggestions.server";
import { DataTable } from "../components/data-table";
import { retryAfterHeaders } from "../lib/route-headers";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "me.title" });
export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return loadMe(context, user, await localeOf(request));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: meSchema });
  // Only the page's own forms come here: anything else is a form nobody rendered.
  if (submission.status !== "success") {
    if (submission.payload.intent === "notifications") return refusedForm(submission, refusal(400, "notify.settings.invalid"), { around: (result) => ({ form: "notifications", result }) });
    throw new Response("Unknown action", { status: 400 });
  }
  const { intent, ...choices } = submission.value;
  if (intent === "resend-verification") {
    if (user.emailVerified) throw new Response("Already verified", { status: 400 });
    const outcome = await resendVerification(context, user);
    if (!outcome.ok) return refusedForm(submission, outcome, { around: (result) => ({ form: intent, result }) });
    return redirect("/me?notice=verificationSent");
  }
  const outcome = await saveNotificationSettings(context, user, choices);
  if (!outcome.ok) return refusedForm(submission, outcome, { around: (result) => ({ form: intent, result }) });
  return redirect(`/me?notice=${outcome.notice}#notifications`);
}

/** The messages for the whole form of the page's form `name`, from the action's answer. */
function formErrorsOf(answer: { form: string; result: { error?: Record<string, string[] | null> } } | undefined, name: string): string[] {
  return answer?.form === name ? (answer.result.error?.[""] ?? []) : [];
}

type Row = { id: number; title: string; status: string; moderated_at?: string | null };

function RecordList({ rows, kind, empty }: { rows: Row[]; kind: "challenges" | "solutions"; empty: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="record-list">
      {rows.map((r) => (
        <li key={r.id}>
          <Link to={`/${kind}/${r.id}`}>{r.title}</Link> <span className={`badge status-${r.status}`}>{t(`status.${r.status}`)}</span>
          {r.moderated_at ? <span className="badge status-draft">{t("moderation.unpublishedBadge")}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function ProposalTable({ rows }: { rows: Array<{ id: number; challenge_id: number; challenge_title: string; solution_title: string; organisation_name: string; status: string; answer: string | null }> }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{t("me.noProposals")}</p>;
  return (
    <DataTable caption={t("me.proposals")} captionHidden>
      <thead>
        <tr>
          <th scope="col">{t("me.challenge")}</th>
          <th scope="col">{t("me.solution")}</th>
          <th scope="col">{t("me.status")}</th>
          <th scope="col">{t("me.answer")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.id} data-proposal-id={p.id}>
            <td>
              <Link to={`/challenges/${p.challenge_id}`}>{p.challenge_title}</Link>
            </td>
            <td>
              {p.solution_title}
              <br />
              <span className="muted">{p.organisation_name}</span>
            </td>
            <td>{t(`proposal.status.${p.status}`)}</td>
            <td>{p.answer ?? <span className="muted">{t("me.noAnswer")}</span>}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** The matcher's top partners for each of the person's own records (or their area's). */
function SuggestionGroups({ groups, empty }: { groups: SuggestionGroup[]; empty: string }) {
  const { i18n } = useTranslation();
  const locale = i18n.language as Locale;
  if (groups.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="suggestion-groups">
      {groups.map((g) => (
        <li key={`${g.kind}-${g.id}`} className="suggestion-group" data-suggestions-for={g.id}>
          <h3>
            <Link to={`/${g.kind === "challenge" ? "challenges" : "solutions"}/${g.id}`} lang={g.language !== locale ? g.language : undefined}>
              {g.title}
            </Link>
          </h3>
          <SuggestionList items={g.suggestions} headingLevel={4} />
        </li>
      ))}
    </ul>
  );
}

export default function Me() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { user } = data;
  return (
    <div className="me">
      <h1>{t("me.title")}</h1>
      <Notice />
      <p className="lead">{t("me.hello", { name: user.name })}</p>
      {user.administratorWaiting ? (
        <p className="notice" role="note">
          {t("security.administratorWaiting")} <Link to="/me/security#second-factor">{t("security.begin")}</Link>
        </p>
      ) : null}
      <p>
        <Link to="/me/security">{t("me.security")}</Link>
      </p>
      {!user.emailVerified ? (
        <div className="notice" role="note">
          <p>{t("me.unverified", { email: user.email })}</p>
          {formErrorsOf(actionData, "resend-verification").map((error) => (
            <p key={error} className="field-error" role="alert">
              {errorText(error)}
            </p>
          ))}
          <Form method="post">
            <button type="submit" name="intent" value="resend-verification" className="button">
              {t("me.resend")}
            </button>
          </Form>
        </div>
      ) : null}

      <section className="panel" aria-labelledby="orgs-title">
        <h2 id="orgs-title">{t("me.organisations")}</h2>
        {user.memberships.length === 0 ? (
          <p>{t("me.noOrganisations")}</p>
        ) : (
          <ul className="record-list">
            {user.memberships.map((m) => (
              <li key={m.id}>
                <Link to={`/organisations/${m.id}`}>{m.name}</Link> <span className="muted">({t(`organisationKind.${m.kind}`)}, {t(`membership.${m.role}`)})</span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/organisations/new">{t("me.registerOrganisation")}</Link>
        </p>
      </section>

      {data.staff ? (
        <>
          <section className="panel" aria-labelledby="my-challenges">
            <h2 id="my-challenges">{t("me.myChallenges")}</h2>
            <p>
              <Link to="/challenges/new" className="button primary">
                {t("me.newChallenge")}
              </Link>
            </p>
            <RecordList rows={data.staff.challenges} kind="challenges" empty={t("me.noChallenges")} />
          </section>
          <section className="panel" aria-labelledby="proposals-to-us">
            <h2 id="proposals-to-us">{t("me.proposalsToUs")}</h2>
            <ProposalTable rows={data.staff.proposals} />
          </section>
          <section className="panel" aria-labelledby="suggestions-for-challenges" data-suggestions="">
            <h2 id="suggestions-for-challenges">{t("me.suggestionsForChallenges")}</h2>
            <p>{t("me.suggestionsForChallengesLead")}</p>
            <SuggestionsNote />
            <SuggestionGroups groups={data.staff.suggestions} empty={t("me.noOpenChallenges")} />
          </section>
        </>
      ) : null}

      {data.entrepreneur ? (
        <>
          <section className="panel" aria-labelledby="my-solutions">
            <h2 id="my-solutions">{t("me.mySolutions")}</h2>
            <p>
              <Link to="/solutions/new" className="button primary">
                {t("me.newSolution")}
              </Link>
            </p>
            <RecordList rows={data.entrepreneur.solutions} kind="solutions" empty={t("me.noSolutions")} />
          </section>
          <section className="panel" aria-labelledby="our-proposals">
            <h2 id="our-proposals">{t("me.ourProposals")}</h2>
            <ProposalTable rows={data.entrepreneur.proposals} />
          </section>
          <section className="panel" aria-labelledby="suggestions-for-solutions" data-suggestions="">
            <h2 id="suggestions-for-solutions">{t("me.suggestionsForSolutions")}</h2>
            <p>{t("me.suggestionsForSolutionsLead")}</p>
            <SuggestionsNote />
            <SuggestionGroups groups={data.entrepreneur.suggestions} empty={t("me.noPublishedSolutions")} />
          </section>
        </>
      ) : null}

      <section className="panel" aria-labelledby="following">
        <h2 id="following">{t("me.following")}</h2>
        <RecordList rows={data.follows} kind="challenges" empty={t("me.noFollows")} />
      </section>

      <NotificationSettingsSection topics={data.notifications.topics} error={formErrorsOf(actionData, "notifications")[0]} />

      {data.curator ? (
        <section className="panel" aria-labelledby="curator">
          <h2 id="curator">{t("me.curatorTitle")}</h2>
          <p>{t("me.curatorLead")}</p>
          <p>
            <Link to="/curation">{t("me.toCuration")}</Link>
          </p>
          <h3>{t("nav.challenges")}</h3>
          <RecordList rows={data.curator.challenges} kind="challenges" empty={t("me.noChallenges")} />
          <h3>{t("nav.solutions")}</h3>
          <RecordList rows={data.curator.solutions} kind="solutions" empty={t("me.noSolutions")} />
        </section>
      ) : null}

      {data.curator && data.curator.suggestions.length > 0 ? (
        <section className="panel" aria-labelledby="suggestions-in-area" data-suggestions="">
          <h2 id="suggestions-in-area">{t("me.suggestionsInArea")}</h2>
          <p>{t("me.suggestionsInAreaLead")}</p>
          <SuggestionsNote />
          <SuggestionGroups groups={data.curator.suggestions} empty={t("me.noOpenChallenges")} />
        </section>
      ) : null}

      {data.admin ? (
        <section className="panel" aria-labelledby="admin">
          <h2 id="admin">{t("me.adminTitle")}</h2>
          <ul className="record-list">
            <li>
              <Link to="/admin/reports">{t("me.openReports", { count: data.admin.reports })}</Link>
            </li>
            <li>
              <Link to="/admin/organisations">{t("me.pendingConfirmations", { count: data.admin.confirmations })}</Link>
            </li>
            <li>
              <Link to="/admin">{t("me.adminLink")}</Link>
            </li>
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
