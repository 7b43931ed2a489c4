// Worker-thread entry shared by the engines that run on the pool (pool.ts): one task — a chunk
// of succession runs or kernel samples (the probability engine), or one box of a parallel
// kernel search, a chunk of sensitivity cells, a block of basin starts or a slice of their count
// (the CIB engine) — in, plain data out. No state survives between tasks.
import { type BasinCountTask, runBasinCount } from "../cib/basins.js";
import { type KernelBoxesTask, type KernelPartTask, runKernelBoxes, runKernelPart } from "../cib/parallel.js";
import { runSensitivityPart, type SensitivityPartTask } from "../cib/sensitivity.js";
import { type BasinPartTask, runBasinPart } from "../cib/successors.js";
import type { ChunkTask } from "../prob/chunk.js";
import { simulateChunk } from "../prob/ctmc.js";
import { type KernelTask, runKernelSamples } from "../prob/uncertainty.js";

export type WorkerTask =
  | ({ kind: "chunk" } & ChunkTask)
  | ({ kind: "kernel" } & KernelTask)
  | ({ kind: "cib-part" } & KernelPartTask)
  | ({ kind: "cib-boxes" } & KernelBoxesTask)
  | ({ kind: "cib-sens" } & SensitivityPartTask)
  | ({ kind: "cib-basin" } & BasinPartTask)
  | ({ kind: "cib-basin-count" } & BasinCountTask);

export default function work(task: WorkerTask) {
  if (task.kind === "chunk") return simulateChunk(task);
  if (task.kind === "cib-part") return runKernelPart(task);
  if (task.kind === "cib-boxes") return runKernelBoxes(task);
  if (task.kind === "cib-sens") return runSensitivityPart(task);
  if (task.kind === "cib-basin") return runBasinPart(task);
  if (task.kind === "cib-basin-count") return runBasinCount(task);
  return runKernelSamples(task);
}
