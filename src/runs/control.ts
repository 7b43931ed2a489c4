// The one contract between a run and whoever started it: progress out, cancellation in.
// The CLI draws a progress bar and aborts on Ctrl-C; the server's job worker posts progress to
// the app and aborts on a cancel request. Every run function takes this type.
import type { Pool } from "../workers/pool.js";

/** How far a run has got: `done` of `total` units (chunks, prefix boxes, questions…). */
export interface Progress {
  done: number;
  total?: number;
  message?: string;
}

export interface RunControl {
  /** Aborted when the run should stop; a stopped run returns what it has, marked partial. */
  signal?: AbortSignal;
  /** Polled by engines that run synchronously (they cannot see an abort while they compute). */
  shouldStop?: () => boolean;
  onProgress?: (p: Progress) => void;
  /** Worker threads to spread chunks over (the CLI's --workers); without one, this thread. */
  pool?: Pool;
}

/** The stop poll of a control: its own, or the signal's state. */
export const stopper = (c: RunControl): (() => boolean) => c.shouldStop ?? (() => c.signal?.aborted === true);

/**
 * Thrown by a run that was stopped and has no meaningful partial result (stakes, bargain, the
 * forecasts, analyze): the run ends with no result. The CLI reports it as an interruption, the
 * server stores the run as cancelled.
 */
export class RunStopped extends Error {
  constructor(what: string) {
    super(`stopped: ${what} keeps no partial result`);
    this.name = "RunStopped";
  }
}

/** Throws RunStopped when the control says stop. */
export function checkStop(c: RunControl, what: string): void {
  if (stopper(c)()) throw new RunStopped(what);
}
