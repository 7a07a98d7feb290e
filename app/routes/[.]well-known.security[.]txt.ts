// /.well-known/security.txt (RFC 9116): where to report a security problem, in which languages.
import type { LoaderFunctionArgs } from "@remix-run/node";

const DAY = 86_400_000;

export function loader({ context }: LoaderFunctionArgs) {
  // RFC 9116 asks for an expiry less than a year ahead, so a forgotten file goes stale rather
  // than pointing at an old contact forever; from midnight, the file is the same all day.
  const today = new Date();
  const expires = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + 364 * DAY);
  const lines = [
    `Contact: ${context.securityContact}`,
    `Expires: ${expires.toISOString()}`,
    "Preferred-Languages: da, en",
    `Canonical: ${context.publicBaseUrl}/.well-known/security.txt`,
  ];
  return new Response(`${lines.join("\n")}\n`, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=86400" } });
}
