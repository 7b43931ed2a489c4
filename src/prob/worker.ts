// Worker-thread entry of the probability engine: runs one chunk (succession runs, or kernel
// samples for judgment uncertainty) and returns plain data. No state survives between tasks.
import { type KernelPartTask, runKernelPart } from "../cib/parallel.js";
import { type ChunkTask, runChunk } from "./chunk.js";
import { type KernelTask, runKernelSamples } from "./uncertainty.js";

export type WorkerTask =
  | ({ kind: "chunk" } & ChunkTask)
  | ({ kind: "kernel" } & KernelTask)
  | ({ kind: "cib-part" } & KernelPartTask);

export default function work(task: WorkerTask) {
  if (task.kind === "chunk") return runChunk(task);
  if (task.kind === "cib-part") return runKernelPart(task);
  return runKernelSamples(task);
}
