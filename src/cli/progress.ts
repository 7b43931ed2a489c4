// Progress and cancellation for long CLI runs: a progress bar on standard error (only on a
// terminal, never with --quiet or --format json to a pipe), and Ctrl-C turned into a clean
// stop: the engine sees an aborted signal, returns what it has, flagged partial. The command
// prints that partial result and exits with EXIT_INTERRUPTED (130), saying on standard error
// what the result covers. (A synchronous engine runs on a worker thread for this: run-thread.ts.)
import { createRequire } from "node:module";
import type * as CliProgress from "cli-progress";
import { EXIT_INTERRUPTED, type Io } from "./io.js";

/** The progress-bar library, loaded only when a bar is drawn (never for a pipe or --quiet). */
export function progressBars(): typeof CliProgress {
  return createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
}

export interface CliRun {
  signal: AbortSignal;
  onProgress: (p: { done: number; total?: number; elapsedMs?: number }) => void;
  /** True when Ctrl-C was pressed. */
  interrupted: () => boolean;
  finish: () => void;
}

/**
 * A run's progress bar and Ctrl-C handling. `percentOnly`: the bar shows a percentage and an
 * estimate, not done/total (for shares such as a search's settled share of the space).
 */
export function startRun(
  label: string,
  opts: { quiet?: boolean; total?: number; percentOnly?: boolean } = {},
): CliRun {
  const ac = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    ac.abort();
    process.stderr.write("\nstopping: finishing the current step and reporting what is done…\n");
  };
  process.once("SIGINT", onSigint);
  const show = !opts.quiet && Boolean(process.stderr.isTTY);
  let bar: CliProgress.SingleBar | undefined;
  let started = false;
  return {
    signal: ac.signal,
    interrupted: () => interrupted,
    onProgress: (p) => {
      if (!show) return;
      const total = p.total ?? opts.total;
      if (!bar) {
        const cliProgress = progressBars();
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: total
              ? opts.percentOnly
                ? `${label} [{bar}] {percentage}% | ETA {eta_formatted}`
                : `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`
              : `${label} {value} done`,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
      }
      if (!started) {
        bar.start(total ?? 0, p.done);
        started = true;
      } else bar.update(p.done, total ? { total } : {});
      if (total) bar.setTotal(total);
    },
    finish: () => {
      process.removeListener("SIGINT", onSigint);
      bar?.stop();
    },
  };
}

/** A command's exit after Ctrl-C stopped its run: what the output covers, on standard error. */
export function interruptedExit(io: Io, covers: string): number {
  io.err(`interrupted: ${covers}`);
  return EXIT_INTERRUPTED;
}
