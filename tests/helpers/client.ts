// A visitor without a browser: keeps cookies between requests and posts forms with the Origin
// a browser on this site sends.
import { DEMO_PASSWORD } from "../../db/demo";
import type { TestPortal } from "./portal";
import { nextTotpCode } from "./second-factor";

export class Visitor {
  readonly cookies = new Map<string, string>();
  lastSetCookie: string[] = [];

  constructor(private readonly portal: TestPortal) {}

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: Response) {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<Response> {
    const cookie = this.cookieHeader();
    const res = await this.portal.get(path, { headers: cookie ? { Cookie: cookie } : {} });
    this.remember(res);
    return res;
  }

  async html(path: string): Promise<string> {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    return res.text();
  }

  async post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
    const cookie = this.cookieHeader();
    const res = await this.portal.get(path, {
      method: "POST",
      body,
      headers: {
        Origin: this.portal.url,
        "Content-Type": "application/x-www-form-urlencoded",
        ...(cookie ? { Cookie: cookie } : {}),
        ...headers,
      },
    });
    this.remember(res);
    return res;
  }

  /** Signs in with the password, and with a fresh TOTP code when the account has a second factor. */
  async signIn(email: string, password: string): Promise<void> {
    const res = await this.post("/login", { email, password });
    if (res.status !== 302) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
    const location = res.headers.get("location") ?? "";
    if (!location.startsWith("/login/second-factor")) return;
    const code = await nextTotpCode(this.portal.database.db, email);
    const second = await this.post(location, { code });
    if (second.status !== 302) throw new Error(`second factor of ${email} answered ${second.status}: ${await second.text()}`);
  }
}

/** A visitor signed in as `email` (a demo account, with the demo password, unless told otherwise). */
export async function signedIn(portal: TestPortal, email: string, password: string = DEMO_PASSWORD): Promise<Visitor> {
  const visitor = new Visitor(portal);
  await visitor.signIn(email, password);
  return visitor;
}
