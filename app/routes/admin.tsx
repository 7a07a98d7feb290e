// The administrators' area: every page below /admin requires the administrator role.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "../lib/auth.server";
import { canAdminister } from "../lib/permissions";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canAdminister(user)) throw new Response("Forbidden", { status: 403 });
  return null;
}

const SECTIONS = ["reports", "organisations", "invitations", "reference", "mail"] as const;

export default function AdminLayout() {
  const { t } = useTranslation();
  return (
    <div className="admin">
      <nav aria-label={t("admin.nav")} className="sub-nav">
        <ul>
          <li>
            <NavLink to="/admin" end>
              {t("admin.overview")}
            </NavLink>
          </li>
          {SECTIONS.map((s) => (
            <li key={s}>
              <NavLink to={`/admin/${s}`}>{t(`admin.${s}.title`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "../root";
