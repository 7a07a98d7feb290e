// The hostile-input crawler: as one role, it walks the portal from its own pages (links, GET
// forms, the sitemap, the build's static routes), collects every form and query parameter it
// meets, and sends each of them hostile variants, one field at a time. A new route or form is
// covered the day it is linked from a page; nobody keeps a list of them.
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { parse, type HTMLElement } from "node-html-parser";
import { DEMO_PASSWORD } from "../../db/demo";
import { ROOT, SERVER_BUILD } from "../../scripts/lib/build";
import { Visitor } from "./client";
import type { TestPortal } from "./portal";

export const ROLES = ["public", "entrepreneur", "staff", "community", "admin"] as const;
export type Role = (typeof ROLES)[number];

const ACCOUNTS: Record<Exclude<Role, "public">, string> = {
  entrepreneur: "entrepreneur@samskab.example",
  staff: "suf@kk.example",
  community: "community@samskab.example",
  admin: "admin@samskab.example",
};

// ---------------------------------------------------------------------------------------------
// Sessions

/** A role's way into the portal: the cookies it carries, renewed when a variant ends them. */
export interface Session {
  role: Role;
  visitor: Visitor;
  signIns: number;
}

/**
 * The one place the crawler signs in. When administrators need a second factor, this is where
 * the crawler answers it; nothing else knows how signing in works.
 */
export async function signInAs(portal: TestPortal, role: Role): Promise<Visitor> {
  const visitor = new Visitor(portal);
  if (role !== "public") await visitor.signIn(ACCOUNTS[role], DEMO_PASSWORD);
  return visitor;
}

export async function openSession(portal: TestPortal, role: Role): Promise<Session> {
  return { role, visitor: await signInAs(portal, role), signIns: 1 };
}

function cookieHeader(visitor: Visitor | undefined): Record<string, string> {
  if (!visitor || visitor.cookies.size === 0) return {};
  return { Cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
}

/** Signs the role in again when a variant ended its session (GET /me no longer answers 200). */
export async function ensureSignedIn(portal: TestPortal, session: Session): Promise<void> {
  if (session.role === "public") return;
  const res = await portal.get("/me", { headers: cookieHeader(session.visitor) });
  await res.arrayBuffer();
  if (res.status === 200) return;
  session.visitor = await signInAs(portal, session.role);
  session.signIns++;
}

// ---------------------------------------------------------------------------------------------
// What the crawler finds

type FieldKind = "text" | "choice" | "number" | "date" | "redirect";

interface Field {
  name: string;
  kind: FieldKind;
  /** A value to send when the field is not among the defaults (an unchecked checkbox). */
  sample: string;
}

export interface PostForm {
  role: Role;
  /** The page the form was found on. */
  page: string;
  /** As a browser would post it: path and query, resolved against the page. */
  action: string;
  pattern: string;
  /** The body a browser sends when the button is pressed, in document order. */
  defaults: Array<[string, string]>;
  fields: Field[];
  button?: [string, string];
  /**
   * Another button of a form already tried field by field (publish beside save): the same
   * fields would only repeat the first button's requests, so it is sent as it is.
   */
  sibling?: boolean;
}

export interface GetParam {
  pattern: string;
  name: string;
  kind: FieldKind;
  /** A URL on which the parameter was seen; the other parameters keep their values from it. */
  url: string;
}

export interface Discovery {
  role: Role;
  pages: string[];
  /** Every address crawled, HTML or not, for the whole-page variants. */
  targets: string[];
  forms: PostForm[];
  params: GetParam[];
  failures: Failure[];
}

export interface Failure {
  role: Role;
  label: string;
  /** The request exactly as sent, to reproduce it. */
  example: string;
  status: number;
  reason: string;
}

/** Numbers and tokens in a path become placeholders: pages of one route are one pattern. */
export function patternOf(pathname: string): string {
  return pathname
    .split("/")
    .map((s) => (/^\d+$/.test(s) ? ":id" : /^[A-Za-z0-9_-]{20,}$/.test(s) ? ":token" : s))
    .join("/");
}

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

// Anything that would end the crawler's own session, or is not the portal's pages.
const SKIPPED_PATHS = [/^\/logout\b/, /^\/assets\//, /\.(css|js|svg|png|jpe?g|woff2?|ico|map|txt)$/i];

/** Signing in, signing up and their kin: posted without the role's cookies, so its session survives. */
export function isAccountForm(path: string): boolean {
  return /^\/(login|signup|forgot-password|reset-password|verify-email|invitations)\b/.test(path);
}

/** The static paths of the build's route manifest: every route without a `$` parameter. */
export async function staticRoutePaths(): Promise<string[]> {
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  const full = (id: string): string | undefined => {
    const route = build.routes[id];
    if (!route) return "";
    const parent = route.parentId ? full(route.parentId) : "";
    if (parent === undefined || route.path?.includes("$") || route.path?.includes("*") || route.path?.includes(":")) return undefined;
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  const paths = new Set<string>();
  for (const id of Object.keys(build.routes)) {
    const p = full(id);
    if (p !== undefined) paths.add(`/${p}`.replace(/\/+/g, "/"));
  }
  return [...paths];
}

function kindOf(el: HTMLElement, name: string, values: string[]): FieldKind {
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute("type") ?? "text").toLowerCase();
  if (/^(redirect|return|back|next)/i.test(name) || /(redirectTo|returnTo|url)$/i.test(name)) return "redirect";
  if (["date", "month", "week", "datetime-local", "time"].includes(type) || /(date|deadline|due)$/i.test(name)) return "date";
  if (type === "number" || type === "range") return "number";
  const given = values.filter((v) => v !== "");
  if (given.length > 0 && given.every((v) => /^-?\d+$/.test(v))) return "number";
  if (tag === "select" || type === "checkbox" || type === "radio" || type === "hidden") return "choice";
  return "text";
}

interface ParsedForm {
  method: "get" | "post";
  action: string;
  defaults: Array<[string, string]>;
  fields: Field[];
  buttons: Array<[string, string]>;
}

/** Reads a form as a browser does: which fields it has, and what pressing submit sends. */
function readForm(form: HTMLElement, pageUrl: URL): ParsedForm {
  const method = (form.getAttribute("method") ?? "get").toLowerCase() === "post" ? "post" : "get";
  const action = new URL(form.getAttribute("action") || pageUrl.href, pageUrl);
  const defaults: Array<[string, string]> = [];
  const fields = new Map<string, Field>();
  const buttons: Array<[string, string]> = [];
  const note = (el: HTMLElement, name: string, values: string[]) => {
    const known = fields.get(name);
    if (known) return;
    fields.set(name, { name, kind: kindOf(el, name, values), sample: values.find((v) => v !== "") ?? values[0] ?? "" });
  };
  for (const el of form.querySelectorAll("input, select, textarea, button")) {
    const name = el.getAttribute("name");
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute("type") ?? (tag === "button" ? "submit" : "text")).toLowerCase();
    if (tag === "button" || type === "submit" || type === "image") {
      if (name && type === "submit") buttons.push([name, el.getAttribute("value") ?? ""]);
      continue;
    }
    if (!name || ["reset", "button", "file"].includes(type)) continue;
    // A disabled field sends nothing, but a client may still send it.
    const sends = !el.hasAttribute("disabled");
    if (tag === "select") {
      const options = el.querySelectorAll("option").map((o) => ({ value: o.getAttribute("value") ?? o.text.trim(), selected: o.hasAttribute("selected") }));
      note(el, name, options.map((o) => o.value));
      const chosen = options.filter((o) => o.selected);
      const sent = chosen.length > 0 ? chosen : el.hasAttribute("multiple") ? [] : options.slice(0, 1);
      if (sends) for (const o of sent) defaults.push([name, o.value]);
    } else if (tag === "textarea") {
      note(el, name, [el.text]);
      if (sends) defaults.push([name, el.text.replace(/^\n/, "")]);
    } else if (type === "checkbox" || type === "radio") {
      const value = el.getAttribute("value") ?? "on";
      note(el, name, [value]);
      if (sends && el.hasAttribute("checked")) defaults.push([name, value]);
    } else {
      const value = el.getAttribute("value") ?? "";
      note(el, name, [value]);
      if (sends) defaults.push([name, value]);
    }
  }
  return { method, action: `${action.pathname}${action.search}`, defaults, fields: [...fields.values()], buttons };
}

/** A page's post forms, one per named submit button (intent=accept and intent=dismiss are two). */
function postForms(role: Role, page: string, root: HTMLElement, pageUrl: URL, portal: TestPortal): PostForm[] {
  const forms: PostForm[] = [];
  for (const el of root.querySelectorAll("form")) {
    const form = readForm(el, pageUrl);
    if (form.method !== "post" || !sitePath(portal, form.action, pageUrl.href) || SKIPPED_PATHS.some((re) => re.test(pathOf(form.action)))) continue;
    const buttons = form.buttons.length > 0 ? form.buttons : [undefined];
    buttons.forEach((button, i) => {
      // The button's name is a field as well: a client may send any value in it.
      const fields = button && !form.fields.some((f) => f.name === button[0]) ? [...form.fields, { name: button[0], kind: "choice" as const, sample: button[1] }] : form.fields;
      forms.push({
        role,
        page,
        action: form.action,
        pattern: patternOf(pathOf(form.action)),
        defaults: button ? [...form.defaults, button] : form.defaults,
        fields,
        button,
        sibling: i > 0,
      });
    });
  }
  return forms;
}

/** Forms that differ only in their record's id or their field values are one form. */
function formKey(form: PostForm): string {
  return [form.pattern, form.fields.map((f) => f.name).sort().join(","), form.button?.join("=") ?? ""].join(" ");
}

// ---------------------------------------------------------------------------------------------
// Requests and the verdict on their answers

export interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** What the failure list calls this request. */
  label: string;
  /** Sent without the role's cookies (account forms). */
  cookieless?: boolean;
  /** A same-site redirect is followed by one GET, whose answer is judged as well. */
  follow?: boolean;
  /**
   * Not followed when it leads back to this path (the form's own page, with a notice): the pass
   * over every page after the variants reads it anyway, once instead of after every post.
   */
  home?: string;
  /** Several hostile things at once; when the answer is bad, these say which of them it was. */
  split?: Probe[];
}

// A stack line as Node prints it, and as Express's error page escapes it into HTML.
const STACK_LINE = /(\n|<br\s*\/?>)(\s|&nbsp;)+at .+?[(:]\d+:\d+/;
const INTERNALS: Array<[RegExp, string]> = [
  [STACK_LINE, "a stack trace"],
  [/\/work\//, "a file path"],
  [new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "the repository's path"],
  [/node_modules/, "node_modules"],
  [/file:\/\//, "a file:// URL"],
  [/SqliteError|TypeError:|RangeError:|ReferenceError:|SyntaxError:|URIError/, "an error class"],
];

/** Why an answer is a failure, or undefined when it is fine. */
export function judge(portal: TestPortal, status: number, location: string | null, body: string): string | undefined {
  const shown = INTERNALS.filter(([re]) => re.test(body)).map(([, what]) => what);
  const showing = shown.length > 0 ? `showing ${shown.join(", ")}` : "";
  if (status >= 500) return ["server error", showing].filter(Boolean).join(", ");
  if (showing) return `the body is ${showing}`;
  if (location !== null && leavesSite(portal, location)) return `redirects off the site to ${JSON.stringify(location)}`;
  return undefined;
}

function siteOrigins(portal: TestPortal): string[] {
  return [new URL(portal.url).origin, new URL(portal.config.publicBaseUrl).origin];
}

/** A Location a browser would follow to another host, however it is spelled. */
export function leavesSite(portal: TestPortal, location: string): boolean {
  // Browsers drop tabs and newlines from URLs and read backslashes as slashes.
  const cleaned = location.replace(/[\t\n\r]/g, "");
  if (/^[\\/]{2}/.test(cleaned) || cleaned.includes("\\")) return true;
  try {
    return !siteOrigins(portal).includes(new URL(cleaned, portal.url).origin);
  } catch {
    return true;
  }
}

/** A same-site address as path and query, or undefined for anything else. */
function sitePath(portal: TestPortal, href: string, base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  if (!["http:", "https:"].includes(url.protocol) || !siteOrigins(portal).includes(url.origin)) return undefined;
  return `${url.pathname}${url.search}`;
}

interface Answer {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** Every request and its status, when HOSTILE_INPUT_TRACE is set: to see what a variant reached. */
export const trace: string[] | undefined = process.env.HOSTILE_INPUT_TRACE ? [] : undefined;

async function send(portal: TestPortal, session: Session, probe: Probe): Promise<Answer> {
  const headers: Record<string, string> = { ...(probe.cookieless ? {} : cookieHeader(session.visitor)), ...probe.headers };
  const body = probe.body ? new Uint8Array(probe.body) : undefined;
  const res = await portal.get(probe.path, { method: probe.method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", location: res.headers.get("location"), body: await res.text() };
}

interface Outcome {
  failures: Failure[];
  status: number;
  /** The portal did what was asked (so a record's version may have moved on). */
  accepted: boolean;
}

/** Sends one probe (and its redirect's target), and returns what went wrong, if anything. */
async function attempt(portal: TestPortal, session: Session, probe: Probe): Promise<Outcome> {
  const outcome = await attemptOne(portal, session, probe);
  if (outcome.failures.length === 0 || !probe.split) return outcome;
  const parts: Failure[] = [];
  for (const part of probe.split) parts.push(...(await attemptOne(portal, session, part)).failures);
  return { ...outcome, failures: parts.length > 0 ? parts : outcome.failures };
}

async function attemptOne(portal: TestPortal, session: Session, probe: Probe): Promise<Outcome> {
  const failure = (status: number, reason: string): Failure => ({
    role: session.role,
    label: probe.label,
    example: `${probe.method} ${probe.path.length > 200 ? `${probe.path.slice(0, 200)}…` : probe.path}`,
    status,
    reason,
  });
  let answer: Answer;
  const sentAt = Date.now();
  try {
    answer = await send(portal, session, probe);
  } catch (error) {
    return { failures: [failure(0, `no answer (${error instanceof Error ? error.name : String(error)})`)], status: 0, accepted: false };
  }
  trace?.push(`${session.role} ${answer.status} ${Date.now() - sentAt}ms ${probe.label} ${probe.method} ${probe.path.slice(0, 120)}`);
  const reason = judge(portal, answer.status, answer.location, answer.body);
  if (reason) return { failures: [failure(answer.status, reason)], status: answer.status, accepted: false };
  const next = answer.location ? sitePath(portal, answer.location, `${portal.url}${probe.path}`) : undefined;
  const accepted = answer.status < 400 && !(next && /^\/login\b/.test(next));
  if (probe.follow && answer.status >= 300 && answer.status < 400 && next && !/^\/(login|logout)\b/.test(next) && pathOf(next) !== probe.home) {
    try {
      const after = await send(portal, session, { method: "GET", path: next, label: "", cookieless: probe.cookieless });
      const afterReason = judge(portal, after.status, after.location, after.body);
      if (afterReason) return { failures: [failure(after.status, `${afterReason}, on GET ${next} after the post was accepted with ${answer.status}`)], status: answer.status, accepted };
    } catch (error) {
      return { failures: [failure(0, `no answer from GET ${next} after the post was accepted (${error instanceof Error ? error.name : String(error)})`)], status: answer.status, accepted };
    }
  }
  return { failures: [], status: answer.status, accepted };
}

/** Runs tasks with a few in flight: the portal runs on the same two cores as the test. */
async function pool<T, R>(items: T[], inFlight: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i]!);
      }
    }),
  );
  return results;
}

export const IN_FLIGHT = 4;

export interface Batch {
  probes: Probe[];
  /**
   * For a form that carries its record's version: the probes built again from the form as the
   * page shows it now. Such a batch is sent one by one, re-read after every accepted variant,
   * or every variant after the first accepted one would only meet an edit conflict (409).
   */
  reread?: () => Promise<Probe[] | undefined>;
  /**
   * Posts the form's original values again (at the record's current version): after a variant
   * was stored and broke the record's page, or every later variant would be blamed for it.
   */
  repair?: () => Probe;
}

/** Sends every batch; checks between batches that the role is still signed in. */
export async function sendAll(portal: TestPortal, session: Session, batches: Batch[]): Promise<{ failures: Failure[]; requests: number }> {
  const failures: Failure[] = [];
  let requests = 0;
  await ensureSignedIn(portal, session);
  for (const batch of batches) {
    const batchStarted = Date.now();
    if (batch.reread) {
      // Matched by label: the form as re-read may have gained or lost a field.
      let current = new Map<string, Probe>();
      const reread = async () => {
        const probes = await batch.reread!();
        if (probes) current = new Map(probes.map((p) => [p.label, p]));
      };
      await reread();
      for (const original of batch.probes) {
        let outcome = await attempt(portal, session, current.get(original.label) ?? original);
        if (outcome.status === 409) {
          await reread();
          outcome = await attempt(portal, session, current.get(original.label) ?? original);
        }
        failures.push(...outcome.failures);
        if (outcome.accepted) await reread();
        if (outcome.accepted && outcome.failures.length > 0 && batch.repair) {
          await attempt(portal, session, batch.repair());
          await reread();
        }
      }
    } else {
      for (const outcome of await pool(batch.probes, IN_FLIGHT, (p) => attempt(portal, session, p))) failures.push(...outcome.failures);
    }
    requests += batch.probes.length;
    trace?.push(`BATCH ${session.role} ${Date.now() - batchStarted}ms ${batch.probes.length} ${batch.reread ? "sequential" : "pooled"} ${batch.probes[0]?.label ?? ""}`);
    await ensureSignedIn(portal, session);
  }
  return { failures, requests };
}

// ---------------------------------------------------------------------------------------------
// Discovery

const PER_PATTERN = 2;
const MAX_PAGES = 80;

/** Breadth-first from the home page, the sitemap and the build's static routes, as one role. */
export async function crawl(portal: TestPortal, session: Session, staticPaths: string[]): Promise<Discovery> {
  const found: Discovery = { role: session.role, pages: [], targets: [], forms: [], params: [], failures: [] };
  const seenParams = new Map<string, GetParam>();
  const seenForms = new Set<string>();
  const queued = new Set<string>();
  const perPattern = new Map<string, number>();
  const queue: string[] = [];

  const noteParams = (path: string) => {
    const url = new URL(path, portal.url);
    for (const [name, value] of url.searchParams) {
      const pattern = patternOf(url.pathname);
      const key = `${pattern}?${name}`;
      if (!seenParams.has(key)) seenParams.set(key, { pattern, name, kind: paramKind(name, value), url: path });
    }
  };
  const enqueue = (path: string) => {
    noteParams(path);
    if (queued.has(path) || SKIPPED_PATHS.some((re) => re.test(pathOf(path)))) return;
    const pattern = patternOf(pathOf(path));
    const count = perPattern.get(pattern) ?? 0;
    if (count >= PER_PATTERN) return;
    perPattern.set(pattern, count + 1);
    queued.add(path);
    queue.push(path);
  };

  const sitemap = await send(portal, session, { method: "GET", path: "/sitemap.xml", label: "" });
  for (const m of sitemap.body.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const path = sitePath(portal, m[1]!.replace(/&amp;/g, "&"), portal.url);
    if (path) enqueue(path);
  }
  for (const path of ["/", "/sitemap.xml", ...staticPaths]) enqueue(path);

  const visit = async (path: string) => {
    let answer: Answer;
    try {
      answer = await send(portal, session, { method: "GET", path, label: "" });
    } catch (error) {
      found.failures.push({ role: session.role, label: `GET ${patternOf(pathOf(path))} (crawl)`, example: `GET ${path}`, status: 0, reason: String(error) });
      return;
    }
    found.targets.push(path);
    const reason = judge(portal, answer.status, answer.location, answer.body);
    if (reason) found.failures.push({ role: session.role, label: `GET ${patternOf(pathOf(path))} (crawl)`, example: `GET ${path}`, status: answer.status, reason });
    if (answer.location) {
      const next = sitePath(portal, answer.location, `${portal.url}${path}`);
      if (next) enqueue(next);
    }
    if (!answer.contentType.startsWith("text/html")) return;
    if (answer.status === 200) found.pages.push(path);
    const pageUrl = new URL(path, portal.url);
    const root = parse(answer.body);
    for (const a of root.querySelectorAll("a[href]")) {
      const next = sitePath(portal, a.getAttribute("href")!, pageUrl.href);
      if (next) enqueue(next);
    }
    for (const el of root.querySelectorAll("form")) {
      const form = readForm(el, pageUrl);
      if (!sitePath(portal, form.action, pageUrl.href) || SKIPPED_PATHS.some((re) => re.test(pathOf(form.action)))) continue;
      if (form.method === "get") {
        // Every named field is a parameter, submitted or not (an unchecked filter box too).
        const query = new URLSearchParams(form.defaults);
        const submitted = `${pathOf(form.action)}${query.size > 0 ? `?${query}` : ""}`;
        for (const f of form.fields) {
          const key = `${patternOf(pathOf(form.action))}?${f.name}`;
          if (seenParams.has(key)) continue;
          const withIt = new URLSearchParams(form.defaults);
          if (!withIt.has(f.name)) withIt.append(f.name, f.sample);
          seenParams.set(key, { pattern: patternOf(pathOf(form.action)), name: f.name, kind: f.kind, url: `${pathOf(form.action)}?${withIt}` });
        }
        enqueue(submitted);
      }
    }
    for (const form of postForms(session.role, path, root, pageUrl, portal)) {
      const key = formKey(form);
      if (seenForms.has(key)) continue;
      seenForms.add(key);
      found.forms.push(form);
    }
  };

  // A small pool that keeps taking from the queue while pages add to it.
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (queue.length === 0 && active === 0) return resolve();
      while (active < IN_FLIGHT && queue.length > 0 && found.targets.length + active < MAX_PAGES) {
        const path = queue.shift()!;
        active++;
        visit(path)
          .then(() => {
            active--;
            pump();
          })
          .catch(reject);
      }
      if (active === 0) resolve();
    };
    pump();
  });
  found.params = [...seenParams.values()];
  return found;
}

function paramKind(name: string, value: string): FieldKind {
  if (/^(redirect|return|back|next)/i.test(name) || /(redirectTo|returnTo|url)$/i.test(name)) return "redirect";
  if (/^\d{4}-\d{2}(-\d{2})?$/.test(value) || /(date|deadline|due|from|to)$/i.test(name)) return "date";
  if (/^-?\d+$/.test(value)) return "number";
  return "choice";
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** A hostile value: text, or bytes that are not valid UTF-8 however they are decoded. */
interface Hostile {
  name: string;
  text: string;
  /** Raw bytes for a body; the same bytes percent-encoded for a URL. */
  raw?: { body: Buffer; query: string };
}

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];
// Names conform's field paths (a.b, a[0]) might walk into the prototype with.
const PROTO_PATHS = ["__proto__.polluted", "constructor.prototype.polluted", "__proto__[polluted]"];

const formEncode = (s: string) => new URLSearchParams([["", s]]).toString().slice(1);

/**
 * The values to try in a field that holds `current`. NUL and broken UTF-8 go inside the current
 * text, so they pass a minimum length and reach the code behind the validation.
 */
function hostileValues(kind: FieldKind, inUrl: boolean, current: string): Hostile[] {
  const bad = [0xff, 0xfe];
  const values: Hostile[] = [
    // A URL has room for less: Node refuses request heads over 16 kB before the portal sees them.
    { name: "long", text: "å".repeat(inUrl ? 2_000 : 30_000) },
    { name: "nul", text: `${current || "før"}\u0000efter` },
    {
      name: "invalid-utf8",
      text: "",
      raw: {
        body: Buffer.concat([Buffer.from(formEncode(current || "x")), Buffer.from(bad), Buffer.from("%C0%AF")]),
        query: `${formEncode(current || "x")}%FF%FE%C0%AF`,
      },
    },
    { name: "empty", text: "" },
    { name: "__proto__", text: "__proto__" },
  ];
  if (kind !== "text") for (const key of PROTO_KEYS.slice(1)) values.push({ name: key, text: key });
  if (kind === "number") for (const n of ["-1", "1e309", "99999999999999999999999", "NaN", "Infinity", "0x10"]) values.push({ name: n, text: n });
  if (kind === "date") for (const d of ["2026-02-30", "9999-99-99", "0000-00-00", "2026-13-01"]) values.push({ name: d, text: d });
  if (kind === "redirect")
    for (const r of ["//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example/"]) values.push({ name: `redirect ${JSON.stringify(r)}`, text: r });
  return values;
}

type Pair = [string, string | Buffer];

function formBody(pairs: Pair[]): Buffer {
  const enc = formEncode;
  const parts: Buffer[] = [];
  pairs.forEach(([k, v], i) => {
    if (i > 0) parts.push(Buffer.from("&"));
    parts.push(Buffer.from(`${enc(k)}=`), typeof v === "string" ? Buffer.from(enc(v)) : v);
  });
  return Buffer.concat(parts);
}

function withField(defaults: Array<[string, string]>, name: string, value: string | Buffer): Pair[] {
  const pairs: Pair[] = [];
  let placed = false;
  for (const [k, v] of defaults) {
    if (k !== name) pairs.push([k, v]);
    else if (!placed) {
      pairs.push([k, value]);
      placed = true;
    }
  }
  if (!placed) pairs.push([name, value]);
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Variants

const FULL_PER_KIND = 1;
const CORE_VARIANTS = new Set(["nul", "invalid-utf8", "__proto__", "-1", "1e309", "2026-02-30", "9999-99-99", 'redirect "/\\t/evil.example"']);

function describeForm(form: PostForm): string {
  return `POST ${form.pattern}${form.button ? ` ${form.button[0]}=${form.button[1]}` : ""}`;
}

/** One field at a time, the others at their defaults; then names the form never had. */
export function fieldVariants(portal: TestPortal, form: PostForm, triedFields: Set<string> = new Set()): Probe[] {
  const origin = { Origin: portal.url };
  const cookieless = isAccountForm(form.pattern);
  const post = (label: string, pairs: Pair[]): Probe => ({
    method: "POST",
    path: form.action,
    headers: { ...origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: formBody(pairs),
    label: `${describeForm(form)} ${label}`,
    cookieless,
    follow: true,
    home: pathOf(form.page),
  });
  const probes: Probe[] = [];
  if (form.sibling) probes.push(post("as it is", form.defaults));
  const perKind = new Map<FieldKind, number>();
  for (const field of form.sibling ? [] : form.fields) {
    const current = form.defaults.filter(([k]) => k === field.name).map(([, v]) => v);
    const value = current[0] ?? field.sample;
    // A form's fourth text field is handled by the same code as its first three: past those,
    // only the values most likely to reach something new.
    const seen = perKind.get(field.kind) ?? 0;
    perKind.set(field.kind, seen + 1);
    // A field another button of the same action already had in full (intent=accept after
    // intent=dismiss on /curation) is read by the same schema: the core values suffice.
    const fieldKey = `${form.pattern} ${field.name}`;
    const full = seen < FULL_PER_KIND && !triedFields.has(fieldKey);
    if (full) triedFields.add(fieldKey);
    const values = hostileValues(field.kind, false, value).filter((h) => full || CORE_VARIANTS.has(h.name));
    for (const h of values) probes.push(post(`field=${field.name} variant=${h.name}`, withField(form.defaults, field.name, h.raw?.body ?? h.text)));
    if (!full) continue;
    const others = form.defaults.filter(([k]) => k !== field.name);
    probes.push(post(`field=${field.name} variant=repeated`, [...others, [field.name, value], [field.name, value]]));
    probes.push(post(`field=${field.name} variant=${field.name}[]`, [...others, [`${field.name}[]`, value]]));
  }
  // All the names in one request; only when it fails, one by one, to say which.
  const names = [...PROTO_KEYS, ...PROTO_PATHS];
  probes.push({
    ...post(`extra fields ${names.join(",")}`, [...form.defaults, ...names.map((n): Pair => [n, "1"])]),
    split: names.map((n) => post(`extra field ${n}`, [...form.defaults, [n, "1"]])),
  });
  return probes;
}

/** The whole request malformed: other encodings, no body, a huge one, other methods. */
export function requestVariants(portal: TestPortal, form: PostForm): Probe[] {
  const origin = { Origin: portal.url };
  const cookieless = isAccountForm(form.pattern);
  const defaults = Object.fromEntries(form.defaults);
  const urlencoded = formBody(form.defaults);
  const first = form.fields.find((f) => f.kind === "text")?.name ?? form.fields[0]?.name ?? "x";
  const probe = (label: string, method: string, headers: Record<string, string>, body?: Buffer): Probe => ({
    method,
    path: form.action,
    headers: { ...origin, ...headers },
    body,
    label: `${method} ${form.pattern} ${label}`,
    cookieless,
  });
  const xml = `<?xml version="1.0"?><form>${form.defaults.map(([k, v]) => `<field name="${k}">${v}</field>`).join("")}</form>`;
  return [
    probe("body=json", "POST", { "Content-Type": "application/json" }, Buffer.from(JSON.stringify(defaults))),
    probe("body=text/plain", "POST", { "Content-Type": "text/plain" }, Buffer.from(form.defaults.map(([k, v]) => `${k}=${v}`).join("\n"))),
    probe("body=xml", "POST", { "Content-Type": "application/xml" }, Buffer.from(xml)),
    probe("body=broken-multipart", "POST", { "Content-Type": "multipart/form-data; boundary=samskab" }, Buffer.from(`--samskab\r\nContent-Disposition: form-data; name="${first}"\r\n\r\nhalf a part`)),
    probe("body=no-content-type", "POST", {}, urlencoded),
    probe("body=empty", "POST", { "Content-Type": "application/x-www-form-urlencoded" }, Buffer.alloc(0)),
    probe("body=2MB", "POST", { "Content-Type": "application/x-www-form-urlencoded" }, formBody(withField(form.defaults, first, "a".repeat(2 * 1024 * 1024)))),
    ...["PUT", "DELETE", "PATCH"].map((m) => probe("method", m, { "Content-Type": "application/x-www-form-urlencoded" }, urlencoded)),
  ];
}

function queryWith(url: string, name: string, value: string, raw?: string): string {
  const parsed = new URL(url, "http://x");
  const enc = (s: string) => new URLSearchParams([["", s]]).toString().slice(1);
  const pairs = [...parsed.searchParams].filter(([k]) => k !== name).map(([k, v]) => `${enc(k)}=${enc(v)}`);
  pairs.push(`${enc(name)}=${raw ?? enc(value)}`);
  return `${parsed.pathname}?${pairs.join("&")}`;
}

/** One parameter at a time on a page that was seen with it, the others as they were. */
export function paramVariants(param: GetParam): Probe[] {
  const get = (label: string, path: string): Probe => ({ method: "GET", path, label: `GET ${param.pattern} param=${param.name} variant=${label}` });
  const original = new URL(param.url, "http://x").searchParams.get(param.name) ?? "";
  const probes = hostileValues(param.kind, true, original).map((h) => get(h.name, queryWith(param.url, param.name, h.text, h.raw?.query)));
  const others = new URL(param.url, "http://x");
  others.searchParams.delete(param.name);
  const rest = others.search ? `${others.search}&` : "?";
  const enc = encodeURIComponent;
  probes.push(get("repeated", `${others.pathname}${rest}${enc(param.name)}=${enc(original)}&${enc(param.name)}=${enc(original)}`));
  probes.push(get(`${param.name}[]`, `${others.pathname}${rest}${enc(param.name)}%5B%5D=${enc(original)}`));
  return probes;
}

const ID_VARIANTS = ["-1", "0", "1e309", "99999999999999999999", "%00", "%ff", "__proto__", "abc"];

/** Per page pattern: other methods, names it never had, and hostile id segments. */
export function pageVariants(portal: TestPortal, path: string): Probe[] {
  const pattern = patternOf(pathOf(path));
  const origin = { Origin: portal.url };
  const probes: Probe[] = ["DELETE", "PUT"].map((m) => ({ method: m, path, headers: origin, label: `${m} ${pattern}` }));
  const sep = path.includes("?") ? "&" : "?";
  const names = [...PROTO_KEYS, ...PROTO_PATHS];
  const extra = (list: string[], label: string): Probe => ({ method: "GET", path: `${path}${sep}${list.map((n) => `${encodeURIComponent(n)}=1`).join("&")}`, label: `GET ${pattern} ${label}` });
  probes.push({ ...extra(names, `extra params ${names.join(",")}`), split: names.map((n) => extra([n], `extra param ${n}`)) });
  const segments = pathOf(path).split("/");
  segments.forEach((s, i) => {
    if (!/^\d+$/.test(s)) return;
    for (const v of ID_VARIANTS) {
      const changed = [...segments];
      changed[i] = v;
      probes.push({ method: "GET", path: changed.join("/"), label: `GET ${pattern} id=${v}` });
    }
  });
  return probes;
}

/** Addresses no page links to, that a client can still send. */
export function malformedUrls(): Probe[] {
  return ["/%ff", "/%E0%A4%A", "/challenges/%ff", "/?q=%ff", `/${"a".repeat(10_000)}`, "/login?redirectTo=%0d%0aSet-Cookie:x=1", "/login?redirectTo=/%09/evil.example"].map(
    (path) => ({ method: "GET", path, label: `GET ${path.length > 60 ? `/<${path.length - 1} characters>` : path}`, follow: true }),
  );
}

/** The same form as its page shows it now (a new version, a new token), if it is still there. */
async function rereadForm(portal: TestPortal, session: Session, form: PostForm): Promise<PostForm | undefined> {
  const answer = await send(portal, session, { method: "GET", path: form.page, label: "" });
  if (answer.status !== 200) return undefined;
  const pageUrl = new URL(form.page, portal.url);
  return postForms(session.role, form.page, parse(answer.body), pageUrl, portal).find((f) => f.action === form.action && f.button?.join("=") === form.button?.join("="));
}

const carriesVersion = (form: PostForm) => form.fields.some((f) => /version/i.test(f.name));

// Leaving an organisation or closing a record may take away what the role's other forms need
// (after SUF's staff leave their administration, its challenge's edit form only answers 403):
// such forms go last.
const SELF_HARMING = /^(leave|remove|delete|end|unpublish|status|revoke|withdraw|archive|close)$/i;
const selfHarming = (form: PostForm) => form.defaults.some(([k, v]) => k === "intent" && SELF_HARMING.test(v));

/**
 * A role's forms as batches: each form's field variants, and once per action the whole-request
 * variants (the body is read and the method dispatched before any intent is looked at).
 */
export function formBatches(portal: TestPortal, session: Session, forms: PostForm[], tried: Set<string>): Batch[] {
  // A form another role already tried runs the same code: the first role to find it tries it.
  const fresh = forms.filter((f) => !tried.has(`FORM ${formKey(f)}`));
  for (const f of fresh) tried.add(`FORM ${formKey(f)}`);
  const ordered = [...fresh.filter((f) => !selfHarming(f)), ...fresh.filter(selfHarming)];
  const batches: Batch[] = [];
  const triedFields = new Set<string>();
  for (const form of ordered) {
    if (!carriesVersion(form)) batches.push({ probes: fieldVariants(portal, form, triedFields) });
    else {
      let latest = form;
      batches.push({
        probes: fieldVariants(portal, form, triedFields),
        reread: async () => {
          const now = await rereadForm(portal, session, form);
          if (now) latest = now;
          // The same selection of variants as the first time: a re-read form is not a new one.
          return now && fieldVariants(portal, now, new Set([...triedFields].filter((k) => !k.startsWith(`${form.pattern} `))));
        },
        repair: () => {
          const current = new Map(latest.defaults);
          const defaults = form.defaults.map(([k, v]): [string, string] => [k, /version/i.test(k) ? (current.get(k) ?? v) : v]);
          return { method: "POST", path: form.action, headers: { Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" }, body: formBody(defaults), label: "repair" };
        },
      });
    }
    // The body's encoding and the method are dealt with before any intent or role is: once
    // per action, by the first role that has a form for it.
    if (!tried.has(`POST ${form.pattern}`)) {
      tried.add(`POST ${form.pattern}`);
      batches.push({ probes: requestVariants(portal, form) });
    }
  }
  return batches;
}

// ---------------------------------------------------------------------------------------------
// Reporting

/** Keys a hostile field name left on Object.prototype in this process (the portal runs here). */
export function prototypePollution(): string[] {
  const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !BASELINE_PROTOTYPE.has(k));
  for (const k of polluted) delete (Object.prototype as Record<string, unknown>)[k];
  return polluted;
}
const BASELINE_PROTOTYPE = new Set(Object.getOwnPropertyNames(Object.prototype));

export function formatFailure(f: Failure): string {
  return `${f.label} → ${f.status === 0 ? "no answer" : f.status} (${f.reason}) e.g. ${f.example}`;
}
