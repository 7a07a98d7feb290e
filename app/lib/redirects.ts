// The one place a redirect target taken from a request is judged. Browsers drop tabs and line
// breaks from a URL and read "\" as "/", so "/\t/evil.example" or "/\\evil.example" would take
// them to another site: the target is refused unless it parses as a path of this site, and what
// is returned is the parsed path, so no control character ever reaches a Location header.
const HERE = "http://samskab.invalid";

export function safeRedirect(to: unknown, fallback = "/me"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(to, HERE);
  } catch {
    return fallback;
  }
  if (url.origin !== HERE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
