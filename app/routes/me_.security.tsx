import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { DataTable } from "../components/data-table";
import { PlainField } from "../components/curation-ui";
import { Notice } from "../components/notice";
import type { Locale } from "../i18n";
import { requireUser } from "../accounts/auth.server";
import { formatDateTime } from "../lib/format";
import { message } from "../lib/forms";
import { pageMeta } from "../lib/meta";
import { endOtherSessions, endSession, loadSecurityPage } from "../accounts/security.server";
import { beginSetup, disableSecondFactor, enableSecondFactor, renewRecoveryCodes } from "../accounts/second-factor.server";

// A person's sessions and second factor. Turning the factor on ends their other sessions; the
// recovery codes are shown once, in the answer to the post that made them, and never stored in
// the clear.

export const meta: MetaFunction = ({ matches }) => [...pageMeta(matches, { key: "security.title" }), { name: "robots", content: "noindex" }];

const code = z.string().trim().min(1, { error: message("security.codeRequired") }).max(20, { error: message("security.codeWrong") });
const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("end-session"), session: z.string().regex(/^[0-9a-f]{16}$/) }),
  z.object({ intent: z.literal("end-others") }),
  z.object({ intent: z.literal("begin-setup") }),
  z.object({ intent: z.literal("enable"), code }),
  z.object({ intent: z.literal("disable"), code }),
  z.object({ intent: z.literal("renew-codes"), code }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return loadSecurityPage(context, user);
}

type Answer = { intent: string; error?: string; recoveryCodes?: string[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = Object.fromEntries(await request.formData());
  const parsed = schema.safeParse(form);
  if (!parsed.success) {
    const intent = typeof form.intent === "string" ? form.intent : "";
    return data<Answer>({ intent, error: parsed.error.issues.find((i) => i.path[0] === "code")?.message ?? message("form.invalid") }, { status: 400 });
  }
  const v = parsed.data;
  switch (v.intent) {
    case "end-session":
      if (!(await endSession(context, user, v.session))) throw new Response("Not found", { status: 404 });
      return redirect("/me/security?notice=sessionEnded");
    case "end-others":
      await endOtherSessions(context, user);
      return redirect("/me/security?notice=sessionsEnded");
    case "begin-setup":
      if (user.secondFactor) throw new Response("Conflict", { status: 409 });
      await beginSetup(context, user.id);
      return redirect("/me/security#second-factor");
    case "enable": {
      const result = await enableSecondFactor(context, user, user.session.idHash, v.code);
      if (!result.ok) return data<Answer>({ intent: v.intent, error: message("security.codeWrong") }, { status: 400 });
      return data<Answer>({ intent: v.intent, recoveryCodes: result.recoveryCodes });
    }
    case "disable":
      if (!(await disableSecondFactor(context, user, v.code))) return data<Answer>({ intent: v.intent, error: message("security.codeWrong") }, { status: 400 });
      return redirect("/me/security?notice=secondFactorOff");
    case "renew-codes": {
      const codes = await renewRecoveryCodes(context, user.id, v.code);
      if (!codes) return data<Answer>({ intent: v.intent, error: message("security.codeWrong") }, { status: 400 });
      return data<Answer>({ intent: v.intent, recoveryCodes: codes });
    }
  }
}

function CodeForm({ intent, label, answer }: { intent: string; label: string; answer: Answer | undefined }) {
  const { t } = useTranslation();
  const error = answer?.intent === intent ? answer.error : undefined;
  return (
    <Form method="post" className="stacked-form">
      <input type="hidden" name="intent" value={intent} />
      <PlainField idPrefix={intent} name="code" label={t("security.code")} hint={t("security.codeHint")} failure={error ? { error, fields: { code: error } } : undefined}>
        {(p) => <input {...p} inputMode="numeric" autoComplete="one-time-code" required maxLength={20} />}
      </PlainField>
      <button type="submit" className="button">
        {label}
      </button>
    </Form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <div className="notice success" role="status">
      <p>
        <strong>{t("security.codesTitle")}</strong> {t("security.codesLead")}
      </p>
      <ul className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

export default function Security() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const justEnabled = answer?.intent === "enable" && answer.recoveryCodes;
  return (
    <div className="me">
      <p className="breadcrumbs">
        <Link to="/me">{t("nav.me")}</Link>
      </p>
      <h1>{t("security.title")}</h1>
      <Notice />
      {page.administratorWaiting && !justEnabled ? (
        <p className="notice" role="note">
          {t("security.administratorWaiting")}
        </p>
      ) : null}

      <section className="panel" aria-labelledby="second-factor">
        <h2 id="second-factor">{t("security.secondFactor")}</h2>
        {answer?.recoveryCodes ? <RecoveryCodes codes={answer.recoveryCodes} /> : null}
        {page.secondFactor ? (
          <>
            <p>{t("security.on", { count: page.recoveryCodesLeft })}</p>
            <h3>{t("security.renewTitle")}</h3>
            <CodeForm intent="renew-codes" label={t("security.renew")} answer={answer} />
            <h3>{t("security.offTitle")}</h3>
            <p>{t("security.offLead")}</p>
            <CodeForm intent="disable" label={t("security.off")} answer={answer} />
          </>
        ) : page.setup ? (
          <>
            <p>{t("security.setupLead")}</p>
            <figure className="qr">
              <div role="img" aria-label={t("security.qrLabel")} dangerouslySetInnerHTML={{ __html: page.setup.qrSvg }} />
              <figcaption>
                {t("security.manual")} <code>{page.setup.secretGrouped}</code>
              </figcaption>
            </figure>
            <CodeForm intent="enable" label={t("security.enable")} answer={answer} />
          </>
        ) : (
          <>
            <p>{t("security.offNow")}</p>
            <Form method="post">
              <button type="submit" name="intent" value="begin-setup" className="button primary">
                {t("security.begin")}
              </button>
            </Form>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="sessions">
        <h2 id="sessions">{t("security.sessions")}</h2>
        <p>{t("security.sessionsLead")}</p>
        <DataTable caption={t("security.sessions")} captionHidden>
          <thead>
            <tr>
              <th scope="col">{t("security.device")}</th>
              <th scope="col">{t("security.since")}</th>
              <th scope="col">{t("security.lastSeen")}</th>
              <th scope="col">
                <span className="sr-only">{t("organisation.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.sessions.map((s) => (
              <tr key={s.key} data-session={s.current ? "current" : "other"}>
                <td>
                  {s.browser || s.system ? [s.browser, s.system].filter(Boolean).join(" · ") : t("security.unknownDevice")}
                  {s.current ? (
                    <>
                      {" "}
                      <strong>({t("security.thisSession")})</strong>
                    </>
                  ) : null}
                </td>
                <td>{formatDateTime(s.createdAt, locale)}</td>
                <td>{formatDateTime(s.lastSeenAt, locale)}</td>
                <td>
                  {s.current ? null : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="end-session" />
                      <input type="hidden" name="session" value={s.key} />
                      <button type="submit" className="link-button dark">
                        {t("security.end")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
        {page.sessions.length > 1 ? (
          <Form method="post">
            <button type="submit" name="intent" value="end-others" className="button">
              {t("security.endOthers")}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
