// Scale-out on the BullMQ queue (issue 18): wall time of a kernel search and of a simulation with
// 1, 2 and 4 `muscat worker` processes on this machine, against the local worker-thread backend
// in the same run; the overhead per part; Redis's round trip; and, labelled as such, a projection
// to 16 and 64 machines from those measured costs.
//
//   npm run bench:scale                       # 10⁷ trajectories, a 24×3 random model
//   npm run bench:scale -- --runs 1000000     # shorter
//
// It starts its own redis-server (Debian's, /usr/bin/redis-server) on a free loopback port, and
// the workers from the TypeScript sources. Every configuration's result is checked to be the
// same bytes as the local one (wall-clock fields aside).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findKernelParallel } from "../../src/cib/parallel.js";
import { randomModel } from "../../src/cib/random.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { checkOptions } from "../../src/runs/fields.js";
import { simulateOptions } from "../../src/runs/options.js";
import { simulateRun } from "../../src/runs/prob.js";
import { createPool, type Pool } from "../../src/workers/pool.js";
import { createQueueExecutor } from "../../src/workers/queue.js";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = arg("runs", 10_000_000);
const FACTORS = arg("factors", 24);
const WORKERS = [1, 2, 4];
const REDIS = "/usr/bin/redis-server";
if (!existsSync(REDIS)) {
  console.error(`bench:scale needs ${REDIS} (apt-get install redis-server)`);
  process.exit(1);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const digest = (r: unknown) =>
  createHash("sha256")
    .update(JSON.stringify(r, (k, v) => (k === "elapsedMs" ? undefined : v)))
    .digest("hex")
    .slice(0, 12);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function startWorker(url: string): Promise<ChildProcess> {
  const p = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "src", "cli", "main.ts"),
      "worker",
      "--redis",
      url,
      "--concurrency",
      "1",
      "-q",
    ],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  p.stderr?.on("data", (b) => {
    log += String(b);
  });
  const t0 = Date.now();
  while (!/muscat worker: \d+ thread/.test(log)) {
    if (p.exitCode !== null || Date.now() - t0 > 60_000) throw new Error(`worker did not start: ${log}`);
    await sleep(50);
  }
  return p;
}

const { model } = loadModelOrThrow(join(root, "models", "oman-2025.yaml"));
const opts = (o: object) => {
  const c = checkOptions(simulateOptions, o);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.value;
};
const big = randomModel(
  Array.from({ length: FACTORS }, () => 3),
  2026,
  { lo: -2, hi: 2 },
);
const simulation = (pool: Pool) => simulateRun(model, opts({ steps: 12, runs: RUNS, seed: 7 }), { pool });
const kernel = (pool: Pool) => findKernelParallel(big, { tolerance: 0, pool, minSpace: 0n, probeMs: 0 });
/** 400 tiny parts: the queue's cost per part shows over the compute. */
const tiny = (pool: Pool) =>
  simulateRun(model, opts({ steps: 2, runs: 40_000, seed: 3, chunkSize: 100 }), { pool });

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; r: T }> {
  const t0 = performance.now();
  const r = await f();
  return { ms: performance.now() - t0, r };
}

const port = await freePort();
const redisProc = spawn(
  REDIS,
  ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
  {
    stdio: "ignore",
  },
);
const url = `redis://127.0.0.1:${port}`;
const workers: ChildProcess[] = [];
const rows: { config: string; kernelMs: number; simMs: number; kernel: string; sim: string }[] = [];
try {
  await sleep(300);
  const { Redis } = await import("ioredis");
  const client = new Redis(url);
  const rtts: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    await client.ping();
    rtts.push(performance.now() - t0);
  }
  await client.quit();
  const rtt = median(rtts);

  console.log(
    `bench:scale — ${RUNS.toLocaleString("en")} trajectories (seed model, 12 steps) and the kernel of a random ${FACTORS}×3 model; Node ${process.version}, ${(await import("node:os")).availableParallelism()} cores`,
  );
  console.log(`Redis round trip (PING, median of 1000): ${rtt.toFixed(3)} ms\n`);

  // Local baseline, same run. Each configuration is warmed first (threads and workers load the
  // engines once; under tsx that is a second or two) and then timed.
  for (const threads of [1, 2]) {
    const pool = createPool(threads);
    try {
      await tiny(pool);
      const k = await timed(() => kernel(pool));
      const s = await timed(() => simulation(pool));
      rows.push({
        config: `local, ${threads} thread${threads > 1 ? "s" : ""}`,
        kernelMs: k.ms,
        simMs: s.ms,
        kernel: digest(k.r),
        sim: digest(s.r),
      });
    } finally {
      await pool.close();
    }
  }
  // Per-part overhead: 400 tiny parts, 1 local thread against 1 queue worker.
  const localPool = createPool(1);
  await tiny(localPool);
  const tinyLocal = await timed(() => tiny(localPool));
  await localPool.close();
  workers.push(await startWorker(url));
  const q1 = createQueueExecutor({ url, parts: 1 });
  await tiny(q1); // warm the worker's thread and the connections
  const tinyQueue = await timed(() => tiny(q1));
  const partsTiny = q1.stats().added / 2;
  await q1.close();
  const perPart = (tinyQueue.ms - tinyLocal.ms) / partsTiny;

  for (const n of WORKERS) {
    while (workers.length < n) workers.push(await startWorker(url));
    // The parts are cut as for 2 local threads whatever the number of workers: the same parts,
    // so the same bytes, with 1 worker or 4 (the kernel's node count depends on the cut).
    const q = createQueueExecutor({ url, parts: 2 });
    try {
      await tiny(q);
      const k = await timed(() => kernel(q));
      const s = await timed(() => simulation(q));
      rows.push({
        config: `queue, ${n} worker${n > 1 ? "s" : ""}`,
        kernelMs: k.ms,
        simMs: s.ms,
        kernel: digest(k.r),
        sim: digest(s.r),
      });
    } finally {
      await q.close();
    }
  }

  const base = rows[0];
  const same = rows[1];
  console.log(
    `${"configuration".padEnd(20)}${"kernel".padStart(10)}${"× local 1".padStart(11)}${"simulate".padStart(11)}${"× local 1".padStart(11)}   result (kernel / simulate)`,
  );
  for (const r of rows)
    console.log(
      `${r.config.padEnd(20)}${`${(r.kernelMs / 1000).toFixed(1)} s`.padStart(10)}${(base.kernelMs / r.kernelMs).toFixed(2).padStart(11)}${`${(r.simMs / 1000).toFixed(1)} s`.padStart(11)}${(base.simMs / r.simMs).toFixed(2).padStart(11)}   ${r.kernel} / ${r.sim}${r === base ? "" : r.kernel === same.kernel && r.sim === same.sim ? "  same bytes as local, 2 threads" : "  DIFFERENT from local, 2 threads"}`,
    );
  console.log(
    `\nper part on the queue: ${perPart.toFixed(2)} ms more than on a local thread (${partsTiny} tiny parts: ${tinyLocal.ms.toFixed(0)} ms local, ${tinyQueue.ms.toFixed(0)} ms queue)`,
  );

  // Projection (not a measurement): M machines of `cores` workers each, P parts of compute c
  // each, the measured per-part overhead o, and the producer adding parts one round trip apart.
  const cores = (await import("node:os")).availableParallelism();
  const simParts = Math.ceil(RUNS / (opts({}).chunkSize as number));
  const c = rows[0].simMs / simParts;
  console.log(
    `\nPROJECTION, not measured: simulate with ${simParts} parts of ${c.toFixed(0)} ms compute each (from the local 1-thread run), ${perPart.toFixed(1)} ms queue overhead per part, the producer adding parts ${rtt.toFixed(2)} ms apart:`,
  );
  for (const m of [16, 64]) {
    const slots = m * cores;
    const t = Math.max(simParts * rtt, Math.ceil(simParts / slots) * (c + perPart));
    console.log(
      `  ${String(m).padStart(2)} machines × ${cores} workers: ≈ ${(t / 1000).toFixed(1)} s (${(rows[0].simMs / t).toFixed(0)}× one local thread)${simParts < 4 * slots ? `; more parts (a smaller --chunk) would keep ${slots} workers busier` : ""}`,
    );
  }
} finally {
  for (const w of workers) w.kill("SIGKILL");
  redisProc.kill("SIGKILL");
}
process.exit(0);
