// Worker-thread entry of the probability engine: runs one chunk (succession runs, or kernel
// samples for judgment uncertainty) and returns plain data. No state survives between tasks.
import { type ChunkTask, runChunk } from "./chunk.js";
import { type KernelTask, runKernelSamples } from "./uncertainty.js";

export type WorkerTask = ({ kind: "chunk" } & ChunkTask) | ({ kind: "kernel" } & KernelTask);

export default function work(task: WorkerTask) {
  if (task.kind === "chunk") return runChunk(task);
  return runKernelSamples(task);
}
