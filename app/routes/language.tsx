import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { languageCookie } from "../lib/language.server";

const schema = z.object({
  lang: z.enum(["da", "en"]),
  // Only a path on this site: never an absolute or protocol-relative URL (no open redirect).
  returnTo: z
    .string()
    .regex(/^\/(?!\/)[^\\]*$/)
    .max(2000)
    .catch("/"),
});

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = schema.safeParse(form);
  if (!parsed.success) throw new Response("Unknown language / Ukendt sprog", { status: 400 });
  return redirect(parsed.data.returnTo, {
    headers: { "Set-Cookie": await languageCookie.serialize(parsed.data.lang) },
  });
}

export async function loader() {
  return redirect("/");
}
