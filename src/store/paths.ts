// Where the store lives, without opening it: a light module that the command line can load
// without the SQLite driver.
import { resolve } from "node:path";

export const STORE_FILE = "muscat.db";
export const DATA_ENV = "MUSCAT_DATA";

/** The data directory: the flag, else $MUSCAT_DATA, else ./data (resolved against the cwd). */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env[DATA_ENV] ?? "data");
}
