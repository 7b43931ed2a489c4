// P(consistent) per scenario under judgment uncertainty: samples run in chunks (in-process or
// on the pool), merged in sample order.
import { findKernel } from "../cib/kernel.js";
import type { CompiledModel } from "../model/compiled.js";
import { type Control, ENGINE_VERSION, runTasks } from "./run.js";
import {
  type ConsistencyResult,
  kernelTasks,
  runKernelSamples,
  summarizeConsistency,
} from "./uncertainty.js";

export type { ConsistencyResult } from "./uncertainty.js";

export async function consistency(
  cm: CompiledModel,
  opts: {
    samples: number;
    seed: number;
    chunkSize?: number;
    ignoreSelfImpacts?: boolean;
    spread?: Float64Array;
  },
  control: Control = {},
): Promise<ConsistencyResult> {
  const spread = opts.spread ?? cm.spread;
  if (!spread) throw new Error("the model has no spreads (compile it from a model file, or pass spread)");
  const tasks = kernelTasks(
    cm,
    spread,
    opts.seed,
    opts.samples,
    opts.chunkSize ?? 10,
    opts.ignoreSelfImpacts ?? false,
  ).map((t) => ({ kind: "kernel" as const, ...t }));
  const results = await runTasks(tasks, runKernelSamples, control, { done: 0, total: tasks.length });
  const kernels = results.flatMap((r) => r.kernels);
  const judged = findKernel(cm, { ignoreSelfImpacts: opts.ignoreSelfImpacts }).scenarios.map((s) =>
    s.states.join(","),
  );
  return summarizeConsistency(cm, kernels, judged, {
    seed: opts.seed,
    requested: opts.samples,
    partial: kernels.length < opts.samples,
    version: ENGINE_VERSION,
  });
}
