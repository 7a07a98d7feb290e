// Remix sends a page's loader and action headers only through a route's `headers` export (Set-Cookie
// excepted). Routes whose forms can answer 429 export this, so the Retry-After their action set
// reaches the browser with the page.
import type { HeadersFunction } from "@remix-run/node";

export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders, errorHeaders }) => {
  const out = new Headers();
  for (const h of [errorHeaders, loaderHeaders, actionHeaders]) {
    const value = h?.get("Retry-After");
    if (value) out.set("Retry-After", value);
  }
  return out;
};
