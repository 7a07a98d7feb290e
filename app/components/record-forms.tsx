// The challenge and solution forms, for creating and editing. Plain posts that work before
// JavaScript loads; with it, conform checks fields as they are left.
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { formOptions } from "../lib/forms";
import type { z } from "zod";
import { challengeSchema } from "../forms/challenge";
import { solutionSchema } from "../forms/solution";
import type { Option } from "../records/options.server";
import { CheckboxField, CheckboxGroup, ErrorSummary, FormActions, SelectField, TextArea, TextField } from "./form-fields";

export interface RecordOptions {
  districts: Option[];
  targetGroups: Option[];
  sdgGoals: Option[];
  procurementRoutes: Option[];
  wholeCity: string;
}

export interface Conflict {
  title: string;
  summary: string;
  description: string;
  updatedAt: string;
}

/** Someone saved after this form was opened: show their version; a new save overwrites it knowingly. */
export function ConflictPanel({ conflict }: { conflict: Conflict }) {
  const { t } = useTranslation();
  return (
    <section className="notice conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t("conflict.title")}</h2>
      <p>{t("conflict.body")}</p>
      <dl className="facts">
        <dt>{t("record.title")}</dt>
        <dd>{conflict.title}</dd>
        <dt>{t("record.summary")}</dt>
        <dd>{conflict.summary}</dd>
        <dt>{t("record.description")}</dt>
        <dd className="pre">{conflict.description}</dd>
      </dl>
    </section>
  );
}

export function ChallengeFormView({
  options,
  owners,
  coOwners,
  defaultValue,
  lastResult,
  version,
  isDraft,
  ownershipLocked = false,
}: {
  options: RecordOptions;
  owners: Option[];
  coOwners: Option[];
  /** The visitor works for a co-owner: owner and co-owners are shown, not chosen. */
  ownershipLocked?: boolean;
  defaultValue?: Record<string, unknown>;
  lastResult?: SubmissionResult<string[]> | null;
  version?: number;
  isDraft: boolean;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm<z.input<typeof challengeSchema>, z.output<typeof challengeSchema>>({
    lastResult,
    defaultValue: defaultValue as never,
    ...formOptions(challengeSchema),
  });
  const labels = {
    title: t("record.title"),
    summary: t("record.summary"),
    description: t("record.description"),
    language: t("record.language"),
    owner: t("challenge.owner"),
    coOwners: t("challenge.coOwners"),
    districts: t("record.districts"),
    sdgGoals: t("record.sdgGoals"),
    sdgTargets: t("record.sdgTargets"),
    targetGroups: t("record.targetGroups"),
    outcomeHoped: t("detail.outcomeHoped"),
    outcomeMeasure: t("detail.outcomeMeasure"),
    budgetMin: t("challenge.budgetMin"),
    budgetMax: t("challenge.budgetMax"),
    procurementRoute: t("detail.procurementRoute"),
    deadline: t("detail.deadline"),
    contactTeam: t("challenge.contactTeam"),
    contactEmail: t("challenge.contactEmail"),
  };
  // What is typed keeps the record's own language, which need not be the page's (WCAG 3.1.2).
  const textLang = typeof fields.language.initialValue === "string" ? fields.language.initialValue : undefined;
  return (
    <Form method="post" {...getFormProps(form)} className="record-form">
      <ErrorSummary formErrors={form.errors} fields={Object.entries(labels).map(([k, label]) => ({ field: fields[k as keyof typeof labels], label }))} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <TextField field={fields.title} label={labels.title} lang={textLang} />
      <TextArea field={fields.summary} label={labels.summary} lang={textLang} rows={3} hint={t("record.summaryHint")} />
      <TextArea field={fields.description} label={labels.description} lang={textLang} rows={14} hint={t("record.descriptionHint")} />
      <SelectField
        field={fields.language}
        label={labels.language}
        options={[
          { value: "da", label: t("language.name.da") },
          { value: "en", label: t("language.name.en") },
        ]}
      />
      <SelectField field={fields.owner} label={labels.owner} options={owners} hint={ownershipLocked ? t("challenge.ownershipLocked") : undefined} />
      {ownershipLocked ? (
        <div className="field">
          <p>
            <strong>{labels.coOwners}</strong>
          </p>
          <p>{coOwners.filter((o) => (fields.coOwners.initialValue as string[] | undefined)?.includes(o.value)).map((o) => o.label).join(", ") || "–"}</p>
          {((fields.coOwners.initialValue as string[] | undefined) ?? []).map((v) => (
            <input key={v} type="hidden" name={fields.coOwners.name} value={v} />
          ))}
        </div>
      ) : (
        <CheckboxGroup field={fields.coOwners} legend={labels.coOwners} hint={t("challenge.coOwnersHint")} options={coOwners} />
      )}
      <CheckboxField field={fields.wholeCity} label={options.wholeCity} />
      <CheckboxGroup field={fields.districts} legend={labels.districts} options={options.districts} />
      <CheckboxGroup field={fields.targetGroups} legend={labels.targetGroups} options={options.targetGroups} />
      <CheckboxGroup field={fields.sdgGoals} legend={labels.sdgGoals} options={options.sdgGoals} />
      <TextField field={fields.sdgTargets} label={labels.sdgTargets} hint={t("record.sdgTargetsHint")} />
      <TextArea field={fields.outcomeHoped} label={labels.outcomeHoped} lang={textLang} rows={3} />
      <TextArea field={fields.outcomeMeasure} label={labels.outcomeMeasure} lang={textLang} rows={3} hint={t("challenge.outcomeMeasureHint")} />
      <TextField field={fields.budgetMin} label={labels.budgetMin} hint={t("challenge.budgetHint")} />
      <TextField field={fields.budgetMax} label={labels.budgetMax} />
      <SelectField field={fields.procurementRoute} label={labels.procurementRoute} placeholder={t("form.noneOption")} options={options.procurementRoutes} hint={t("challenge.procurementHint")} />
      <TextField field={fields.deadline} label={labels.deadline} type="date" />
      <TextField field={fields.contactTeam} label={labels.contactTeam} lang={textLang} hint={t("challenge.contactTeamHint")} />
      <TextField field={fields.contactEmail} label={labels.contactEmail} type="email" hint={t("challenge.contactEmailHint")} />
      <FormActions>
        <button type="submit" name="intent" value="save" className="button">
          {isDraft ? t("record.saveDraft") : t("record.save")}
        </button>
        {isDraft ? (
          <button type="submit" name="intent" value="publish" className="button primary">
            {t("record.publish")}
          </button>
        ) : null}
      </FormActions>
    </Form>
  );
}

export function SolutionFormView({
  options,
  organisations,
  defaultValue,
  lastResult,
  version,
  isDraft,
}: {
  options: RecordOptions;
  organisations: Option[];
  defaultValue?: Record<string, unknown>;
  lastResult?: SubmissionResult<string[]> | null;
  version?: number;
  isDraft: boolean;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm<z.input<typeof solutionSchema>, z.output<typeof solutionSchema>>({
    lastResult,
    defaultValue: defaultValue as never,
    ...formOptions(solutionSchema),
  });
  const labels = {
    title: t("record.title"),
    summary: t("record.summary"),
    description: t("record.description"),
    language: t("record.language"),
    organisation: t("detail.organisation"),
    stage: t("detail.stage"),
    districts: t("record.districts"),
    sdgGoals: t("record.sdgGoals"),
    sdgTargets: t("record.sdgTargets"),
    targetGroups: t("record.targetGroups"),
    evidence: t("detail.evidence"),
    priceModel: t("detail.priceModel"),
  };
  // What is typed keeps the record's own language, which need not be the page's (WCAG 3.1.2).
  const textLang = typeof fields.language.initialValue === "string" ? fields.language.initialValue : undefined;
  return (
    <Form method="post" {...getFormProps(form)} className="record-form">
      <ErrorSummary formErrors={form.errors} fields={Object.entries(labels).map(([k, label]) => ({ field: fields[k as keyof typeof labels], label }))} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <TextField field={fields.title} label={labels.title} lang={textLang} />
      <TextArea field={fields.summary} label={labels.summary} lang={textLang} rows={3} hint={t("record.summaryHint")} />
      <TextArea field={fields.description} label={labels.description} lang={textLang} rows={14} hint={t("record.descriptionHint")} />
      <SelectField
        field={fields.language}
        label={labels.language}
        options={[
          { value: "da", label: t("language.name.da") },
          { value: "en", label: t("language.name.en") },
        ]}
      />
      <SelectField field={fields.organisation} label={labels.organisation} options={organisations} />
      <SelectField
        field={fields.stage}
        label={labels.stage}
        options={(["idea", "pilot", "running", "scaling"] as const).map((s) => ({ value: s, label: t(`stage.${s}`) }))}
      />
      <CheckboxField field={fields.wholeCity} label={options.wholeCity} />
      <CheckboxGroup field={fields.districts} legend={labels.districts} options={options.districts} />
      <CheckboxGroup field={fields.targetGroups} legend={labels.targetGroups} options={options.targetGroups} />
      <CheckboxGroup field={fields.sdgGoals} legend={labels.sdgGoals} options={options.sdgGoals} />
      <TextField field={fields.sdgTargets} label={labels.sdgTargets} hint={t("record.sdgTargetsHint")} />
      <TextArea field={fields.evidence} label={labels.evidence} lang={textLang} rows={4} hint={t("solution.evidenceHint")} />
      <TextArea field={fields.priceModel} label={labels.priceModel} lang={textLang} rows={3} />
      <FormActions>
        <button type="submit" name="intent" value="save" className="button">
          {isDraft ? t("record.saveDraft") : t("record.save")}
        </button>
        {isDraft ? (
          <button type="submit" name="intent" value="publish" className="button primary">
            {t("record.publish")}
          </button>
        ) : null}
      </FormActions>
    </Form>
  );
}
