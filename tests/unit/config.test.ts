import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../scripts/lib/config";

describe("configuration", () => {
  it("has working defaults: data/ beside the code, port 3000 on loopback, demo data on", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: path.resolve("data"),
      databasePath: path.resolve("data", "samskab.sqlite"),
      port: 3000,
      host: "127.0.0.1",
      publicBaseUrl: "http://127.0.0.1:3000",
      meiliIndexPrefix: "samskab_",
      demoData: true,
    });
    expect(config.meiliUrl).toBeUndefined();
  });

  it("names every wrong variable, and never prints a secret's value", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "seventy", MEILI_URL: "not a url", MEILI_MASTER_KEY: "short-secret", DEMO_DATA: "maybe" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: must be a whole number/);
    expect(message).toMatch(/MEILI_URL: must be a URL/);
    expect(message).toMatch(/MEILI_MASTER_KEY: must be at least 16 characters/);
    expect(message).toMatch(/DEMO_DATA: must be "on" or "off"/);
    expect(message).not.toContain("short-secret");
  });

  it("requires a key with an external Meilisearch", () => {
    expect(() => loadConfig({ MEILI_URL: "http://127.0.0.1:7700" })).toThrow(/MEILI_MASTER_KEY: is required when MEILI_URL is set/);
  });

  it("takes an embedding service only with its model, and keeps its key out of the messages", () => {
    expect(() => loadConfig({ EMBEDDER_URL: "http://127.0.0.1:11434", EMBEDDER_API_KEY: "sk-very-secret" })).toThrow(/EMBEDDER_MODEL: is required when EMBEDDER_URL is set/);
    try {
      loadConfig({ EMBEDDER_URL: "http://127.0.0.1:11434", EMBEDDER_API_KEY: "sk-very-secret", EMBEDDER_API: "grpc" });
    } catch (e) {
      expect((e as Error).message).toMatch(/EMBEDDER_API: must be "openai" or "ollama"/);
      expect((e as Error).message).not.toContain("sk-very-secret");
    }
    expect(loadConfig({ EMBEDDER_URL: "http://127.0.0.1:11434", EMBEDDER_MODEL: "nomic-embed-text" }).embedder).toEqual({
      url: "http://127.0.0.1:11434",
      model: "nomic-embed-text",
      apiKey: undefined,
      api: undefined,
    });
    expect(loadConfig({}).embedder).toBeUndefined();
    expect(loadConfig({ MATCH_REFIT_CHECK_MINUTES: "0" }).matchRefitCheckMs).toBe(0);
  });

  it("checks for due notifications every 15 minutes unless NOTIFY_CHECK_MINUTES says otherwise (0: off)", () => {
    expect(loadConfig({}).notifyCheckMs).toBe(15 * 60_000);
    expect(loadConfig({ NOTIFY_CHECK_MINUTES: "5" }).notifyCheckMs).toBe(5 * 60_000);
    expect(loadConfig({ NOTIFY_CHECK_MINUTES: "0" }).notifyCheckMs).toBe(0);
    expect(() => loadConfig({ NOTIFY_CHECK_MINUTES: "often" })).toThrow(/NOTIFY_CHECK_MINUTES: must be a number of minutes/);
    expect(() => loadConfig({ NOTIFY_CHECK_MINUTES: "-1" })).toThrow(/NOTIFY_CHECK_MINUTES: must be 0 or more/);
  });

  it("names security@ the public host as the security contact unless SECURITY_CONTACT is a mailto: or https address", () => {
    expect(loadConfig({}).securityContact).toBe("mailto:security@127.0.0.1");
    expect(loadConfig({ PUBLIC_BASE_URL: "https://samskab.kk.dk/" }).securityContact).toBe("mailto:security@samskab.kk.dk");
    expect(loadConfig({ SECURITY_CONTACT: "mailto:it-sikkerhed@kk.dk" }).securityContact).toBe("mailto:it-sikkerhed@kk.dk");
    expect(loadConfig({ SECURITY_CONTACT: "https://kk.dk/sikkerhed" }).securityContact).toBe("https://kk.dk/sikkerhed");
    for (const wrong of ["it-sikkerhed@kk.dk", "http://kk.dk/sikkerhed", "mailto:", "ring til os"]) {
      expect(() => loadConfig({ SECURITY_CONTACT: wrong }), wrong).toThrow(/SECURITY_CONTACT: must be a mailto: address or an https:\/\/ URL/);
    }
  });

  it("trusts no proxy by default, and takes addresses, CIDR ranges and Express's named ranges in TRUSTED_PROXIES", () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: "10.0.0.1, 10.0.0.0/8,loopback, ::1, fd00::/8" }).trustedProxies).toEqual(["10.0.0.1", "10.0.0.0/8", "loopback", "::1", "fd00::/8"]);
    for (const wrong of ["everyone", "10.0.0.0/33", "10.0.0.1/8/2", "example.org", "*"]) {
      expect(() => loadConfig({ TRUSTED_PROXIES: wrong }), wrong).toThrow(/TRUSTED_PROXIES: must be a comma-separated list/);
    }
  });

  it("turns demo data off with DEMO_DATA=off", () => {
    expect(loadConfig({ DEMO_DATA: "off" }).demoData).toBe(false);
  });
});
