// The administrators' area: every page below /admin requires the administrator role.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "../lib/translation";
import { requireAdministrator } from "../admin/admin.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdministrator(request, context);
  // The mail page exists only while no mail server is set up (it shows what would have been sent).
  return { sections: SECTIONS.filter((s) => s !== "mail" || !context.mailServer) };
}

const SECTIONS = ["users", "audit", "reports", "organisations", "invitations", "reference", "mail"] as const;

export default function AdminLayout() {
  const { sections } = useLoaderData<typeof loader>();
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
          {sections.map((s) => (
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
