// Looks a CVR number up in the Danish company register, through an HTTP API shaped like the
// public cvrapi.dk one. Registration never depends on it: the register only confirms a name or
// flags an ended company, so an outage, a quota or an odd answer is "unavailable" and the caller
// goes on without it. Nothing here throws.
//
// What we assume about cvrapi.dk (from its documentation and published responses; it has no
// formal schema, so the zod schema below accepts only what we use and tolerates the rest):
// - GET {baseUrl}/api?search={cvr}&country=dk. `search` also matches names, phone numbers and
//   P-numbers, so the answer's `vat` must equal the number asked for; any other company is an
//   unexpected answer, not a match.
// - The service refuses clients without a descriptive User-Agent (name and contact).
// - A found company is a flat JSON object: `vat` (a number, sometimes a string), `name`,
//   `address` ("Grenåvej 641"), `zipcode` (a number or a string), `city`, `startdate` and
//   `enddate` as "dd/mm - yyyy" with `enddate` null while the company is active, `industrydesc`,
//   and more we ignore (`companydesc`, `creditbankrupt`, `owners`, `productionunits`, ...).
// - Failures are an object with an `error` string, with status 200 or a 4xx: "NOT_FOUND" for an
//   unknown company; "QUOTA_EXCEEDED" (50 free lookups a day per IP), "BANNED",
//   "INTERNAL_ERROR" and others mean the register cannot answer us now.
import { z } from "zod";
import { isValidCvr, normalizeCvr } from "./cvr";

export type RegisterLookup =
  | { status: "found"; cvr: string; name: string; address: string | null; ended: boolean }
  | { status: "not_found" }
  | { status: "unavailable"; reason: string };

export interface CvrRegisterOptions {
  /** E.g. "https://cvrapi.dk"; the path /api is added. */
  baseUrl: string;
  timeoutMs?: number;
  /** cvrapi.dk asks for the name of the service and a way to contact its operator. */
  userAgent?: string;
  fetch?: typeof fetch;
}

export interface CvrRegister {
  lookup(cvr: string): Promise<RegisterLookup>;
}

const DEFAULT_USER_AGENT = "Samskab/0.1 (open-source social-economy portal; CVR lookup at registration)";

const optionalText = z.string().nullish();

const companySchema = z.object({
  vat: z.union([z.number().int(), z.string()]),
  name: z.string().trim().min(1),
  address: optionalText,
  zipcode: z.union([z.number().int(), z.string()]).nullish(),
  city: optionalText,
  enddate: optionalText,
});

const errorSchema = z.object({ error: z.string() });

function formatAddress(company: z.infer<typeof companySchema>): string | null {
  const place = [company.zipcode == null ? "" : String(company.zipcode).trim(), company.city?.trim() ?? ""]
    .filter(Boolean)
    .join(" ");
  const parts = [company.address?.trim() ?? "", place].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : null;
}

/** fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND) in its cause. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === "string") return `${error.message} (${cause.code})`;
  if (typeof cause?.message === "string") return `${error.message} (${cause.message})`;
  return error.message;
}

function unavailable(reason: string): RegisterLookup {
  return { status: "unavailable", reason };
}

export function createCvrRegister(options: CvrRegisterOptions): CvrRegister {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const endpoint = `${options.baseUrl.replace(/\/+$/, "")}/api`;

  return {
    async lookup(input) {
      const cvr = normalizeCvr(input);
      // A number that fails the check digit cannot be registered; asking would spend quota.
      if (!isValidCvr(cvr)) return { status: "not_found" };

      const url = new URL(endpoint);
      url.searchParams.set("search", cvr);
      url.searchParams.set("country", "dk");

      // Read at call time, so a fetch replaced after start-up (a test's interceptor) is used.
      const doFetch = options.fetch ?? globalThis.fetch;
      let status: number;
      let body: unknown;
      try {
        // The timeout covers reading the body too: a server that sends headers and then stalls
        // is as slow as one that never answers.
        const response = await doFetch(url, {
          headers: { Accept: "application/json", "User-Agent": userAgent },
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        if (status >= 500) return unavailable(`register answered ${status}`);
        const text = await response.text();
        try {
          body = JSON.parse(text);
        } catch {
          return unavailable(`register answered ${status} with a body that is not JSON`);
        }
      } catch (error) {
        if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
          return unavailable(`register did not answer within ${timeoutMs} ms`);
        }
        return unavailable(`register unreachable: ${describeNetworkError(error)}`);
      }

      const failure = errorSchema.safeParse(body);
      if (failure.success) {
        if (failure.data.error === "NOT_FOUND") return { status: "not_found" };
        return unavailable(`register refused the lookup: ${failure.data.error.slice(0, 100)}`);
      }
      // Only the register's own word counts as "not found": a bare 404 may as well be a wrong
      // base URL, and a wrong "not found" could turn a real company away.
      if (status < 200 || status > 299) return unavailable(`register answered ${status}`);

      const company = companySchema.safeParse(body);
      if (!company.success) return unavailable("register answered in an unexpected shape");
      if (String(company.data.vat).trim() !== cvr) return unavailable("register answered about another number");
      return {
        status: "found",
        cvr,
        name: company.data.name,
        address: formatAddress(company.data),
        ended: Boolean(company.data.enddate?.trim()),
      };
    },
  };
}
