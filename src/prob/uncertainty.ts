// Judgment uncertainty: how likely is each scenario to be consistent when the judgments
// themselves are uncertain? Every cell given by an impact is drawn around its judged value
// (round(C + σ·Z), Z standard normal, σ from the impact's confidence code, clipped to the
// scale); the exact kernel of each drawn matrix comes from the CIB engine (findKernel); a
// scenario's probability of being consistent is the share of samples whose kernel holds it,
// with a Wilson interval. Robust: consistent in ≥ 95 % of the samples.
import { findKernel } from "../cib/kernel.js";
import type { CompiledModel } from "../model/compiled.js";
import { fromState, type StreamState, streamStates } from "../random.js";
import { sampleMatrix } from "./chunk.js";
import { wilson } from "./stats.js";

export interface KernelTask {
  model: CompiledModel;
  spread: Float64Array;
  /** First sample index of this chunk and one stream state per sample. */
  first: number;
  streams: StreamState[];
  ignoreSelfImpacts: boolean;
}

export interface KernelChunkResult {
  first: number;
  /** Per sample: the consistent scenarios ("s0,s1,…"). */
  kernels: string[][];
}

/** A CompiledModel without the parts a worker does not need (smaller to send). */
export function slimModel(cm: CompiledModel): CompiledModel {
  return { ...cm, cellImpacts: new Map(), members: [] };
}

export function runKernelSamples(task: KernelTask): KernelChunkResult {
  const kernels: string[][] = [];
  const buf = new Int32Array(task.model.matrix.length);
  for (const st of task.streams) {
    const g = fromState(st);
    const matrix = sampleMatrix(task.model.matrix, task.spread, task.model.scale, g, buf);
    const k = findKernel(task.model, { matrix, ignoreSelfImpacts: task.ignoreSelfImpacts });
    kernels.push(k.scenarios.map((s) => s.states.join(",")));
  }
  return { first: task.first, kernels };
}

export interface ConsistencyRow {
  /** State per factor (0-based). */
  states: number[];
  /** Samples in which the scenario is consistent. */
  count: number;
  p: number;
  lo: number;
  hi: number;
  /** Consistent in ≥ 95 % of the samples. */
  robust: boolean;
  /** In the kernel of the judged (unperturbed) matrix. */
  judged: boolean;
}

export interface ConsistencyResult {
  kind: "prob.consistency";
  engine: { name: string; version: string };
  model: { hash: string };
  seed: number;
  samples: number;
  requested: number;
  partial: boolean;
  robustThreshold: number;
  /** Every scenario consistent in at least one sample (or in the judged kernel), by p descending. */
  scenarios: ConsistencyRow[];
  /** Kernel size per sample: min, mean, max. */
  kernelSize: { min: number; mean: number; max: number };
}

/** Builds the kernel tasks: one stream per sample (stream k = seed jumped k times). */
export function kernelTasks(
  cm: CompiledModel,
  spread: Float64Array,
  seed: number,
  samples: number,
  chunkSize: number,
  ignoreSelfImpacts: boolean,
): KernelTask[] {
  const states = streamStates(seed, samples);
  const slim = slimModel(cm);
  const tasks: KernelTask[] = [];
  for (let f = 0; f < samples; f += chunkSize)
    tasks.push({ model: slim, spread, first: f, streams: states.slice(f, f + chunkSize), ignoreSelfImpacts });
  return tasks;
}

/** Merges kernel samples (in sample order) into per-scenario probabilities. */
export function summarizeConsistency(
  cm: CompiledModel,
  kernels: string[][],
  judged: string[],
  meta: { seed: number; requested: number; partial: boolean; version: string },
): ConsistencyResult {
  const counts = new Map<string, number>();
  for (const k of kernels) for (const s of k) counts.set(s, (counts.get(s) ?? 0) + 1);
  const judgedSet = new Set(judged);
  for (const s of judged) if (!counts.has(s)) counts.set(s, 0);
  const n = kernels.length;
  const rows: ConsistencyRow[] = [...counts.entries()].map(([key, c]) => {
    const w = wilson(c, n);
    return {
      states: key.split(",").map(Number),
      count: c,
      p: n ? c / n : 0,
      lo: w.lo,
      hi: w.hi,
      robust: n > 0 && c / n >= 0.95,
      judged: judgedSet.has(key),
    };
  });
  rows.sort((a, b) => b.count - a.count || cmp(a.states, b.states));
  const sizes = kernels.map((k) => k.length);
  return {
    kind: "prob.consistency",
    engine: { name: "muscat-prob", version: meta.version },
    model: { hash: cm.hash },
    seed: meta.seed,
    samples: n,
    requested: meta.requested,
    partial: meta.partial,
    robustThreshold: 0.95,
    scenarios: rows,
    kernelSize: {
      min: sizes.length ? Math.min(...sizes) : 0,
      mean: sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0,
      max: sizes.length ? Math.max(...sizes) : 0,
    },
  };
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
