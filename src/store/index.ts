// The project's store: one SQLite file (better-sqlite3, queried through Kysely) under a data
// directory. The directory is `--data DIR`, else $MUSCAT_DATA, else ./data. Every connection
// turns foreign keys on and uses WAL journalling (a crash loses nothing committed); every
// multi-row write runs in one transaction, so a failed write leaves the store as it was.
// Migrations (migrations.ts) bring a store of any earlier schema up to date on open.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { InputError } from "../errors.js";
import { MIGRATIONS } from "./migrations.js";
import { STORE_FILE } from "./paths.js";
import type { Database } from "./schema.js";

export { DATA_ENV, resolveDataDir, STORE_FILE } from "./paths.js";
export type { Database } from "./schema.js";

export class StoreError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

export interface Store {
  db: Kysely<Database>;
  dir: string;
  file: string;
  /** The raw connection (pragmas, backups). */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Create the directory and the file if missing (default true). */
  create?: boolean;
}

/**
 * Opens (and migrates) the store in a data directory. With `create: false`, returns undefined
 * when there is no store yet instead of creating one.
 */
export async function openStore(dir: string, opts: OpenOptions = {}): Promise<Store | undefined> {
  const file = join(dir, STORE_FILE);
  if (!existsSync(file)) {
    if (opts.create === false) return undefined;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new StoreError(`cannot create the data directory ${dir}: ${(e as Error).message}`);
    }
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file);
  } catch (e) {
    throw new StoreError(`cannot open the store ${file}: ${(e as Error).message}`);
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: "muscat_migrations",
    migrationLockTableName: "muscat_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new StoreError(
      `cannot migrate the store ${file}${failed ? ` (migration ${failed})` : ""}: ${(error as Error).message ?? String(error)}`,
    );
  }
  return { db, dir, file, sqlite, close: () => db.destroy() };
}

/** Names of the migrations applied to a store, in order. */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const rows = await store.db
    // biome-ignore lint/suspicious/noExplicitAny: the migrations table is Kysely's, not in Database
    .selectFrom("muscat_migrations" as any)
    .select("name")
    .orderBy("name")
    .execute();
  return rows.map((r) => String((r as { name: string }).name));
}

export * from "./documents.js";
export * from "./models.js";
export * from "./runs.js";
