// Opens the SQLite file that is the portal's source of truth.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { foldText } from "./fold";
import type { Database } from "./schema";

export type DB = Kysely<Database>;

export interface OpenDatabase {
  db: DB;
  /** The raw handle, for pragmas, backups and tests. */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/**
 * The database holds people's addresses and unpublished drafts: its files are for the portal's
 * own user only (a folder it creates too). SQLite gives the -wal and -shm files the database
 * file's mode.
 */
function keepPrivate(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
}

export function openDatabase(file: string): OpenDatabase {
  if (file !== ":memory:") keepPrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  // Another process (a reindex, a seed, a second worker) may hold the write lock briefly.
  sqlite.pragma("busy_timeout = 5000");
  // Lower-case and fold æ/ø/å for the database-only search used while Meilisearch is away
  // (SQLite's own lower() and LIKE only know ASCII).
  sqlite.function("fold", { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? foldText(value) : value,
  );
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}

const STATEMENTS_KEPT = 500;

/**
 * The handle Kysely sees: the same database, but a query's prepared statement is kept and reused
 * when the same SQL comes again (Kysely prepares every query anew, which costs more than running
 * most of ours). Statements run synchronously to completion, so sharing one is safe; the oldest
 * is let go past STATEMENTS_KEPT distinct queries.
 */
function withStatementCache(sqlite: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const kept = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      let statement = kept.get(sql);
      if (statement) return statement;
      statement = sqlite.prepare(sql);
      if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(sql, statement);
      return statement;
    },
    close() {
      sqlite.close();
    },
  };
}

/** Now as an ISO-8601 UTC timestamp, the only date format stored. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
