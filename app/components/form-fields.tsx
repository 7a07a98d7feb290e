// Form fields with their label, hint and errors wired together for screen readers:
// aria-invalid on the field, aria-describedby to the hint and the error, and an error summary
// at the top of the form that links to each field (the GOV.UK pattern).
import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "../lib/translation";
import { parseMessage } from "../lib/forms";

export function useErrorText() {
  const { t } = useTranslation();
  return (raw: string) => {
    const { key, params } = parseMessage(raw);
    return t(key, params);
  };
}

function describedBy(...ids: Array<string | false | undefined>) {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

function Errors({ field }: { field: FieldMetadata<unknown> }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!field.errors?.length) return null;
  return (
    <p className="field-error" id={field.errorId}>
      <span className="sr-only">{t("form.errorPrefix")} </span>
      {field.errors.map(text).join(" ")}
    </p>
  );
}

interface FieldProps {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  type?: "text" | "email" | "password" | "url" | "number" | "date" | "search";
  autoComplete?: string;
  lang?: string;
}

export function TextField({ field, label, hint, type = "text", autoComplete, lang }: FieldProps) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const invalid = Boolean(field.errors?.length);
  const props = getInputProps(field, { type, ariaAttributes: false });
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <Errors field={field} />
      <input
        {...props}
        key={props.key}
        autoComplete={autoComplete}
        lang={lang}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hintId, invalid && field.errorId)}
      />
    </div>
  );
}

export function TextArea({ field, label, hint, rows = 6, lang }: Omit<FieldProps, "type" | "autoComplete"> & { rows?: number }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const invalid = Boolean(field.errors?.length);
  const props = getTextareaProps(field, { ariaAttributes: false });
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <Errors field={field} />
      <textarea
        {...props}
        key={props.key}
        rows={rows}
        lang={lang}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hintId, invalid && field.errorId)}
      />
    </div>
  );
}

/** The list of what is wrong, first in the form, each linking to its field. */
export function ErrorSummary({ fields, formErrors }: { fields: Array<{ field: FieldMetadata<unknown>; label: string }>; formErrors?: string[] }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const wrong = fields.filter(({ field }) => field.errors?.length);
  if (wrong.length === 0 && !formErrors?.length) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{t("form.summaryTitle")}</h2>
      <ul>
        {formErrors?.map((e) => (
          <li key={e}>{text(e)}</li>
        ))}
        {wrong.map(({ field, label }) => (
          <li key={field.id}>
            <a href={`#${field.id}`}>
              {label}: {field.errors!.map(text).join(" ")}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FormActions({ children }: { children: ReactNode }) {
  return <div className="form-actions">{children}</div>;
}

interface Choice {
  value: string;
  label: string;
}

/** A select with its label, hint and errors. */
export function SelectField({
  field,
  label,
  hint,
  options,
  placeholder,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  options: Choice[];
  placeholder?: string;
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const invalid = Boolean(field.errors?.length);
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <Errors field={field} />
      <select
        id={field.id}
        name={field.name}
        form={field.formId}
        defaultValue={typeof field.initialValue === "string" ? field.initialValue : ""}
        key={field.key}
        required={field.required}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hintId, invalid && field.errorId)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Several checkboxes under one legend (a fieldset), e.g. districts or target groups. */
export function CheckboxGroup({
  field,
  legend,
  hint,
  options,
}: {
  field: FieldMetadata<unknown>;
  legend: string;
  hint?: string;
  options: Choice[];
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const invalid = Boolean(field.errors?.length);
  const initial = new Set(
    (Array.isArray(field.initialValue) ? field.initialValue : field.initialValue ? [field.initialValue] : []).map(String),
  );
  return (
    <fieldset
      className={`field${invalid ? " field-invalid" : ""}`}
      aria-describedby={describedBy(hintId, invalid && field.errorId)}
      id={field.id}
      tabIndex={-1}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <Errors field={field} />
      <ul className="choices">
        {options.map((o) => {
          const id = `${field.id}-${o.value}`;
          return (
            <li key={o.value}>
              <input type="checkbox" id={id} name={field.name} value={o.value} defaultChecked={initial.has(o.value)} key={`${field.key}-${o.value}`} />
              <label htmlFor={id}>{o.label}</label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/** One yes/no checkbox. */
export function CheckboxField({ field, label, hint }: { field: FieldMetadata<unknown>; label: string; hint?: string }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const checked = field.initialValue === "on" || field.initialValue === "true" || field.initialValue === true;
  return (
    <div className="field checkbox-field">
      <input type="checkbox" id={field.id} name={field.name} defaultChecked={checked} key={field.key} aria-describedby={hintId} />
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
