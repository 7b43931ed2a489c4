/**
 * Speed of KTAB's SMP on a random 30-actor, 3-dimension scenario (recipe of cases.json R30x3-benchmark:
 * capability U(10,200) rounded to 3 decimals, total salience U(75,99) split by U(0.1,1) weights and rounded to
 * 2 decimals, positions U(0,100) rounded to 2 decimals). The numbers come from Muscat's seeded generator, not
 * Python's, so the scenario is of the same kind but not the same data. KTAB's C++ smpc needs 7.9 s (logmin,
 * 2 cores) on this machine for its 27-turn run.
 * Run: npx tsx bench/bargain/run.ts [actors] [dims] [seed]
 */
import { execFileSync } from "node:child_process";
import { Bench } from "tinybench";
import { ktabSmp } from "../../src/bargain/ktab.js";
import { scholzEum } from "../../src/bargain/scholz.js";
import type { SpatialScenario } from "../../src/bargain/types.js";
import { makeRng } from "../../src/random.js";

const nA = Number(process.argv[2] ?? 30);
const nD = Number(process.argv[3] ?? 3);
const seed = Number(process.argv[4] ?? 20241123);

function randomScenario(n: number, d: number, s: number): SpatialScenario {
  const rng = makeRng(s);
  const uni = (a: number, b: number) => a + (b - a) * rng.next();
  const r = (x: number, k: number) => Math.round(x * 10 ** k) / 10 ** k;
  return {
    name: `R${n}x${d}`,
    description: "random benchmark scenario",
    dimensions: Array.from({ length: d }, (_, k) => `Dim${k}`),
    actors: Array.from({ length: n }, (_, i) => {
      const capability = r(uni(10, 200), 3);
      const tot = uni(75, 99);
      const raw = Array.from({ length: d }, () => uni(0.1, 1));
      const sum = raw.reduce((a, b) => a + b, 0);
      let salience = raw.map((v) => r((tot * v) / sum, 2));
      const over = salience.reduce((a, b) => a + b, 0) - 100;
      if (over > 0) salience = salience.map((v, k) => (k === 0 ? r(v - over, 2) : v));
      return {
        name: `RA-${String(i).padStart(2, "0")}`,
        capability,
        position: Array.from({ length: d }, () => r(uni(0, 100), 2)),
        salience,
      };
    }),
  };
}

const sc = randomScenario(nA, nD, seed);
const t0 = performance.now();
const res = ktabSmp(sc);
const wall = (performance.now() - t0) / 1000;
const turns = res.states.length - 1;
console.log(`KTAB SMP, ${nA} actors × ${nD} dimensions (seed ${seed}), KTAB defaults`);
console.log(
  `  first run: ${wall.toFixed(3)} s for ${res.states.length} states (${turns} turns, ${((1000 * wall) / Math.max(1, turns)).toFixed(1)} ms/turn), stop: ${res.stopReason}`,
);
const top = res.final.winProb
  .map((p, i) => [res.names[i], p] as const)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 3);
console.log(`  top final probabilities: ${top.map(([n, p]) => `${n} ${p.toFixed(4)}`).join(", ")}`);
console.log("  reference: KTAB C++ smpc 7.9 s for the R30x3 scenario (27 turns) on this machine");

// The exact R30x3 scenario of cases.json, if python3 is available to replay its recipe (Python's PRNG).
try {
  const py = `import random, json
random.seed(20241123)
out=[]
for i in range(30):
  cap=round(random.uniform(10,200),3); tot=random.uniform(75,99); raw=[random.uniform(0.1,1.0) for _ in range(3)]
  sal=[round(tot*r/sum(raw),2) for r in raw]; pos=[round(random.uniform(0,100),2) for _ in range(3)]
  out.append(['RA-%02d'%i,cap,pos,sal])
print(json.dumps(out))`;
  const rows = JSON.parse(execFileSync("python3", ["-c", py], { encoding: "utf8" })) as [
    string,
    number,
    number[],
    number[],
  ][];
  const r30: SpatialScenario = {
    name: "R30x3",
    description: "cases.json R30x3-benchmark",
    dimensions: ["Dim0", "Dim1", "Dim2"],
    actors: rows.map(([name, capability, position, salience]) => ({ name, capability, position, salience })),
  };
  const t1 = performance.now();
  const rr = ktabSmp(r30);
  const w1 = (performance.now() - t1) / 1000;
  const top3 = rr.final.winProb
    .map((p, i) => [rr.names[i], p] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  console.log(
    `R30x3 (exact data via python3): ${w1.toFixed(3)} s, ${rr.states.length - 1} turns (KTAB: 27 turns, 7.9 s)`,
  );
  console.log(
    `  top final probabilities: ${top3.map(([n, p]) => `${n} ${p.toFixed(4)}`).join(", ")} (KTAB: RA-27 0.1763, RA-14 0.1496, RA-00 0.1399)`,
  );
} catch {
  console.log("R30x3 exact data: python3 not available, skipped");
}

const bench = new Bench({ time: 2000, iterations: 3 });
bench.add(`ktabSmp ${nA}x${nD}`, () => {
  ktabSmp(sc);
});
const issue = sc.actors.map((a) => ({
  name: a.name,
  clout: a.capability,
  position: a.position[0],
  salience: a.salience[0] / 100,
}));
bench.add(`scholzEum ${nA} actors, 10 rounds`, () => {
  scholzEum(issue, { rounds: 10 });
});
await bench.run();
for (const t of bench.tasks) {
  const r = t.result as { latency?: { mean?: number }; mean?: number } | undefined;
  const mean = r?.latency?.mean ?? r?.mean ?? Number.NaN;
  console.log(`  ${t.name}: mean ${mean.toFixed(1)} ms per run (tinybench)`);
}
