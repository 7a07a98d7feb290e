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

describe("module boundaries", () => {
  it("lets only *.server.ts files in app/ import db/ or search/ at run time (others may import types)", () => {
    const offenders = files(path.join(ROOT, "app"), /\.tsx?$/)
      .filter((f) => !f.endsWith(".server.ts"))
      .flatMap((f) => {
        const source = fs.readFileSync(f, "utf8");
        return [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"((?:\.\.\/)+(?:db|search)\/[^"]+)";/gm)].map(
          (m) => `${path.relative(ROOT, f)} imports ${m[1]}`,
        );
      });
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
});
