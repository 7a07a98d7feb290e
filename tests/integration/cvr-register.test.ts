// The company register is the outside world: msw stands in for it, answering the way cvrapi.dk
// does, and any request the test did not expect fails the test.
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCvrRegister } from "../../app/organisations/cvr-register.server";

const BASE_URL = "https://cvr.test";
const API = `${BASE_URL}/api`;

// A found company in the shape cvrapi.dk publishes, fields we ignore included (values illustrative).
const copenhagen = {
  vat: 64942212,
  name: "KØBENHAVNS KOMMUNE",
  address: "Rådhuspladsen 1",
  zipcode: "1550",
  city: "København V",
  cityname: null,
  protected: false,
  phone: null,
  email: null,
  fax: null,
  startdate: "01/04 - 1970",
  enddate: null,
  employees: null,
  addressco: null,
  industrycode: 841100,
  industrydesc: "Generel offentlig administration",
  companycode: 100,
  companydesc: "Kommune",
  creditstartdate: null,
  creditbankrupt: false,
  creditstatus: null,
  owners: null,
  productionunits: [],
  t: 100,
  version: 6,
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const register = (timeoutMs?: number) => createCvrRegister({ baseUrl: BASE_URL, timeoutMs, userAgent: "Samskab test (tests@samskab.test)" });

describe("the company register", () => {
  it("finds a company, asking by number with a descriptive User-Agent", async () => {
    const seen: Array<{ search: string | null; country: string | null; userAgent: string | null }> = [];
    server.use(
      http.get(API, ({ request }) => {
        const url = new URL(request.url);
        seen.push({ search: url.searchParams.get("search"), country: url.searchParams.get("country"), userAgent: request.headers.get("user-agent") });
        return HttpResponse.json(copenhagen);
      }),
    );
    expect(await register().lookup("DK 64 94 22 12")).toEqual({
      status: "found",
      cvr: "64942212",
      name: "KØBENHAVNS KOMMUNE",
      address: "Rådhuspladsen 1, 1550 København V",
      ended: false,
    });
    expect(seen).toEqual([{ search: "64942212", country: "dk", userAgent: "Samskab test (tests@samskab.test)" }]);
  });

  it("reports a company that has ended, and copes with numbers where cvrapi.dk sometimes sends strings", async () => {
    server.use(
      http.get(API, () =>
        HttpResponse.json({ ...copenhagen, vat: "64942212", zipcode: 1550, address: null, enddate: "31/12 - 2020" }),
      ),
    );
    expect(await register().lookup("64942212")).toEqual({
      status: "found",
      cvr: "64942212",
      name: "KØBENHAVNS KOMMUNE",
      address: "1550 København V",
      ended: true,
    });
  });

  it.each([
    ["with status 200", 200],
    ["with status 404", 404],
  ])("says not found when the register answers NOT_FOUND %s", async (_, status) => {
    server.use(http.get(API, () => HttpResponse.json({ error: "NOT_FOUND", t: 100, version: 6 }, { status })));
    expect(await register().lookup("12345674")).toEqual({ status: "not_found" });
  });

  it("does not ask the register about a number that fails the check digit", async () => {
    // No handler: a request would fail the test through onUnhandledRequest.
    expect(await register().lookup("12345678")).toEqual({ status: "not_found" });
  });

  it("is unavailable when the register is down with a 500", async () => {
    server.use(http.get(API, () => HttpResponse.json({ error: "INTERNAL_ERROR" }, { status: 500 })));
    expect(await register().lookup("64942212")).toEqual({ status: "unavailable", reason: "register answered 500" });
  });

  it("is unavailable when the register cannot be reached", async () => {
    server.use(http.get(API, () => HttpResponse.error()));
    const result = await register().lookup("64942212");
    expect(result.status).toBe("unavailable");
    expect(result).toMatchObject({ reason: expect.stringMatching(/^register unreachable/) });
  });

  it("gives up on a slow register after the timeout instead of waiting for it", async () => {
    server.use(
      http.get(API, async () => {
        await delay(2_000);
        return HttpResponse.json(copenhagen);
      }),
    );
    const started = Date.now();
    expect(await register(100).lookup("64942212")).toEqual({ status: "unavailable", reason: "register did not answer within 100 ms" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("is unavailable when the answer is not JSON", async () => {
    server.use(http.get(API, () => new HttpResponse('{"vat": 64942212, "name": "KØBENH', { headers: { "Content-Type": "application/json" } })));
    expect(await register().lookup("64942212")).toEqual({
      status: "unavailable",
      reason: "register answered 200 with a body that is not JSON",
    });
  });

  it("is unavailable when the JSON has an unexpected shape", async () => {
    server.use(http.get(API, () => HttpResponse.json({ company: { vat: 64942212, name: "KØBENHAVNS KOMMUNE" } })));
    expect(await register().lookup("64942212")).toEqual({ status: "unavailable", reason: "register answered in an unexpected shape" });
  });

  it("is unavailable when the search matched another company (search also matches phone numbers)", async () => {
    server.use(http.get(API, () => HttpResponse.json({ ...copenhagen, vat: 28271026 })));
    expect(await register().lookup("64942212")).toEqual({ status: "unavailable", reason: "register answered about another number" });
  });

  it.each([
    ["QUOTA_EXCEEDED", 402],
    ["QUOTA_EXCEEDED", 200],
    ["BANNED", 403],
  ])("is unavailable when the register refuses us with %s (status %d)", async (error, status) => {
    server.use(http.get(API, () => HttpResponse.json({ error }, { status })));
    expect(await register().lookup("64942212")).toEqual({ status: "unavailable", reason: `register refused the lookup: ${error}` });
  });

  it("is unavailable, not 'not found', when a 404 is not the register's own answer", async () => {
    server.use(http.get(API, () => HttpResponse.json({ message: "Not Found" }, { status: 404 })));
    expect(await register().lookup("64942212")).toEqual({ status: "unavailable", reason: "register answered 404" });
  });
});
