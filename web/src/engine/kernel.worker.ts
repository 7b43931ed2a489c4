// The CIB engine in the browser: a web worker that takes a model (parsed and validated on the
// app's thread by the same code as the server) and answers with its kernel
// (src/runs/kernel-edit.ts), so an edit shows its scenarios without a round trip.
import { kernelOfModel } from "../../../src/runs/kernel-edit.js";
import type { KernelRequest, KernelResponse } from "./protocol";

self.onmessage = (e: MessageEvent<KernelRequest>) => {
  const { seq, model, problems, reference, previous, maxMs } = e.data;
  let reply: KernelResponse;
  try {
    reply = { seq, result: kernelOfModel(model, reference, previous, { maxMs, problems }) };
  } catch (err) {
    reply = { seq, error: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as Worker).postMessage(reply);
};
