// The exact kernel search on structured models (bench/cib/structured.ts): what elicited models
// look like, unlike the dense random matrices of bench/cib/run.ts.
//   npm run bench:structured [-- --budget SECONDS] [--seeds N]
// For each spec and seed: the model's empty-cell share, the kernel size and how many planted
// storylines are in it (the realism checks), then each bound's time to the complete kernel
// and its nodes ("basic": the reference bound; "propagate": forward checking, the default here,
// src/cib/propagate.ts), each stopped after --budget seconds (default 30). The island rows
// count the kernel without listing it (maxScenarios 0: the product of the groups' sizes).
import { findKernel, type KernelBound, type KernelResult } from "../../src/cib/kernel.js";
import { describeStructured, type StructuredSpec, structuredModel } from "./structured.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const budgetMs = opt("--budget", 30) * 1000;
const seeds = opt("--seeds", 2);

const specs: (Omit<StructuredSpec, "seed"> & { label: string })[] = [
  { label: "20 × 2–5, density 0.3, 3 storylines", n: 20, density: 0.3, storylines: 3 },
  { label: "30 × 3, density 0.3, 4 storylines", n: 30, states: 3, density: 0.3, storylines: 4 },
  { label: "40 × 2, density 0.3, 4 storylines", n: 40, states: 2, density: 0.3, storylines: 4 },
  { label: "40 × 2–5, density 0.3, 4 storylines", n: 40, density: 0.3, storylines: 4 },
  {
    label: "60 × 3, density 0.3, 4 storylines (target ≤ 10 s)",
    n: 60,
    states: 3,
    density: 0.3,
    storylines: 4,
  },
  {
    label: "100 × 2, density 0.25, 4 storylines (target ≤ 10 s)",
    n: 100,
    states: 2,
    density: 0.25,
    storylines: 4,
  },
];

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const run = (model: Parameters<typeof findKernel>[0], bound: KernelBound): KernelResult => {
  const t0 = performance.now();
  return findKernel(model, {
    bound,
    shouldStop: () => performance.now() - t0 > budgetMs,
    maxScenarios: 100_000,
  });
};
const cell = (r: KernelResult) =>
  r.complete ? `${fmt(r.elapsedMs)} ms` : `>${fmt(r.elapsedMs)} ms (stopped)`;

console.log(
  `Structured models: time to the complete kernel, one thread, budget ${budgetMs / 1000} s per search\n`,
);
const rows: string[][] = [
  [
    "model",
    "seed",
    "empty",
    "kernel",
    "planted in kernel",
    "basic",
    "basic nodes",
    "propagate",
    "propagate nodes",
  ],
];
const empties: number[] = [];
const kernels: number[] = [];
for (const spec of specs)
  for (let seed = 1; seed <= seeds; seed++) {
    const s = structuredModel({ ...spec, seed });
    const d = describeStructured(s);
    const basic = run(s.model, "basic");
    const prop = run(s.model, "propagate");
    if (basic.complete && prop.complete && basic.count !== prop.count)
      throw new Error(`${spec.label} seed ${seed}: basic found ${basic.count}, propagate ${prop.count}`);
    const done = basic.complete ? basic : prop.complete ? prop : undefined;
    const keys = new Set((done?.scenarios ?? []).map((x) => x.states.join(",")));
    const planted = s.storylines.filter((z) => keys.has(z.join(","))).length;
    empties.push(d.emptyCells);
    if (done) kernels.push(Number(done.count));
    rows.push([
      spec.label,
      String(seed),
      `${(d.emptyCells * 100).toFixed(0)} %`,
      done ? done.count : "?",
      done ? `${planted}/${spec.storylines}` : "?",
      cell(basic),
      String(basic.nodes),
      cell(prop),
      String(prop.nodes),
    ]);
    console.error(`done: ${spec.label} seed ${seed}`);
  }
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(line(rows[0]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows.slice(1)) console.log(line(r));
console.log(
  `\nrealism: empty cells ${(Math.min(...empties) * 100).toFixed(0)}–${(Math.max(...empties) * 100).toFixed(0)} % (published models: 50–80 %); kernel sizes ${Math.min(...kernels)}–${Math.max(...kernels)} where complete (published: 1–10^4)`,
);

// islands: 100 binary descriptors in 10 independent groups, counted without listing
console.log("\n100 binary descriptors in 10 islands (density 0.3 inside each), counted without listing:");
for (let seed = 1; seed <= seeds; seed++) {
  const s = structuredModel({ n: 100, states: 2, density: 0.3, storylines: 4, islands: 10, seed });
  const times: number[] = [];
  let r: KernelResult | undefined;
  for (let i = 0; i < 5; i++) {
    r = findKernel(s.model, { maxScenarios: 0 });
    times.push(r.elapsedMs);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  seed ${seed}: ${r?.count} scenarios (exact, ${r?.components.length} groups, complete ${r?.complete}), median ${fmt(times[2])} ms of 5 (target ≤ 1 s)`,
  );
}
