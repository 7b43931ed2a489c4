// The instant kernel of the model being edited: sent to the worker on every change, the latest
// answer kept (an older one arriving late is dropped), with the time from the change to the
// answer. The previous answer is what the next one is compared with.
import { useEffect, useRef, useState } from "react";
import type { Model, Problem } from "../../../src/model/types.js";
import type { KernelEdit, KernelEditResult } from "../../../src/runs/kernel-edit.js";
import type { KernelRequest, KernelResponse } from "./protocol";

export interface KernelState {
  result: KernelEditResult | null;
  /** Milliseconds from the change to the answer (worker, parse, search and messages). */
  latencyMs: number | null;
  pending: boolean;
  error: string | null;
}

/** The kernel of `model` (null while the text has errors: the last answer stays). */
export function useKernel(
  model: Model | null,
  problems: Problem[],
  reference: Record<string, string>[],
): KernelState {
  const worker = useRef<Worker | null>(null);
  const seq = useRef(0);
  const sentAt = useRef(new Map<number, number>());
  const last = useRef<KernelEdit | null>(null);
  const [state, setState] = useState<KernelState>({
    result: null,
    latencyMs: null,
    pending: true,
    error: null,
  });

  useEffect(() => {
    const w = new Worker(new URL("./kernel.worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<KernelResponse>) => {
      const r = e.data;
      if (r.seq !== seq.current) return; // an older edit's answer
      const t0 = sentAt.current.get(r.seq);
      sentAt.current.clear();
      const latencyMs = t0 === undefined ? null : Math.round(performance.now() - t0);
      if ("error" in r) setState({ result: null, latencyMs, pending: false, error: r.error });
      else {
        if (r.result.hash !== null) last.current = r.result;
        setState({ result: r.result, latencyMs, pending: false, error: null });
      }
    };
    worker.current = w;
    return () => w.terminate();
  }, []);

  useEffect(() => {
    const w = worker.current;
    if (!w || !model) return;
    const n = ++seq.current;
    sentAt.current.set(n, performance.now());
    const msg: KernelRequest = {
      seq: n,
      model,
      problems,
      reference,
      previous: last.current?.scenarios ?? [],
      maxMs: 3000,
    };
    w.postMessage(msg);
    setState((s) => ({ ...s, pending: true }));
  }, [model, problems, reference]);

  return state;
}
