import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "../accounts/auth.server";

export async function action({ request, context }: ActionFunctionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await signOut(request, context) } });
}

export async function loader() {
  return redirect("/");
}
