// `npm run screenshots`: the README's pictures of the main pages at desktop and phone width.
// It starts its own portal (a fresh database with the demo data and an embedded Meilisearch in a
// temporary folder), waits for the matcher's suggestions, accepts the strongest one as the demo
// community manager so a match exists, and photographs each page in scripts/lib/screenshots.ts
// with Debian's Chromium (CHROMIUM_PATH to use another), then rewrites the README's table of them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { DEMO_PASSWORD } from "../db/demo";
import { createLogger } from "../db/log";
import { outboxStats } from "../db/outbox";
import { acceptSuggestion, listQueue } from "../db/queries/curation";
import { hasStoredSuggestions } from "../db/queries/matcher";
import { findFirstPublishedSolutionId } from "../db/queries/solutions";
import { findUserByEmail } from "../db/queries/users";
import { freePort } from "../search/embedded-meili";
import { ensureBuild, ROOT } from "./lib/build";
import { loadConfig } from "./lib/config";
import { startPortal, type Portal } from "./lib/portal";
import { SCREENSHOT_DIR, SHOTS, WIDTHS, screenshotFile, withScreenshots, type Shot, type Viewer, type Width } from "./lib/screenshots";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const log = createLogger("warn");
// `--full-page` photographs whole pages (for reviewing the look), `--out DIR` writes elsewhere.
const fullPage = process.argv.includes("--full-page");
const outIndex = process.argv.indexOf("--out");
const outDir = outIndex > 0 && process.argv[outIndex + 1] ? path.resolve(process.argv[outIndex + 1]!) : SCREENSHOT_DIR;

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The demo data's ids the shots' paths refer to, and one accepted match. */
async function prepareRecords(portal: Portal): Promise<Record<string, string>> {
  const db = portal.database.db;
  await waitFor("the search index and the matcher's suggestions", async () => {
    const { pending } = await outboxStats(db);
    const suggested = await hasStoredSuggestions(db);
    return pending === 0 && suggested;
  });
  const curator = await findUserByEmail(db, "community@samskab.example");
  if (!curator) throw new Error("the demo data has no community manager");
  const { rows } = await listQueue(db, { curatorId: curator.id, everywhere: true, minScore: 0.2, limit: 1, offset: 0 });
  const top = rows[0];
  if (!top) throw new Error("the demo data gave no suggestion to accept");
  const match = await acceptSuggestion(db, {
    challengeId: top.challenge_id,
    solutionId: top.solution_id,
    note: "Stærkt match: samme målgruppe og bydel. Ring til begge i denne uge.",
    actor: { id: curator.id, name: curator.name },
  });
  const english = await findFirstPublishedSolutionId(db, "en");
  return { challenge: String(top.challenge_id), solution: String(english ?? top.solution_id), match: String(match) };
}

async function signedIn(browser: Browser, baseURL: string, viewer: Viewer, locale: Shot["locale"], width: Width): Promise<BrowserContext> {
  // The browser speaks the page's language too, so a date field shows dd.mm.åååå on a Danish page.
  const context = await browser.newContext({ baseURL, viewport: WIDTHS[width], locale: locale === "da" ? "da-DK" : "en-GB", timezoneId: "Europe/Copenhagen", deviceScaleFactor: 1 });
  const headers = { Origin: baseURL };
  if (viewer !== "public") {
    const res = await context.request.post("/login", { form: { email: viewer, password: DEMO_PASSWORD }, headers, maxRedirects: 0 });
    if (res.status() !== 302) throw new Error(`signing in as ${viewer} answered ${res.status()}`);
  }
  const res = await context.request.post("/language", { form: { lang: locale, returnTo: "/" }, headers, maxRedirects: 0 });
  if (res.status() !== 302) throw new Error(`choosing ${locale} answered ${res.status()}`);
  return context;
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  await ensureBuild((m) => process.stdout.write(`${m}\n`));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "samskab-screenshots-"));
  const port = await freePort();
  const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", DEMO_DATA: "true", LOG_LEVEL: "warn", NOTIFY_CHECK_MINUTES: "0" });
  const portal = await startPortal(config, { log });
  let browser: Browser | undefined;
  try {
    const ids = await prepareRecords(portal);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars"] });
    fs.mkdirSync(outDir, { recursive: true });
    for (const shot of SHOTS) {
      for (const width of Object.keys(WIDTHS) as Width[]) {
        const context = await signedIn(browser, portal.url, shot.viewer, shot.locale, width);
        try {
          const page = await context.newPage();
          const target = shot.path.replace(/\{(\w+)\}/g, (_, key: string) => ids[key] ?? "");
          const response = await page.goto(target, { waitUntil: "networkidle" });
          if (response?.status() !== 200) throw new Error(`${target} answered ${response?.status()}`);
          if (shot.submitEmpty) {
            await page.locator("main form button.primary").first().click();
            await page.locator(".error-summary").waitFor();
          }
          // The fonts are served by the portal; wait until they are in use so the text is the real one.
          await page.evaluate(() => document.fonts.ready);
          const file = path.join(outDir, screenshotFile(shot, width));
          await page.screenshot({ path: file, fullPage, animations: "disabled", caret: "hide" });
          process.stdout.write(`${path.relative(process.cwd(), file)}  ${target}\n`);
        } finally {
          await context.close();
        }
      }
    }
    if (outDir === SCREENSHOT_DIR && !fullPage) {
      const readme = path.join(ROOT, "README.md");
      fs.writeFileSync(readme, withScreenshots(fs.readFileSync(readme, "utf8")));
      process.stdout.write("README.md: the screenshot table is up to date\n");
    }
  } finally {
    await browser?.close();
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`screenshots failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
