// The sitemap's content: the public pages and every published challenge and solution (what the
// public may see, by db/visibility.ts's rules), with the date each last changed.
import { listPublicChallengeDates } from "../../db/queries/challenges";
import { listPublicSolutionDates } from "../../db/queries/solutions";
import type { PortalContext } from "../context.server";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export async function sitemapXml(context: Pick<PortalContext, "db" | "publicBaseUrl">): Promise<string> {
  const [challenges, solutions] = await Promise.all([listPublicChallengeDates(context.db), listPublicSolutionDates(context.db)]);
  const url = (path: string, lastmod?: string) =>
    `  <url><loc>${escapeXml(new URL(path, `${context.publicBaseUrl}/`).toString())}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ""}</url>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url("/"),
    url("/challenges"),
    url("/solutions"),
    url("/accessibility"),
    ...challenges.map((c) => url(`/challenges/${c.id}`, c.updated_at)),
    ...solutions.map((s) => url(`/solutions/${s.id}`, s.updated_at)),
    "</urlset>",
    "",
  ].join("\n");
}
