// Configuration comes from environment variables only, validated once at start-up. A wrong value
// stops the portal with a message naming the variable; secrets are never printed.
import net from "node:net";
import path from "node:path";
import { z } from "zod";

const port = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

const onOff = z
  .enum(["on", "off", "true", "false", "1", "0"], { error: 'must be "on" or "off"' })
  .transform((v) => v === "on" || v === "true" || v === "1");

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

/** What Express's "trust proxy" takes: an address, a CIDR range, or one of its named ranges. */
function isProxyEntry(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split("/");
  const family = net.isIP(address ?? "");
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** RFC 9116 takes a URI; a mail address or a web page are what a finder can actually use. */
function isSecurityContact(value: string): boolean {
  if (/^mailto:[^@\s]+@[^@\s]+$/.test(value)) return true;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    DATA_DIR: z.string().min(1).default("data"),
    DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
    PORT: port.default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ error: "must be a URL such as https://samskab.example" }).optional()),
    MEILI_URL: z.preprocess(emptyAsUndefined, z.url({ error: "must be a URL such as http://127.0.0.1:7700" }).optional()),
    MEILI_MASTER_KEY: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
    MEILI_INDEX_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/, "may only contain letters, digits, - and _")
      .default("samskab_"),
    DEMO_DATA: z.preprocess(emptyAsUndefined, onOff.default(true)),
    REFERENCE_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"], { error: "must be debug, info, warn or error" }).default("info"),
    SMTP_URL: z.preprocess(
      emptyAsUndefined,
      z
        .url({ error: "must be a URL such as smtp://user:password@mail.example:587" })
        .refine((u) => /^smtps?:/.test(u), "must start with smtp:// or smtps://")
        .optional(),
    ),
    MAIL_FROM: z.string().min(3).default("Samskab <noreply@samskab.example>"),
    CVR_API_URL: z.preprocess(emptyAsUndefined, z.url({ error: "must be a URL such as https://cvrapi.dk" }).optional()),
    CVR_USER_AGENT: z.preprocess(emptyAsUndefined, z.string().optional()),
    EMBEDDER_URL: z.preprocess(emptyAsUndefined, z.url({ error: "must be a URL such as http://127.0.0.1:11434" }).optional()),
    EMBEDDER_MODEL: z.preprocess(emptyAsUndefined, z.string().optional()),
    EMBEDDER_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    EMBEDDER_API: z.preprocess(emptyAsUndefined, z.enum(["openai", "ollama"], { error: 'must be "openai" or "ollama"' }).optional()),
    MATCH_REFIT_CHECK_MINUTES: z.preprocess(
      emptyAsUndefined,
      z.coerce.number({ error: "must be a number of minutes (0 turns scheduled refits off)" }).min(0, "must be 0 or more").default(60),
    ),
    TRUSTED_PROXIES: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((v) => v.split(",").map((p) => p.trim()).filter(Boolean))
        .refine((list) => list.every(isProxyEntry), "must be a comma-separated list of IP addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal")
        .optional(),
    ),
    NOTIFY_CHECK_MINUTES: z.preprocess(
      emptyAsUndefined,
      z.coerce.number({ error: "must be a number of minutes (0 leaves notifications to `npm run notify`)" }).min(0, "must be 0 or more").default(15),
    ),
    PAGE_CACHE_SECONDS: z.preprocess(
      emptyAsUndefined,
      z.coerce.number({ error: "must be a number of seconds (0 turns the page cache off)" }).int("must be whole seconds").min(0, "must be 0 or more").default(30),
    ),
    SECURITY_CONTACT: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(isSecurityContact, "must be a mailto: address or an https:// URL, such as mailto:security@samskab.example")
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.EMBEDDER_URL && !env.EMBEDDER_MODEL) {
      ctx.addIssue({ code: "custom", path: ["EMBEDDER_MODEL"], message: "is required when EMBEDDER_URL is set (the model the service should use)" });
    }
    if (env.MEILI_URL && !env.MEILI_MASTER_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["MEILI_MASTER_KEY"],
        message: "is required when MEILI_URL is set (the key of that Meilisearch server)",
      });
    }
  });

export interface Config {
  dataDir: string;
  databasePath: string;
  port: number;
  host: string;
  publicBaseUrl: string;
  /** Set when an external Meilisearch is used; otherwise one is embedded. */
  meiliUrl?: string;
  meiliMasterKey?: string;
  meiliIndexPrefix: string;
  demoData: boolean;
  referenceDataDir?: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** SMTP server for outgoing mail; without it mails go to the log and the admin mail page. */
  smtpUrl?: string;
  mailFrom: string;
  /** The company register (cvrapi.dk-shaped); without it CVR numbers wait for an administrator. */
  cvrApiUrl?: string;
  cvrUserAgent?: string;
  /** How often the matcher asks whether its model should be refitted; 0: never on a schedule. */
  matchRefitCheckMs?: number;
  /** How often the portal sends due notifications (immediate, weekly digests, reminders); 0: never on a schedule. */
  notifyCheckMs?: number;
  /** How long a page as visitors without an account see it is served again when nothing changed; 0: off. */
  pageCacheSeconds?: number;
  /**
   * Reverse proxies whose X-Forwarded-For (and -Proto, -Host) is believed; the client address
   * is otherwise the socket's. Empty: trust no one.
   */
  trustedProxies: string[];
  /** Where security problems are reported, for /.well-known/security.txt (mailto: or https:). */
  securityContact: string;
  /** An embedding service for the matcher's vectors instead of its own LSA fit. */
  embedder?: { url: string; model: string; apiKey?: string; api?: "openai" | "ollama" };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const browserHost = e.HOST === "0.0.0.0" || e.HOST === "::" ? "127.0.0.1" : e.HOST;
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://${browserHost}:${e.PORT}`).replace(/\/+$/, "");
  return {
    dataDir,
    databasePath: path.resolve(e.DATABASE_PATH ?? path.join(dataDir, "samskab.sqlite")),
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl,
    meiliUrl: e.MEILI_URL,
    meiliMasterKey: e.MEILI_MASTER_KEY,
    meiliIndexPrefix: e.MEILI_INDEX_PREFIX,
    demoData: e.DEMO_DATA,
    referenceDataDir: e.REFERENCE_DATA_DIR ? path.resolve(e.REFERENCE_DATA_DIR) : undefined,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    cvrApiUrl: e.CVR_API_URL,
    cvrUserAgent: e.CVR_USER_AGENT,
    matchRefitCheckMs: e.MATCH_REFIT_CHECK_MINUTES * 60_000,
    notifyCheckMs: e.NOTIFY_CHECK_MINUTES * 60_000,
    pageCacheSeconds: e.PAGE_CACHE_SECONDS,
    trustedProxies: e.TRUSTED_PROXIES ?? [],
    // The security@ mailbox RFC 2142 reserves is where a finder looks first when none is named.
    securityContact: e.SECURITY_CONTACT ?? `mailto:security@${new URL(publicBaseUrl).hostname}`,
    embedder: e.EMBEDDER_URL ? { url: e.EMBEDDER_URL, model: e.EMBEDDER_MODEL!, apiKey: e.EMBEDDER_API_KEY, api: e.EMBEDDER_API } : undefined,
  };
}

/** For command-line entry points: the configuration, or a clear message and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
