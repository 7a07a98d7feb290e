// The response's Content-Security-Policy nonce, from app/entry.server.tsx to the root's
// <Scripts> and <ScrollRestoration>. Not through a loader: loader data goes to the browser, and a
// nonce the page can read is one an injected script could reuse. The browser needs none anyway:
// what it runs after hydration are modules loaded from the portal itself.
import { createContext, useContext } from "react";

export const CspNonceContext = createContext<string | undefined>(undefined);

export function useCspNonce(): string | undefined {
  return useContext(CspNonceContext);
}
