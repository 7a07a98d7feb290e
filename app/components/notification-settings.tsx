// The "E-mails about news" section of /me (data from app/notifications/notification-settings.server.ts).
import { Form } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import type { SubscriptionTopic } from "../../db/schema";
import { DELIVERY_CHOICES as CHOICES } from "../forms/me";
import { useErrorText } from "./form-fields";

export function NotificationSettingsSection({
  topics,
  error,
}: {
  topics: Array<{ topic: SubscriptionTopic; delivery: (typeof CHOICES)[number] }>;
  error?: string;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (
    <section className="panel" aria-labelledby="notifications-title" id="notifications">
      <h2 id="notifications-title">{t("notify.settings.title")}</h2>
      {topics.length === 0 ? (
        <p className="muted">{t("notify.settings.none")}</p>
      ) : (
        <Form method="post" action="/me">
          <p>{t("notify.settings.lead")}</p>
          {error ? (
            <p className="notice" role="alert">
              {errorText(error)}
            </p>
          ) : null}
          {topics.map(({ topic, delivery }) => (
            <fieldset key={topic} className="field" data-topic={topic}>
              <legend>{t(`notify.settings.${topic}`)}</legend>
              <ul className="choices">
                {CHOICES.map((c) => (
                  <li key={c}>
                    <input type="radio" id={`notify-${topic}-${c}`} name={topic} value={c} defaultChecked={delivery === c} />
                    <label htmlFor={`notify-${topic}-${c}`}>{t(`notify.settings.${c}`)}</label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
          <button type="submit" name="intent" value="notifications" className="button">
            {t("notify.settings.save")}
          </button>
        </Form>
      )}
    </section>
  );
}
