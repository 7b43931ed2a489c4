// What the server knows about model texts it has read, keyed by content: a text's sha256 maps to
// its check (what a save needs, and the text/model/problems a read sends as JSON bytes), its
// validated model, and its whole matrix as JSON bytes. A GET of an unchanged version therefore
// neither parses, validates nor compiles again. An LRU bounded by entries and by approximate
// bytes ($MUSCAT_MODEL_CACHE_MB, default 256; 0 turns it off). Misses on texts larger than
// `inlineMax` (4 KiB) run in the worker pool (model-pool.ts) so the main thread stays free; smaller
// texts are done inline, where a round trip to a thread costs more than the work. Concurrent
// requests for the same thing of the same text share one computation.
import type { Validated } from "../store/models.js";
import { defaultThreads, ModelPool } from "./model-pool.js";
import {
  type Checked,
  contentKey,
  type ModelTask,
  type ModelTaskResults,
  type RowRange,
  runModelTask,
} from "./model-work.js";

export interface ModelWorkOptions {
  /** Worker threads (0: everything inline). */
  threads: number;
  /** Texts of at most this many characters are done inline. */
  inlineMax: number;
  /** The cache's bounds: entries and approximate bytes (0 bytes: no cache). */
  cacheEntries: number;
  cacheBytes: number;
}

/**
 * Texts up to this many characters are done inline. bench/server/threshold.ts: a thread's round
 * trip costs about what the work itself does from 2 KiB up (where the check already takes tens
 * of ms), so only tiny texts stay on the main thread and spare a thread's start.
 */
export const INLINE_MAX = 4 * 1024;

export function defaultOptions(env: NodeJS.ProcessEnv = process.env): ModelWorkOptions {
  const mb = Number(env.MUSCAT_MODEL_CACHE_MB);
  return {
    threads: defaultThreads(env),
    inlineMax: INLINE_MAX,
    cacheEntries: 64,
    cacheBytes: (env.MUSCAT_MODEL_CACHE_MB && Number.isFinite(mb) && mb >= 0 ? mb : 256) * 1024 * 1024,
  };
}

interface Entry {
  textChars: number;
  check?: Checked;
  validated?: Validated;
  matrix?: Uint8Array;
}

/** An entry's approximate bytes: the JSON it holds, and a model object at ~3 bytes per text character. */
const sizeOf = (e: Entry) =>
  (e.check?.record.byteLength ?? 0) + (e.validated ? e.textChars * 3 : 0) + (e.matrix?.byteLength ?? 0);

export class ModelWork {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly pool: ModelPool;
  /** Counts for tests and benchmarks: cache hits, computations inline and on a thread. */
  readonly counts = { hits: 0, inline: 0, offThread: 0 };

  constructor(readonly opts: ModelWorkOptions = defaultOptions()) {
    this.pool = new ModelPool(opts.threads);
  }

  /** Threads started so far. */
  get threadsStarted(): number {
    return this.pool.started;
  }

  /** Cache bytes in use (approximate) and entries. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** Parses and validates a text (a ModelInvalidError with every problem if it is invalid). */
  check(text: string): Promise<Checked> {
    return this.cached(text, "check", { kind: "check", text });
  }

  /** The validated model of a text. */
  validated(text: string): Promise<Validated> {
    return this.cached(text, "validated", { kind: "model", text });
  }

  /** The matrix view of a text as JSON bytes: whole (cached) or rows [from, from+count). */
  matrix(text: string, rows?: RowRange): Promise<Uint8Array> {
    if (rows) return this.compute(text, contentKey(text), { kind: "matrix", text, rows });
    return this.cached(text, "matrix", { kind: "matrix", text });
  }

  /** The text with one value set (comments kept); an InputError if the path does not fit. */
  set(text: string, path: (string | number)[], value: unknown): Promise<string> {
    return this.compute(text, contentKey(text), { kind: "set", text, path, value });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async cached<F extends "check" | "validated" | "matrix">(
    text: string,
    field: F,
    task: ModelTask,
  ): Promise<NonNullable<Entry[F]>> {
    const key = contentKey(text);
    const hit = this.entries.get(key)?.[field];
    if (hit) {
      this.counts.hits++;
      this.touch(key);
      return hit as NonNullable<Entry[F]>;
    }
    const flight = `${field}:${key}`;
    const running = this.inflight.get(flight);
    if (running) return running as Promise<NonNullable<Entry[F]>>;
    const p = this.compute(text, key, task as never).then((value) => {
      this.store(key, text.length, { [field]: value } as Partial<Entry>);
      return value as NonNullable<Entry[F]>;
    });
    this.inflight.set(flight, p);
    p.then(
      () => this.inflight.delete(flight),
      () => this.inflight.delete(flight),
    );
    return p;
  }

  private compute<K extends ModelTask["kind"]>(
    text: string,
    key: string,
    task: Extract<ModelTask, { kind: K }>,
  ): Promise<ModelTaskResults[K]> {
    if (this.opts.threads === 0 || text.length <= this.opts.inlineMax) {
      this.counts.inline++;
      try {
        return Promise.resolve(runModelTask(task));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    this.counts.offThread++;
    return this.pool.run(task, key);
  }

  private touch(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private store(key: string, textChars: number, patch: Partial<Entry>): void {
    if (this.opts.cacheBytes <= 0 || this.opts.cacheEntries <= 0) return;
    const old = this.entries.get(key);
    const next: Entry = { ...(old ?? { textChars }), ...patch };
    const size = sizeOf(next);
    if (size > this.opts.cacheBytes) return;
    if (old) {
      this.bytes -= sizeOf(old);
      this.entries.delete(key);
    }
    this.entries.set(key, next);
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.opts.cacheEntries && this.bytes <= this.opts.cacheBytes) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(e);
    }
  }
}

let shared: ModelWork | undefined;

/** The process's model work (cache and pool), made on first use from the environment. */
export function modelWork(): ModelWork {
  shared ??= new ModelWork();
  return shared;
}

/** Stops the pool's threads and drops the cache; a later request starts afresh. */
export async function closeModelWork(): Promise<void> {
  const w = shared;
  shared = undefined;
  await w?.close();
}
