// Server code and secrets stay on the server: checked on the source and on the built bundle.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILD_DIR, ROOT } from "../../scripts/lib/build";

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, ext) : ext.test(e.name) ? [full] : [];
  });
}

const rel = (f: string) => path.relative(ROOT, f);

function importsOf(f: string): Array<{ target: string; typeOnly: boolean }> {
  const source = fs.readFileSync(f, "utf8");
  return [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gm)].map((m) => ({ target: m[2]!, typeOnly: Boolean(m[1]) }));
}

/** The product's own code (tests and migrations, which are frozen in time, aside). */
function productFiles(): string[] {
  return ["app", "db", "search", "scripts"].flatMap((dir) => files(path.join(ROOT, dir), /\.tsx?$/)).filter((f) => !rel(f).startsWith(path.join("db", "migrations")));
}

/** Where SQL may be run: the query modules, and the database's own set-up (client, migrations, reference and demo data). */
const QUERY_MODULES = /^db\/(?:queries\/[^/]+|outbox|tokens|mail|visibility|client|migrate|reference|demo)\.ts$/;

/** A Kysely call that builds or runs SQL (types and passing `db` along are fine). */
const KYSELY_CALL = /\.(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|transaction|with|executeQuery)\(|\bsql(?:<[^>]*>)?`|\bsql\.(?:raw|ref|lit|id|table|join)\(/;

/** Code that is not a rule module, with its comments taken out (a comment may name what it does not do). */
function codeOf(f: string): string {
  return fs
    .readFileSync(f, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const MATCH_STAGE = `"(?:accepted|introduced|meeting|pilot|agreement|outcome|ended)"`;
/** Two or more match stages side by side: a list of stages written out. */
const STAGE_LIST = new RegExp(`${MATCH_STAGE}\\s*,\\s*${MATCH_STAGE}`);
/** The challenge statuses or solution statuses that may be matched, restated. */
const MATCHABLE_LIST = /"open"\s*(?:,|\|\|[^"]*)\s*"in_dialogue"\s*[\])]|status\s*[!=]==\s*"open"\s*\|\|/;
/** The owner and the co-owners of a challenge put together by hand. */
const OWNERS_SPREAD = /owner_organisation_id\s*,\s*\.\.\.\s*[\w.]*coOwnerIds/;

describe("module boundaries", () => {
  it("lets only *.server.ts files in app/ import db/ or search/ at run time (others may import types, and the pure rules in db/rules/)", () => {
    const offenders = files(path.join(ROOT, "app"), /\.tsx?$/)
      .filter((f) => !f.endsWith(".server.ts"))
      .flatMap((f) => {
        const source = fs.readFileSync(f, "utf8");
        return [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"((?:\.\.\/)+(?:db|search)\/[^"]+)";/gm)]
          .filter((m) => !/^(?:\.\.\/)+db\/rules\//.test(m[1]!))
          .map((m) => `${rel(f)} imports ${m[1]}`);
      });
    expect(offenders).toEqual([]);
  });

  it("keeps the rules in db/rules/ pure: they import nothing but each other and types", () => {
    const offenders = files(path.join(ROOT, "db", "rules"), /\.ts$/).flatMap((f) =>
      importsOf(f)
        .filter((i) => !i.typeOnly && !i.target.startsWith("./"))
        .map((i) => `${rel(f)} imports ${i.target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps db/ and search/ free of the web app, and db/ free of search/", () => {
    const offenders: string[] = [];
    for (const dir of ["db", "search"]) {
      for (const f of files(path.join(ROOT, dir), /\.ts$/)) {
        const source = fs.readFileSync(f, "utf8");
        for (const m of source.matchAll(/from\s+"([^"]+)"/g)) {
          const target = path.resolve(path.dirname(f), m[1]!);
          const rel = path.relative(ROOT, target);
          if (rel.startsWith("app") || rel.startsWith("scripts") || (dir === "db" && rel.startsWith("search"))) {
            offenders.push(`${path.relative(ROOT, f)} imports ${m[1]}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("ships no database, search client or secret handling in the browser bundle", () => {
    const bundle = files(path.join(BUILD_DIR, "client"), /\.js$/)
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    expect(bundle.length).toBeGreaterThan(10_000);
    for (const marker of ["better-sqlite3", "X-Meilisearch-Client", "MEILI_MASTER_KEY", "master-key", "kysely", "sqlite_master"]) {
      expect(bundle, marker).not.toContain(marker);
    }
  });

  it("lets only the query modules in db/ run SQL: no route, app/ module, search/ or scripts/ module calls Kysely", () => {
    const offenders = productFiles()
      .filter((f) => !QUERY_MODULES.test(rel(f)))
      .flatMap((f) => {
        const code = codeOf(f);
        const calls = code.split("\n").flatMap((line, i) => (KYSELY_CALL.test(line) ? [`${rel(f)}:${i + 1}: ${line.trim().slice(0, 80)}`] : []));
        const runtimeKysely = importsOf(f).some((i) => i.target === "kysely" && !i.typeOnly) && !/^db\/rules\//.test(rel(f)) ? [`${rel(f)} imports kysely at run time`] : [];
        return [...calls, ...runtimeKysely];
      });
    expect(offenders).toEqual([]);
  });

  it("writes lists of match stages and the matchable statuses only in db/rules/matches.ts", () => {
    const allowed = new Set(["db/rules/matches.ts", "db/schema.ts"]);
    const offenders = productFiles()
      .filter((f) => !allowed.has(rel(f)))
      .flatMap((f) => {
        const code = codeOf(f);
        return [STAGE_LIST, MATCHABLE_LIST].flatMap((rule) => {
          const hit = rule.exec(code);
          return hit ? [`${rel(f)}: ${hit[0]}`] : [];
        });
      });
    expect(offenders).toEqual([]);
  });

  it("writes who owns a challenge only in db/rules/ownership.ts (in code) and db/queries/ownership.ts (in SQL)", () => {
    // The co-owners table is read and written by the challenge's own queries; every other
    // query asks db/queries/ownership.ts.
    const sqlAllowed = new Set(["db/queries/ownership.ts", "db/queries/challenges.ts", "db/schema.ts", "db/demo.ts"]);
    const offenders = productFiles().flatMap((f) => {
      const code = codeOf(f);
      const out: string[] = [];
      if (rel(f) !== "db/rules/ownership.ts" && OWNERS_SPREAD.test(code)) out.push(`${rel(f)}: owner and co-owners put together by hand`);
      if (!sqlAllowed.has(rel(f)) && /challenge_co_owners/.test(code)) out.push(`${rel(f)}: reads challenge_co_owners itself`);
      return out;
    });
    expect(offenders).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    // The rules above are regular expressions; these lines are what they must recognise.
    expect(KYSELY_CALL.test('await context.db.selectFrom("users").select("id").execute();')).toBe(true);
    expect(KYSELY_CALL.test("const rows = await sql<number>`select 1`.execute(db);")).toBe(true);
    expect(KYSELY_CALL.test("await db.transaction().execute(async (trx) => write(trx));")).toBe(true);
    expect(KYSELY_CALL.test("const user = await findUser(context.db, id);")).toBe(false);
    expect(STAGE_LIST.test('const NEXT: Record<string, string[]> = { introduced: ["meeting", "pilot"] };')).toBe(true);
    expect(STAGE_LIST.test('const PATH = ["accepted", "introduced", "meeting"];')).toBe(true);
    expect(STAGE_LIST.test('export const SOLUTION_STAGES = ["idea", "pilot", "running", "scaling"] as const;')).toBe(false);
    expect(STAGE_LIST.test('.where("m.stage", "not in", ["ended", "outcome"])')).toBe(true);
    expect(MATCHABLE_LIST.test('.where("status", "in", ["open", "in_dialogue"])')).toBe(true);
    expect(MATCHABLE_LIST.test('(c.status === "open" || c.status === "in_dialogue")')).toBe(true);
    expect(MATCHABLE_LIST.test('export const CHALLENGE_STATUS_CHOICES = ["open", "in_dialogue", "closed", "solved"] as const;')).toBe(false);
    expect(OWNERS_SPREAD.test("[c.owner_organisation_id, ...c.coOwnerIds].some((id) => ids.includes(id))")).toBe(true);
  });
});
