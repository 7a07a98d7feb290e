// Small pieces the workbench's pages share: a plain form field with its error wired for screen
// readers, the error summary, a record's side of a pair, a stage badge. The workbench's forms
// are checked on the server only (they are short), so these take the action's errors directly.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "../lib/translation";
import type { Locale } from "../i18n";
import type { RecordSide } from "../curation/parties.server";
import { useErrorText } from "./form-fields";

export interface FormFailure {
  error: string;
  fields?: Record<string, string>;
  /** Which form the failure belongs to, when a page has several. */
  form?: string;
  values?: Record<string, string>;
}

export function FailureSummary({ failure, labels, idPrefix }: { failure: FormFailure | undefined; labels: Record<string, string>; idPrefix: string }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!failure) return null;
  const fields = Object.entries(failure.fields ?? {}).filter(([name]) => labels[name]);
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <p className="error-summary-title">
        <strong>{t("form.summaryTitle")}</strong>
      </p>
      <p>{text(failure.error)}</p>
      {fields.length > 0 ? (
        <ul>
          {fields.map(([name, error]) => (
            <li key={name}>
              <a href={`#${idPrefix}-${name}`}>
                {labels[name]}: {text(error)}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface PlainFieldProps {
  idPrefix: string;
  name: string;
  label: string;
  failure?: FormFailure;
  hint?: string;
  children: (props: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}

/** A label, an optional hint, the field's error and the field itself, wired together. */
export function PlainField({ idPrefix, name, label, failure, hint, children }: PlainFieldProps) {
  const { t } = useTranslation();
  const text = useErrorText();
  const id = `${idPrefix}-${name}`;
  const error = failure?.fields?.[name];
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="sr-only">{t("form.errorPrefix")} </span>
          {text(error)}
        </p>
      ) : null}
      {children({ id, name, "aria-invalid": error ? true : undefined, "aria-describedby": described })}
    </div>
  );
}

/** One record of a pair: its title (in its own language), who wrote it, and the start of its text. */
export function RecordSideView({ side, kind, headingLevel = 3 }: { side: RecordSide; kind: "challenge" | "solution"; headingLevel?: 2 | 3 | 4 }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const lang = side.language !== locale ? side.language : undefined;
  const Heading = `h${headingLevel}` as const;
  return (
    <div className={`pair-side pair-${kind}`}>
      <p className="pair-kind">{t(`curation.side.${kind}`)}</p>
      <Heading className="pair-title">
        <Link to={`/${kind === "challenge" ? "challenges" : "solutions"}/${side.id}`} lang={lang}>
          {side.title}
        </Link>
      </Heading>
      <p className="muted">{side.organisation}</p>
      <p lang={lang}>
        <strong>{side.summary}</strong>
      </p>
      <p className="pair-excerpt" lang={lang}>
        {side.excerpt}
      </p>
    </div>
  );
}

export function StageBadge({ stage }: { stage: string }) {
  const { t } = useTranslation();
  // The word carries the meaning; the class only adds a border style.
  return <span className={`badge stage-${stage}`}>{t(`curation.stage.${stage}`)}</span>;
}
