// /robots.txt: crawlers may read the public pages (the sitemap lists them) and keep out of
// everything behind a sign-in or a mailed link, which would only answer them with the sign-in
// page or a spent token.
import type { LoaderFunctionArgs } from "@remix-run/node";

const PRIVATE = [
  "/admin",
  "/me",
  "/curation",
  "/matches",
  "/login",
  "/logout",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/verify-email",
  "/invitations",
  "/introductions",
  "/unsubscribe",
  "/language",
  "/challenges/new",
  "/solutions/new",
  "/organisations/new",
  "/healthz",
];

export function loader({ context }: LoaderFunctionArgs) {
  const lines = ["User-agent: *", ...PRIVATE.map((p) => `Disallow: ${p}`), "", `Sitemap: ${context.publicBaseUrl}/sitemap.xml`];
  return new Response(`${lines.join("\n")}\n`, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
