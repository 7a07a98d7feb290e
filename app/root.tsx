import "./lib/zod-without-eval";
import plex400 from "@fontsource/ibm-plex-sans/400.css?url";
import plex600 from "@fontsource/ibm-plex-sans/600.css?url";
import plex700 from "@fontsource/ibm-plex-sans/700.css?url";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import normalizeCss from "modern-normalize/modern-normalize.css?url";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { useTranslation } from "./lib/translation";
import { i18nFor, DEFAULT_LOCALE, type Locale } from "./i18n";
import { currentUser } from "./accounts/auth.server";
import { useCspNonce } from "./lib/csp-nonce";
import { localeOf } from "./lib/language.server";
import { canCurate } from "./lib/permissions";
import appCss from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: normalizeCss },
  { rel: "stylesheet", href: plex400 },
  { rel: "stylesheet", href: plex600 },
  { rel: "stylesheet", href: plex700 },
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await currentUser(request, context);
  // The public base URL (not a secret) makes canonical addresses and Open Graph URLs absolute.
  return { locale: await localeOf(request), baseUrl: context.publicBaseUrl, user: user ? { name: user.name, curator: canCurate(user) } : null };
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const location = useLocation();
  const other: Locale = locale === "da" ? "en" : "da";
  return (
    <form method="post" action="/language" className="language-switch">
      <input type="hidden" name="returnTo" value={`${location.pathname}${location.search}`} />
      <input type="hidden" name="lang" value={other} />
      <button type="submit" lang={other} className="link-button">
        {t("language.switchTo")}
      </button>
    </form>
  );
}

function AccountLinks({ user }: { user: { name: string; curator?: boolean } | null }) {
  const { t } = useTranslation();
  if (!user) {
    return (
      <ul className="account-nav">
        <li>
          <NavLink to="/login">{t("nav.login")}</NavLink>
        </li>
        <li>
          <NavLink to="/signup">{t("nav.signup")}</NavLink>
        </li>
      </ul>
    );
  }
  return (
    <ul className="account-nav">
      {user.curator ? (
        <li>
          <NavLink to="/curation">{t("nav.curation")}</NavLink>
        </li>
      ) : null}
      <li>
        <NavLink to="/me">{t("nav.me")}</NavLink>
      </li>
      <li>
        <form method="post" action="/logout">
          <button type="submit" className="link-button">
            {t("nav.logout")}
          </button>
        </form>
      </li>
    </ul>
  );
}

function Shell({ children, locale, user }: { children: ReactNode; locale: Locale; user: { name: string; curator?: boolean } | null }) {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand" aria-label={t("brand.home")}>
            <span className="brand-mark" aria-hidden="true">
              S
            </span>
            <span className="brand-name">Samskab</span>
          </Link>
          <nav aria-label={t("nav.label")} className="main-nav">
            <ul>
              <li>
                <NavLink to="/challenges">{t("nav.challenges")}</NavLink>
              </li>
              <li>
                <NavLink to="/solutions">{t("nav.solutions")}</NavLink>
              </li>
            </ul>
          </nav>
          <AccountLinks user={user} />
          <LanguageSwitch locale={locale} />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container footer-row">
          <p>{t("footer.about")}</p>
          <ul className="footer-links">
            <li>
              <Link to="/accessibility">{t("footer.accessibility")}</Link>
            </li>
            <li>
              <a href="https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12" rel="license">
                {t("footer.licence")}
              </a>
            </li>
          </ul>
        </div>
      </footer>
    </>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const i18n = useMemo(() => i18nFor(locale), [locale]);
  const nonce = useCspNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <Shell locale={locale} user={data?.user ?? null}>
            {children}
          </Shell>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}

const ERROR_KINDS: Partial<Record<number, string>> = {
  400: "badRequest",
  403: "forbidden",
  404: "notFound",
  405: "methodNotAllowed",
  409: "conflict",
  413: "tooLarge",
  415: "unsupportedType",
  429: "tooMany",
};

/** Which of the error texts (error.<kind>.title/body) a status gets. */
export function errorKindOf(status: number): string {
  return ERROR_KINDS[status] ?? (status >= 400 && status < 500 ? "badRequest" : "server");
}

/** The one error view: inside the layout, in the visitor's language, never with internals. */
export function ErrorPage() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = errorKindOf(status);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{t(`error.${kind}.title`)}</h1>
      <p>{t(`error.${kind}.body`)}</p>
      <p className="muted">{t("error.code", { status })}</p>
      <p>
        <Link to="/">{t("error.home")}</Link>
      </p>
    </section>
  );
}
