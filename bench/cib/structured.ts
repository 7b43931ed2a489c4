// Structured CIB models for the benchmarks: what elicited models look like, unlike dense random
// matrices. Seeded: the same spec gives the same model.
//
// A model of n descriptors with 2–5 states each (or fixed counts):
// - Storylines. K coherent scenarios s_1 … s_K are drawn first. They are the model's intended
//   "stories" (in a real study, the raw scenarios the experts had in mind).
// - Judged pairs. Each ordered pair of descriptors (i, j), i ≠ j, in the same island is judged
//   with probability `density`; the other pairs' judgment groups stay empty, as most of an
//   elicited matrix does.
// - Judgments. In a judged group, a source state a of i that some storyline uses (s_k(i) = a)
//   promotes that storyline's state of j and inhibits j's other states: cell (a → s_k(j)) gets
//   +`support` and every other cell of the row −1. Rows of source states no storyline uses stay
//   empty. A storyline's judgments are "mostly supported": with probability `dissent`, a row is
//   reversed (the storyline's state of j gets −`support`, another state +`support`).
// - Noise. Each cell of a judged group gets, with probability `noiseRate`, a value of strength
//   1…`noise` and a random sign added. Cells are clipped to ±3.
// - Islands. With `islands` = g, the descriptors are dealt round-robin into g groups and only
//   pairs inside a group can be judged: the model splits into g independent parts.
//
// Published CIB models (ScenarioWizard's examples, the Weimer-Jehle case studies) have 50–80 %
// empty cells, kernels of a handful to a few thousand scenarios, and a few storylines each;
// `describeStructured` prints those figures for a generated model so the bench can show they
// match.

import { type CompiledModel, compileMatrix, type Descriptor } from "../../src/model/compiled.js";
import { makeRng } from "../../src/random.js";

export interface StructuredSpec {
  /** Number of descriptors. */
  n: number;
  /** States per descriptor: a fixed count, or [min, max] drawn uniformly (default [2, 5]). */
  states?: number | [number, number];
  /** Share of ordered descriptor pairs that are judged (0.2–0.5 in elicited models). */
  density: number;
  /** Planted storylines K. */
  storylines: number;
  /** Largest strength of a noise judgment (1–3; default 2). */
  noise?: number;
  /** Probability that a judged cell gets noise (default 0.1). */
  noiseRate?: number;
  /** Strength of a storyline's supporting judgment (default 3). */
  support?: number;
  /** Probability that a storyline row is reversed (default 0.05). */
  dissent?: number;
  /** Independent groups of descriptors with no impacts between them (default 1: none). */
  islands?: number;
  seed: number;
}

export interface StructuredModel {
  model: CompiledModel;
  /** The planted storylines, as state indices. */
  storylines: number[][];
  /** Island of each descriptor. */
  island: number[];
}

export function structuredModel(spec: StructuredSpec): StructuredModel {
  const rng = makeRng(spec.seed);
  const { n, density } = spec;
  const states = spec.states ?? [2, 5];
  const noise = spec.noise ?? 2;
  const noiseRate = spec.noiseRate ?? 0.1;
  const support = spec.support ?? 3;
  const dissent = spec.dissent ?? 0.05;
  const islands = spec.islands ?? 1;
  const counts = Array.from({ length: n }, () =>
    typeof states === "number" ? states : rng.int(states[0], states[1]),
  );
  const offsets = [0];
  for (const c of counts) offsets.push(offsets[offsets.length - 1] + c);
  const m = offsets[n];
  const island = Array.from({ length: n }, (_, i) => i % islands);
  const storylines = Array.from({ length: spec.storylines }, () => counts.map((c) => rng.int(0, c - 1)));
  const rows = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const chance = (p: number) => rng.next() < p;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j || island[i] !== island[j] || !chance(density)) continue;
      const cj = counts[j];
      // the storylines' rows: each source state a some storyline uses, once per distinct target
      const done = new Set<string>();
      for (const s of storylines) {
        const a = s[i];
        const key = `${a}:${s[j]}`;
        if (done.has(key)) continue;
        done.add(key);
        const r = offsets[i] + a;
        let up = s[j];
        let sign = 1;
        if (chance(dissent)) {
          sign = -1;
          up = (s[j] + 1 + rng.int(0, cj - 2)) % cj;
        }
        for (let b = 0; b < cj; b++) {
          const c = offsets[j] + b;
          if (b === s[j]) rows[r][c] += sign * support;
          else if (b === up) rows[r][c] += support;
          else rows[r][c] -= 1;
        }
      }
      // noise over the whole group
      for (let a = 0; a < counts[i]; a++)
        for (let b = 0; b < cj; b++)
          if (chance(noiseRate))
            rows[offsets[i] + a][offsets[j] + b] += (chance(0.5) ? 1 : -1) * rng.int(1, noise);
    }
  for (const row of rows) for (let c = 0; c < m; c++) row[c] = Math.max(-3, Math.min(3, row[c]));
  const descriptors: Descriptor[] = counts.map((c, i) => ({
    name: `D${i + 1}`,
    variants: Array.from({ length: c }, (_, k) => `D${i + 1}s${k + 1}`),
  }));
  const id = `structured:${n}:${typeof states === "number" ? states : states.join("-")}:d${density}:k${spec.storylines}:i${islands}:s${spec.seed}`;
  return { model: compileMatrix(descriptors, rows, { hash: id }), storylines, island };
}

/** The figures that compare a generated model with published ones. */
export function describeStructured(s: StructuredModel): { emptyCells: number; judgedGroups: number } {
  const { model } = s;
  const { nFactors: n, offsets, size: m, matrix } = model;
  let cells = 0;
  let empty = 0;
  let groups = 0;
  let judged = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      groups++;
      let any = false;
      for (let r = offsets[i]; r < offsets[i + 1]; r++)
        for (let c = offsets[j]; c < offsets[j + 1]; c++) {
          cells++;
          if (matrix[r * m + c] === 0) empty++;
          else any = true;
        }
      if (any) judged++;
    }
  return { emptyCells: empty / cells, judgedGroups: judged / groups };
}

/**
 * A compiled model written as a model file (muscat/1 YAML), for the command line and the app:
 * factors `${prefix}1…`, states s1….
 */
export function modelFileText(
  cm: CompiledModel,
  id: string,
  o: { title?: string; prefix?: string } = {},
): string {
  const f = o.prefix ?? "d";
  const lines = [
    "format: muscat/1",
    `id: ${id}`,
    `title: ${o.title ?? id}`,
    "asOf: 2025-01-01",
    "actors: [{ id: a, name: A, kind: state }]",
    "factors:",
  ];
  for (let k = 0; k < cm.nFactors; k++) {
    const st = Array.from({ length: cm.counts[k] }, (_, v) => `{ id: s${v + 1}, label: S${v + 1} }`).join(
      ", ",
    );
    lines.push(`  - { id: ${f}${k + 1}, name: ${f.toUpperCase()}${k + 1}, current: s1, states: [${st}] }`);
  }
  lines.push("impacts:");
  const m = cm.size;
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      const v = cm.matrix[r * m + c];
      if (v === 0) continue;
      const [i, a] = [cm.factorOf[r], r - cm.offsets[cm.factorOf[r]]];
      const [j, b] = [cm.factorOf[c], c - cm.offsets[cm.factorOf[c]]];
      lines.push(`  - { from: ${f}${i + 1}=s${a + 1}, to: ${f}${j + 1}=s${b + 1}, strength: ${v} }`);
    }
  return `${lines.join("\n")}\n`;
}
