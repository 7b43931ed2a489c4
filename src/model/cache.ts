// A content-addressed cache of loaded models, so that a command run again on an unchanged file
// skips the YAML parser and the schema (together ~250 ms of a cold process on the seed model).
//
// An entry is keyed by sha256(build id, file name, file text): the same text read by the same
// build under the same name gives the same LoadResult, so an entry can never be stale. Only
// models that loaded without errors are stored, with their warnings (lines included). The
// build id is stamped by tsup (a hash of the sources and the lockfile), so code run from the
// TypeScript sources — tests, tsx — has none and never uses the cache unless a caller passes
// one. Every cache failure (unwritable folder, corrupt or foreign entry) falls back to parsing:
// the cache can make a load faster, never different.
//
// Where: $MUSCAT_CACHE (a folder; "off" turns the cache off), else $XDG_CACHE_HOME/muscat,
// else ~/.cache/muscat. At most MAX_ENTRIES entries are kept, the oldest removed first.
import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Model, Problem } from "./types.js";

declare const __MUSCAT_BUILD_ID__: string | undefined;

/** The build's id, stamped by tsup; undefined when running from the sources. */
export const BUILD_ID: string | undefined =
  typeof __MUSCAT_BUILD_ID__ === "string" ? __MUSCAT_BUILD_ID__ : undefined;

const ENTRY_VERSION = 1;
export const MAX_ENTRIES = 200;

export interface ModelCache {
  dir: string;
  buildId: string;
}

/** The cache this process uses, from the environment; undefined when it is off. */
export function defaultModelCache(
  env: NodeJS.ProcessEnv = process.env,
  buildId = BUILD_ID,
): ModelCache | undefined {
  const setting = env.MUSCAT_CACHE;
  if (!buildId || setting === "off" || setting === "0") return undefined;
  const base = setting || (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "muscat") : undefined);
  const dir = base ?? join(homedir(), ".cache", "muscat");
  return { dir: join(dir, "models"), buildId };
}

export function cacheKey(cache: ModelCache, file: string, text: string): string {
  return createHash("sha256")
    .update(`${ENTRY_VERSION}\0${cache.buildId}\0${file}\0`)
    .update(text)
    .digest("hex");
}

interface Entry {
  v: number;
  key: string;
  model: Model;
  problems: Problem[];
}

/** The stored result for this text, or undefined (missing, unreadable or not ours). */
export function readCached(
  cache: ModelCache,
  file: string,
  text: string,
): { model: Model; problems: Problem[] } | undefined {
  const key = cacheKey(cache, file, text);
  try {
    const e = JSON.parse(readFileSync(join(cache.dir, `${key}.json`), "utf8")) as Partial<Entry>;
    if (e.v !== ENTRY_VERSION || e.key !== key || !e.model || !Array.isArray(e.problems)) return undefined;
    return { model: e.model, problems: e.problems };
  } catch {
    return undefined;
  }
}

/** Stores a model that loaded without errors; failures are ignored (the cache is optional). */
export function writeCached(
  cache: ModelCache,
  file: string,
  text: string,
  model: Model,
  problems: Problem[],
) {
  if (problems.some((p) => p.severity === "error")) return;
  const key = cacheKey(cache, file, text);
  const entry: Entry = { v: ENTRY_VERSION, key, model, problems };
  const path = join(cache.dir, `${key}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(cache.dir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, path);
    prune(cache.dir);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

/** Keeps the newest MAX_ENTRIES entries. */
function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (names.length <= MAX_ENTRIES) return;
  const aged = names
    .map((n) => {
      try {
        return { n, t: statSync(join(dir, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    })
    .sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_ENTRIES)) {
    try {
      unlinkSync(join(dir, n));
    } catch {
      // another process removed it
    }
  }
}
