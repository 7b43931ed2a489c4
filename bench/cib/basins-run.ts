// Exact global-succession basins on large spaces (issue: large kernels, item 5): iain_bench_50x50
// (15 descriptors, 6.0·10⁷ starts) and the cibsa fixture (2.3·10⁷), on one thread
// (successionBasins) and on 2 worker threads (successionBasinsAsync: pass 1 in parts on the
// pool, pass 2 on this thread). Target: iain_bench_50x50 within 3 s on 2 workers.
//   npm run bench:basins [-- --repeats N]
// The two set-ups alternate `--repeats` times (default 3); medians are printed, with pass 1 and
// pass 2 apart (from the progress reports: pass 1 ends at half of `total`), and the ratio of the
// 2-worker time to the target. The weights of both runs must agree.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BasinResult, successionBasins, successionBasinsAsync } from "../../src/cib/basins.js";
import { compileMatrix } from "../../src/model/compiled.js";
import { createPool } from "../../src/workers/pool.js";

const args = process.argv.slice(2);
const at = args.indexOf("--repeats");
const repeats = at >= 0 ? Number(args[at + 1]) : 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cases = JSON.parse(readFileSync(path.resolve(root, "../shared/fixtures/cib/cases.json"), "utf8")).cases;
const fromCase = (id: string) => {
  const c = cases.find((x: { id: string }) => x.id === id);
  return compileMatrix(c.descriptors, c.matrix, { hash: id });
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const TARGET_MS = 3000;

const pool = createPool(2);
const signature = (b: BasinResult) =>
  JSON.stringify([b.attractors.map((a) => [a.states, a.weight]), b.cycleStarts]);

for (const id of ["iain_bench_50x50", "cibsa_CIB_nested_simplified_standardized"]) {
  const model = fromCase(id);
  const runs: Record<"one" | "two", { all: number; pass1: number }[]> = { one: [], two: [] };
  const sigs = new Set<string>();
  for (let r = 0; r < repeats; r++)
    for (const mode of ["one", "two"] as const) {
      const t0 = performance.now();
      let t1 = 0;
      const onProgress = (p: { done: number; total?: number }) => {
        if (!t1 && p.done > (p.total ?? 0) / 2) t1 = performance.now();
      };
      const b =
        mode === "one"
          ? successionBasins(model, { method: "exact", onProgress })
          : await successionBasinsAsync(model, { method: "exact", onProgress, pool });
      const all = performance.now() - t0;
      runs[mode].push({ all, pass1: (t1 || performance.now()) - t0 });
      sigs.add(signature(b));
    }
  const line = (mode: "one" | "two") => {
    const all = median(runs[mode].map((x) => x.all));
    const p1 = median(runs[mode].map((x) => x.pass1));
    return `${s(all)} (pass 1 ${s(p1)}, pass 2 ${s(all - p1)})`;
  };
  const two = median(runs.two.map((x) => x.all));
  console.log(`${id} (${fromCase(id).counts.reduce((a, b) => a * b, 1)} starts), median of ${repeats}:`);
  console.log(`  1 thread:  ${line("one")}`);
  console.log(`  2 workers: ${line("two")}   ÷ 3 s target: ${(two / TARGET_MS).toFixed(2)}`);
  console.log(`  same weights in every run: ${sigs.size === 1}`);
}
await pool.close();
