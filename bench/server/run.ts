// Server responsiveness benchmark (issue 16, item 5): /api/health latency while 4 clients read
// the largest accepted model (bench/server/large-model.ts, ~1.9 MB of text, the model-body
// limit being 2 MB) and its whole matrix at once, and the time of a POST and of GETs of that
// model. Two servers in the same run, each on a fresh data directory:
//   baseline: MUSCAT_MODEL_THREADS=0 MUSCAT_MODEL_CACHE_MB=0, every read parses, validates
//             and compiles on the main thread (as before the model cache and pool);
//   current:  the defaults (content-keyed cache, worker thread for large texts).
// Prints median, p95 and max of the health latency, POST and GET times (medians), and the
// ratios current / baseline.
//   npx tsx bench/server/run.ts [--src] [--no-build] [--rounds N] [--posts N]
// Runs the built server (dist/, built first unless --no-build), or the sources with --src.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { largeModelText } from "./large-model.js";
import { call, postJson, probeHealth, quantile, readLoad, repoRoot, startServer, summary } from "./load.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt;
const rounds = opt("--rounds", 2);
const posts = opt("--posts", 3);
const built = !args.includes("--src");
if (built && !args.includes("--no-build")) {
  process.stderr.write("building dist/ (tsup)…\n");
  execFileSync(join(repoRoot, "node_modules", ".bin", "tsup"), ["--silent"], { cwd: repoRoot });
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const timed = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t = performance.now();
  const v = await f();
  return [performance.now() - t, v];
};

interface Figures {
  idle: number;
  post: number;
  postHealthMax: number;
  getCold: number;
  getWarm: number;
  matrixCold: number;
  matrixWarm: number;
  load: ReturnType<typeof summary>;
  readMedian: number;
  matrixMB: number;
  resets: number;
}

async function measure(name: string, env: NodeJS.ProcessEnv): Promise<Figures> {
  const server = await startServer({ built, env });
  const { url } = server;
  try {
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push((await timed(() => call(url, "api/health")))[0]);
    // POSTs of distinct large models (each a cold validation); health probed during them.
    const postMs: number[] = [];
    let postHealth: number[] = [];
    for (let i = 0; i < posts; i++) {
      const text = largeModelText({ id: `large-${i}`, seed: i + 1 });
      const p = timed(() => postJson(url, "api/models", { text }));
      const h = probeHealth(url, p);
      postMs.push((await p)[0]);
      postHealth = postHealth.concat(await h);
    }
    const id = "large-0";
    const getCold = (await timed(() => call(url, `api/models/${id}`)))[0];
    const matrixCold = (
      await timed(() => fetch(new URL(`api/models/${id}/matrix`, url)).then((r) => r.arrayBuffer()))
    )[0];
    const getWarm: number[] = [];
    const matrixWarm: number[] = [];
    for (let i = 0; i < 3; i++) {
      getWarm.push((await timed(() => call(url, `api/models/${id}`)))[0]);
      matrixWarm.push(
        (await timed(() => fetch(new URL(`api/models/${id}/matrix`, url)).then((r) => r.arrayBuffer())))[0],
      );
    }
    const reads = readLoad(url, id, 4, rounds);
    const lat = await probeHealth(url, reads);
    const r = await reads;
    const f: Figures = {
      idle: quantile(idle, 0.5),
      post: quantile(postMs, 0.5),
      postHealthMax: postHealth.length ? Math.max(...postHealth) : Number.NaN,
      getCold,
      getWarm: quantile(getWarm, 0.5),
      matrixCold,
      matrixWarm: quantile(matrixWarm, 0.5),
      load: summary(lat),
      readMedian: quantile([...r.modelMs, ...r.matrixMs], 0.5),
      matrixMB: r.matrixBytes / 1e6,
      resets: r.resets,
    };
    console.log(`\n${name} (${built ? "dist/" : "sources"}; ${JSON.stringify(env)})`);
    console.log(`  health idle median ${ms(f.idle)}`);
    console.log(
      `  POST of the large model: median ${ms(f.post)} over ${posts}; health max during POSTs ${ms(f.postHealthMax)}`,
    );
    console.log(`  GET model: first ${ms(f.getCold)}, then median ${ms(f.getWarm)}`);
    console.log(
      `  GET matrix (${f.matrixMB.toFixed(1)} MB): first ${ms(f.matrixCold)}, then median ${ms(f.matrixWarm)}`,
    );
    console.log(
      `  health under 4 clients × ${rounds} rounds of (model + matrix): n ${f.load.n}, median ${ms(f.load.median)}, p95 ${ms(f.load.p95)}, max ${ms(f.load.max)}; a read's median ${ms(f.readMedian)}; connections reset ${f.resets}`,
    );
    return f;
  } finally {
    server.stop();
    rmSync(server.dir, { recursive: true, force: true });
  }
}

const base = await measure("baseline: inline, no cache", {
  MUSCAT_MODEL_THREADS: "0",
  MUSCAT_MODEL_CACHE_MB: "0",
});
const cur = await measure("current: cache + worker thread", {});
const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}×`;
console.log("\nratios current / baseline (medians unless said):");
console.log(
  `  health under load: median ${ratio(cur.load.median, base.load.median)}, p95 ${ratio(cur.load.p95, base.load.p95)}, max ${ratio(cur.load.max, base.load.max)}`,
);
console.log(
  `  POST ${ratio(cur.post, base.post)}; health max during POST ${ratio(cur.postHealthMax, base.postHealthMax)}`,
);
console.log(
  `  GET model first ${ratio(cur.getCold, base.getCold)}, repeated ${ratio(cur.getWarm, base.getWarm)}`,
);
console.log(
  `  GET matrix first ${ratio(cur.matrixCold, base.matrixCold)}, repeated ${ratio(cur.matrixWarm, base.matrixWarm)}`,
);
console.log(`  a read under load ${ratio(cur.readMedian, base.readMedian)}`);
