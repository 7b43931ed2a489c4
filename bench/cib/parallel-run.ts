// Parallel without waste: `--workers 2` against `--workers 1` on searches of growing length.
//   npm run bench:parallel [-- --repeats N] [--only SUBSTR]
// The target (issue: large kernels): on this 2-core machine, 2 workers are never more than 5 %
// slower than 1, and faster on every search longer than 2 s. Each model's two runs alternate,
// `--repeats` times (default 3); the medians are compared. One thread is findKernel; two is
// findKernelParallel (src/cib/parallel.ts: whole for 100 ms, then box by box on this thread
// while the pool starts, then the boxes left on 2 threads).
import { findKernel } from "../../src/cib/kernel.js";
import { findKernelParallel } from "../../src/cib/parallel.js";
import { randomModel } from "../../src/cib/random.js";
import { structuredModel } from "./structured.js";

const args = process.argv.slice(2);
const at = args.indexOf("--repeats");
const repeats = at >= 0 ? Number(args[at + 1]) : 3;
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : "";

const models: [string, ReturnType<typeof randomModel>][] = [
  ["random 16×3 (seed 1)", randomModel(new Array(16).fill(3), 1)],
  ["random 18×3 (seed 1)", randomModel(new Array(18).fill(3), 1)],
  ["random 19×3 (seed 2)", randomModel(new Array(19).fill(3), 2)],
  ["random 20×3 (seed 1)", randomModel(new Array(20).fill(3), 1)],
  ["random 21×3 (seed 1)", randomModel(new Array(21).fill(3), 1)],
  ["random 22×3 (seed 1)", randomModel(new Array(22).fill(3), 1)],
  ["random 23×3 (seed 1)", randomModel(new Array(23).fill(3), 1)],
  ["random 24×3 (seed 1)", randomModel(new Array(24).fill(3), 1)],
  ["structured 40 × 2–5 (seed 1)", structuredModel({ n: 40, density: 0.3, storylines: 4, seed: 1 }).model],
  [
    "structured 60 × 3 (seed 1)",
    structuredModel({ n: 60, states: 3, density: 0.3, storylines: 4, seed: 1 }).model,
  ],
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

console.log(`--workers 2 against 1 (median of ${repeats} alternating runs each)\n`);
console.log(
  [
    "model".padEnd(30),
    "1 worker ms".padStart(12),
    "2 workers ms".padStart(13),
    "2 / 1".padStart(7),
    "  verdict",
  ].join(" "),
);
for (const [name, model] of models.filter(([n]) => n.includes(only))) {
  const one: number[] = [];
  const two: number[] = [];
  let count = "";
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    const a = findKernel(model);
    one.push(performance.now() - t);
    t = performance.now();
    const b = await findKernelParallel(model, { workers: 2 });
    two.push(performance.now() - t);
    if (a.count !== b.count) throw new Error(`${name}: 1 worker found ${a.count}, 2 found ${b.count}`);
    count = a.count;
  }
  const m1 = median(one);
  const m2 = median(two);
  const ratio = m2 / m1;
  const verdict =
    m1 > 2000 ? (ratio < 1 ? "faster ✓" : "NOT faster ✗") : ratio <= 1.05 ? "within 5 % ✓" : "slower ✗";
  console.log(
    [
      name.padEnd(30),
      fmt(m1).padStart(12),
      fmt(m2).padStart(13),
      ratio.toFixed(2).padStart(7),
      `  ${verdict} (${count} scenarios)`,
    ].join(" "),
  );
}
