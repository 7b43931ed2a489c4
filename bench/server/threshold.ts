// Where inline beats a worker thread: the time to check (parse, validate, hash) a model text on
// the calling thread against the same check sent to a warm worker thread (model-pool.ts) and
// back, for texts of growing size; the first column is the cost the main thread would bear
// inline. INLINE_MAX in src/server/model-cache.ts is set from these figures.
//   npx tsx bench/server/threshold.ts [--runs N]
import { ModelPool } from "../../src/server/model-pool.js";
import { contentKey, runModelTask } from "../../src/server/model-work.js";
import { largeModelText } from "./large-model.js";
import { quantile } from "./load.js";

const args = process.argv.slice(2);
const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 7;
const pool = new ModelPool(1);
await pool.run({ kind: "check", text: largeModelText({ factors: 2, targetBytes: 1000 }) }, "0");
console.log("text bytes | inline check (median) | worker round trip (median) | ratio worker/inline");
for (const kb of [2, 4, 8, 16, 32, 64]) {
  const inline: number[] = [];
  const worker: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh text each time (a distinct seed), so neither side's memo answers.
    const text = largeModelText({
      factors: Math.max(2, kb / 2),
      statesPerFactor: 3,
      targetBytes: kb * 1024,
      seed: 100 * kb + i,
    });
    const t0 = performance.now();
    runModelTask({ kind: "check", text: `${text}# inline\n` });
    inline.push(performance.now() - t0);
    const t1 = performance.now();
    await pool.run({ kind: "check", text }, contentKey(text));
    worker.push(performance.now() - t1);
  }
  const a = quantile(inline, 0.5);
  const b = quantile(worker, 0.5);
  console.log(`${kb} KiB | ${a.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(b / a).toFixed(2)}×`);
}
await pool.close();
