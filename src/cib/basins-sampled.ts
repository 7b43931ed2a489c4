// Sampled basins of attraction (basins.ts for the exact ones and the result's shape): seeded
// uniform starts, each followed until it reaches a known attractor or closes a new cycle. The
// weights are hit counts, flagged as an estimate, with weightEstimate = share × space size.
// Scenario indices can exceed 2^53 here, so attractors are keyed by their text form.

import type { CompiledModel } from "../model/compiled.js";
import { makeRng } from "../random.js";
import type { BasinAttractor, BasinCycle, BasinOptions, BasinResult } from "./basins.js";
import { balanceInto, nowMs, prepare, scenarioKey, spaceSizeOf, stopRequested, summarize } from "./core.js";
import { makeStepper } from "./succession.js";

/** Basins estimated from `samples` seeded uniform starts. */
export function sampledBasins(model: CompiledModel, opts: BasinOptions): BasinResult {
  const start = nowMs();
  const p = prepare(model, opts);
  const { n, counts } = p;
  const rule = opts.rule ?? "global";
  const samples = opts.samples ?? 100_000;
  const seed = opts.seed ?? 1;
  const rng = makeRng(seed);
  const stepper = makeStepper(p, opts);
  const z = new Int32Array(n);
  const theta = new Int32Array(p.m);
  // Scenario indices can exceed 2^53: attractors are keyed by their text form here.
  const labelOf = new Map<string, number>();
  const labels: { states: number[][] }[] = [];
  const weights: number[] = [];
  const seen = new Map<string, number>();
  const trail: string[] = [];
  const trailStates: number[][] = [];
  let done = 0;
  let stopped = false;
  for (; done < samples; done++) {
    // A sample walks a whole path: poll every 16 (progress every 1024).
    if ((done & 0xf) === 0 && done > 0) {
      if ((done & 0x3ff) === 0) opts.onProgress?.({ done, total: samples, elapsedMs: nowMs() - start });
      if (stopRequested(opts)) {
        stopped = true;
        break;
      }
    }
    for (let f = 0; f < n; f++) z[f] = rng.int(0, counts[f] - 1);
    balanceInto(p, z, theta);
    seen.clear();
    trail.length = 0;
    trailStates.length = 0;
    let lab = -1;
    for (;;) {
      const key = scenarioKey(z);
      const known = labelOf.get(key);
      if (known !== undefined) {
        lab = known;
        break;
      }
      const at = seen.get(key);
      if (at !== undefined) {
        // a new cycle: trail[at..] are its members
        lab = labels.length;
        const members = trailStates.slice(at);
        labels.push({ states: members });
        weights.push(0);
        for (let q = at; q < trail.length; q++) labelOf.set(trail[q], lab);
        break;
      }
      seen.set(key, trail.length);
      trail.push(key);
      trailStates.push(Array.from(z));
      if (!stepper.step(z, theta)) {
        lab = labels.length;
        labels.push({ states: [Array.from(z)] });
        weights.push(0);
        labelOf.set(scenarioKey(z), lab);
        break;
      }
    }
    weights[lab]++;
  }
  // build the result (scenarios are given by states, not by index)
  const space = spaceSizeOf(counts);
  const attractors: BasinAttractor[] = [];
  const cycles: BasinCycle[] = [];
  let cycleStarts = 0;
  const lex = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  };
  for (let i = 0; i < labels.length; i++) {
    const st = labels[i].states;
    if (st.length === 1) {
      balanceInto(p, st[0], theta);
      const s = summarize(p, st[0], theta);
      attractors.push({
        states: st[0],
        weight: weights[i],
        share: weights[i] / done,
        weightEstimate: (weights[i] / done) * Number(space),
        tis: s.tis,
        cv: s.cv,
      });
    } else {
      let b = 0;
      for (let q = 1; q < st.length; q++) if (lex(st[q], st[b]) < 0) b = q;
      cycleStarts += weights[i];
      cycles.push({ scenarios: st.slice(b).concat(st.slice(0, b)), period: st.length, starts: weights[i] });
    }
  }
  attractors.sort((a, b) => b.weight - a.weight || lex(a.states, b.states));
  cycles.sort((a, b) => b.starts - a.starts || lex(a.scenarios[0], b.scenarios[0]));
  return {
    kind: "cib.basins",
    rule,
    estimate: true,
    complete: !stopped,
    spaceSize: space.toString(),
    starts: done,
    samples: done,
    seed,
    attractors,
    cycles: cycles.slice(0, opts.maxCycles ?? 100),
    cycleCount: cycles.length,
    cycleStarts,
    elapsedMs: nowMs() - start,
  };
}
