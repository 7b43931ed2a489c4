// Runs of engines from the UI: start, poll progress, cancel; results cached per model version.
import { useCallback, useEffect, useRef, useState } from "react";
import { percent } from "../../src/format.js";
import { cancelRun, isFinished, plainError, runEngine } from "./api";
import type { RunRecord } from "./types";

const cache = new Map<string, RunRecord>();
const keyOf = (modelId: string, version: number, engine: string, options: unknown) =>
  `${modelId}@${version}:${engine}:${JSON.stringify(options)}`;

export interface RunHandle<R> {
  run: RunRecord<R> | null;
  /** The last run that finished with a result (kept on screen while a new run computes). */
  last: RunRecord<R> | null;
  error: string | null;
  busy: boolean;
  start: (options: Record<string, unknown>, opts?: { force?: boolean }) => Promise<RunRecord<R> | null>;
  cancel: () => void;
}

/** One engine's run for one model version; the last finished run per options is cached. */
export function useRun<R>(modelId: string, version: number, engine: string): RunHandle<R> {
  const [run, setRun] = useState<RunRecord<R> | null>(null);
  const [last, setLast] = useState<RunRecord<R> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ctrl = useRef<AbortController | null>(null);
  const current = useRef<RunRecord<R> | null>(null);

  useEffect(
    () => () => {
      ctrl.current?.abort();
    },
    [],
  );

  const start = useCallback(
    async (options: Record<string, unknown>, opts: { force?: boolean } = {}) => {
      const key = keyOf(modelId, version, engine, options);
      const hit = cache.get(key) as RunRecord<R> | undefined;
      ctrl.current?.abort();
      setError(null);
      if (hit && !opts.force) {
        current.current = hit;
        setRun(hit);
        setLast(hit);
        return hit;
      }
      const ac = new AbortController();
      ctrl.current = ac;
      try {
        const r = await runEngine<R>(
          modelId,
          engine,
          options,
          version,
          (u) => {
            if (ac.signal.aborted) return;
            current.current = u;
            setRun(u);
          },
          ac.signal,
        );
        if (r.status === "done") cache.set(key, r);
        if (r.result !== undefined && r.result !== null && !ac.signal.aborted) setLast(r);
        if (r.status === "failed") setError(r.error ? plainRunError(r.error) : "The run failed.");
        return r;
      } catch (e) {
        if ((e as Error).name === "AbortError") return null;
        setError(plainError(e));
        return null;
      }
    },
    [modelId, version, engine],
  );

  const cancel = useCallback(() => {
    const r = current.current;
    if (!r || isFinished(r)) return;
    cancelRun(r.runId).catch((e) => setError(plainError(e)));
  }, []);

  return { run, last, error, busy: !!run && !isFinished(run), start, cancel };
}

function plainRunError(msg: string): string {
  return `The run failed: ${msg.replace(/^Error:\s*/, "")}`;
}

const fmtMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? "" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

/** Progress, cancel and errors of a run, in plain words. */
export function RunPanel<R>({ handle, what }: { handle: RunHandle<R>; what: string }) {
  const { run, error } = handle;
  if (error)
    return (
      <div className="run-panel error" role="alert">
        {error}
      </div>
    );
  if (!run) return null;
  if (run.status === "queued" || run.status === "running") {
    const p = run.progress;
    const frac = p?.total ? Math.min(1, p.done / p.total) : null;
    return (
      <div className="run-panel running" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        <span>
          {run.status === "queued" ? `Waiting to compute ${what}…` : `Computing ${what}…`}
          {p?.message ? ` ${p.message}` : ""}
        </span>
        <div
          className="progress"
          role="progressbar"
          aria-label={`Progress of ${what}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={frac === null ? undefined : Math.round(frac * 100)}
        >
          <div
            className={frac === null ? "bar indeterminate" : "bar"}
            style={{ width: `${(frac ?? 0.3) * 100}%` }}
          />
        </div>
        <span className="muted num">{frac === null ? "" : percent(frac, 0)}</span>
        <button type="button" onClick={handle.cancel}>
          Cancel
        </button>
      </div>
    );
  }
  if (run.status === "cancelled")
    return (
      <div className="run-panel" role="status">
        Cancelled: {what} stopped before the end{run.result ? "; what was computed so far is shown." : "."}
      </div>
    );
  if (run.status === "failed")
    return (
      <div className="run-panel error" role="alert">
        The run failed: {run.error ?? "unknown error"}
      </div>
    );
  return (
    <div className="run-meta muted" role="status">
      run #{run.runId} · {run.engine}
      {run.seed !== undefined && run.seed !== null ? ` · seed ${run.seed}` : ""}
      {run.elapsedMs !== undefined ? ` · ${fmtMs(run.elapsedMs)}` : ""}
      {run.modelHash ? ` · model ${run.modelHash.slice(0, 12)}` : ""}
    </div>
  );
}
