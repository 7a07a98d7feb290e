import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { languageCookie } from "../lib/language.server";
import { safeRedirect } from "../lib/redirects";

const schema = z.object({
  lang: z.enum(["da", "en"]),
  // Only a path on this site (app/lib/redirects.ts): never another site, however it is spelled.
  returnTo: z.unknown().transform((v) => safeRedirect(v, "/")),
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
