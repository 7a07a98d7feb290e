// /sitemap.xml for search engines: see app/records/sitemap.server.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sitemapXml } from "../records/sitemap.server";

export async function loader({ context }: LoaderFunctionArgs) {
  return new Response(await sitemapXml(context), { headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
