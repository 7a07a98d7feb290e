// E-mails in the recipient's language: a plain-text and an HTML part from the same translated
// text. Links are built from PUBLIC_BASE_URL. Nothing here ever includes a password or key.
import type { MailMessage } from "../../db/outbox";
import { i18nFor, type Locale } from "../i18n";

export type MailKind =
  | "verify-email"
  | "account-exists"
  | "reset-password"
  | "invitation"
  | "proposal-received"
  | "proposal-answered"
  | "moderated"
  | "report-received"
  | "introduction"
  | "contacts-shared"
  | "digest"
  | "notify-now"
  | "reminder";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Every address on the portal becomes a link: `params.link`, and in a digest one per item.
function htmlOf(text: string, publicBaseUrl: string): string {
  const base = escapeHtml(publicBaseUrl.replace(/\/+$/, "")).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const onPortal = new RegExp(`${base}(?:[/?#][^\\s<]*)?(?![^\\s<])`, "g");
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => escapeHtml(p).replace(/\n/g, "<br>").replace(onPortal, (url) => `<a href="${url}">${url}</a>`))
    .map((p) => `<p>${p}</p>`)
    .join("\n");
  return `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">${paragraphs}</body></html>`;
}

/**
 * Renders one mail. `params.link` is a path on the portal ("/verify-email?token=…"); it becomes
 * an absolute URL on the public base URL.
 */
export function renderMail(
  kind: MailKind,
  locale: Locale,
  to: string,
  publicBaseUrl: string,
  params: Record<string, string> & { link?: string },
  replyTo?: string,
): MailMessage {
  const { t } = i18nFor(locale);
  const link = params.link ? new URL(params.link, `${publicBaseUrl}/`).toString() : undefined;
  const values = { ...params, link: link ?? "" };
  const subject = t(`mail.${kind}.subject`, values);
  const text = `${t(`mail.${kind}.body`, values)}\n\n${t("mail.signature")}\n`;
  return { to, replyTo, subject, text, html: htmlOf(text, publicBaseUrl), kind };
}
