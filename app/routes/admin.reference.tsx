import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { z } from "zod";
import { ErrorSummary, FormActions, TextField } from "../components/form-fields";
import { Notice } from "../components/notice";
import { requireAdministrator } from "../admin/admin.server";
import { message, requiredText, formOptions } from "../lib/forms";
import { invalidForm } from "../lib/outcome";
import { pageMeta } from "../lib/meta";
import { saveTargetGroup, targetGroups } from "../admin/reference.server";
import { DataTable } from "../components/data-table";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, { key: "admin.reference.title" });

const schema = z.object({
  code: z
    .string({ error: message("form.required") })
    .trim()
    .min(2, { error: message("form.tooShort", { min: 2 }) })
    .max(64, { error: message("form.tooLong", { max: 64 }) })
    .regex(/^[a-z0-9-]+$/, { error: message("form.code") }),
  nameDa: requiredText(120),
  nameEn: requiredText(120),
  active: z.string().optional().transform((v) => v !== "off"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  return { groups: await targetGroups(context) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdministrator(request, context);
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return invalidForm(submission);
  await saveTargetGroup(context, user, submission.value);
  return redirect("/admin/reference?notice=referenceSaved");
}

export default function Reference() {
  const { groups } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>()?.result;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    lastResult,
    ...formOptions(schema),
  });
  return (
    <>
      <h1>{t("admin.reference.title")}</h1>
      <Notice />
      <p className="lead">{t("admin.reference.lead")}</p>
      <DataTable caption={t("detail.targetGroups")}>
        <thead>
          <tr>
            <th scope="col">{t("admin.reference.code")}</th>
            <th scope="col">{t("admin.reference.nameDa")}</th>
            <th scope="col">{t("admin.reference.nameEn")}</th>
            <th scope="col">{t("admin.reference.active")}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.code}>
              <td>{g.code}</td>
              <td lang="da">{g.name_da}</td>
              <td lang="en">{g.name_en}</td>
              <td>{g.active ? t("admin.reference.yes") : t("admin.reference.no")}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <h2>{t("admin.reference.editTitle")}</h2>
      <p>{t("admin.reference.editLead")}</p>
      <Form method="post" {...getFormProps(form)} className="form-page">
        <ErrorSummary
          fields={[
            { field: fields.code, label: t("admin.reference.code") },
            { field: fields.nameDa, label: t("admin.reference.nameDa") },
            { field: fields.nameEn, label: t("admin.reference.nameEn") },
          ]}
        />
        <TextField field={fields.code} label={t("admin.reference.code")} hint={t("admin.reference.codeHint")} />
        <TextField field={fields.nameDa} label={t("admin.reference.nameDa")} />
        <TextField field={fields.nameEn} label={t("admin.reference.nameEn")} lang="en" />
        <div className="field">
          <label htmlFor="active">{t("admin.reference.active")}</label>
          <select id="active" name="active" defaultValue="on">
            <option value="on">{t("admin.reference.yes")}</option>
            <option value="off">{t("admin.reference.no")}</option>
          </select>
        </div>
        <FormActions>
          <button type="submit" className="button primary">
            {t("admin.reference.save")}
          </button>
        </FormActions>
      </Form>
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
