// The CIB engine in the browser: a web worker that takes model text and answers with its
// kernel (src/runs/kernel-edit.ts: the same parser, validator and search as the server), so an
// edit shows its scenarios without a round trip. One request at a time; the latest wins.
import { kernelEdit } from "../../../src/runs/kernel-edit.js";
import type { KernelRequest, KernelResponse } from "./protocol";

self.onmessage = (e: MessageEvent<KernelRequest>) => {
  const { seq, text, reference, previous, maxMs } = e.data;
  let reply: KernelResponse;
  try {
    reply = { seq, result: kernelEdit(text, reference, previous, { maxMs }) };
  } catch (err) {
    reply = { seq, error: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as Worker).postMessage(reply);
};
