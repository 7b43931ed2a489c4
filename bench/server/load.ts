// What the responsiveness test and bench share: starting a real server child process on a
// fresh data directory (from the TypeScript sources or the built dist/), a JSON call, and the
// load: clients that each read a model and its whole matrix `rounds` times, run in a separate
// process (bench/server/reader.mjs) so that reading the bodies never delays the probe of
// /api/health in this process. Latency quantiles are nearest-rank.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface Server {
  child: ChildProcess;
  url: string;
  dir: string;
  stop(): void;
}

/** Starts `muscat serve` on a free port; `built` runs bin/muscat.js (dist/), else the .ts sources via tsx. */
export function startServer(
  opts: { built?: boolean; env?: NodeJS.ProcessEnv; dir?: string } = {},
): Promise<Server> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "muscat-responsive-"));
  const entry = opts.built
    ? [join(repoRoot, "bin/muscat.js")]
    : ["--import", "tsx", join(repoRoot, "src/cli/main.ts")];
  const child = spawn(process.execPath, [...entry, "serve", "--port", "0", "--data", dir], {
    cwd: repoRoot,
    env: { ...process.env, MUSCAT_TOKEN: "", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0], dir, stop });
      }
    });
    child.stderr?.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

/** A JSON request; throws with the answer when the status is not 2xx. */
export async function call<T = unknown>(url: string, path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(new URL(path, url), init);
  const body = await r.text();
  if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${path}: ${r.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

export const postJson = (url: string, path: string, body: unknown, method = "POST") =>
  call<{ id: string; version: number; hash: string }>(url, path, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

export interface ReadStats {
  /** Wall time of each read (ms), model and matrix reads together. */
  modelMs: number[];
  matrixMs: number[];
  /** Bytes of one model read and one matrix read. */
  modelBytes: number;
  matrixBytes: number;
  /** Connections the server reset, each read then tried again. */
  resets: number;
}

/** Runs `clients` concurrent readers of model `id` for `rounds` rounds each, in a child process. */
export function readLoad(url: string, id: string, clients: number, rounds: number): Promise<ReadStats> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "bench/server/reader.mjs"), url, id, String(clients), String(rounds)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as ReadStats)
        : reject(new Error(`reader failed (${code}): ${err}`)),
    );
  });
}

/** Probes GET /api/health one request after another, every `gapMs`, until `done` settles. */
export async function probeHealth(url: string, done: Promise<unknown>, gapMs = 20): Promise<number[]> {
  let finished = false;
  done.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  const lat: number[] = [];
  while (!finished) {
    const t = performance.now();
    // A pooled connection the server closed as idle (keep-alive timeout) fails once: retried,
    // and the time counts from the first try.
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await fetch(new URL("api/health", url));
        await r.arrayBuffer();
        if (!r.ok) throw new Error(`health: ${r.status}`);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    lat.push(performance.now() - t);
    await new Promise((res) => setTimeout(res, gapMs));
  }
  return lat;
}

/** Nearest-rank quantile of a sample (q in [0, 1]). */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const summary = (xs: number[]) => ({
  n: xs.length,
  median: quantile(xs, 0.5),
  p95: quantile(xs, 0.95),
  max: xs.length ? Math.max(...xs) : Number.NaN,
});
