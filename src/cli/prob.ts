// muscat simulate | stationary | robust — the probability engine's commands.
import { writeFileSync } from "node:fs";
import { percent } from "../format.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { SimulationResult } from "../prob/simulate.js";
import type { StationaryResult } from "../prob/stationary.js";
import type { RunControl } from "../runs/control.js";
import { robustOptions, simulateOptions, stationaryOptions } from "../runs/options.js";
import { robustRun, simulateRun } from "../runs/prob.js";
import { createExecutor } from "../workers/executor.js";
import type { Pool } from "../workers/pool.js";
import {
  addRunOptions,
  type CommandContext,
  example,
  formatOption,
  runOptionsOf,
  workersOption,
} from "./command.js";
import { CliError, checkFormat, EXIT_OK, EXIT_USAGE, type Io, json, loadForCommand, pad } from "./io.js";
import { interruptedExit, progressBars, startRun } from "./progress.js";
import { redisOf, redisOption } from "./queue.js";
import { runStoppable } from "./run-thread.js";

const _num =
  (name: string, min: number, integer = true) =>
  (v: string) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < min || (integer && !Number.isInteger(x)))
      throw new CliError(
        `--${name} must be ${integer ? "a whole number" : "a number"} ≥ ${min}; got '${v}'`,
        EXIT_USAGE,
      );
    return x;
  };
const _collect = (v: string, prev: string[] = []) => [...prev, v];

interface Common {
  format: string;
  quiet?: boolean;
  workers: number;
  redis?: string;
}

/** Progress bar on stderr (only on a TTY and without --quiet), SIGINT → abort, pool. */
async function withRun<T>(opts: Common, label: string, f: (c: RunControl) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on("SIGINT", onSigint);
  const bar =
    process.stderr.isTTY && !opts.quiet
      ? new (progressBars().SingleBar)({
          format: `${label} [{bar}] {percentage}% | ETA {eta_formatted} | {value}/{total}`,
          stream: process.stderr,
        })
      : null;
  let started = false;
  let pool: Pool | undefined;
  try {
    pool = await createExecutor({ redis: redisOf(opts), threads: opts.workers, signal: ac.signal });
    return await f({
      pool,
      signal: ac.signal,
      onProgress: (p) => {
        if (!bar) return;
        if (!started) {
          bar.start(p.total ?? 0, 0);
          started = true;
        }
        bar.setTotal(p.total ?? 0);
        bar.update(p.done);
      },
    });
  } finally {
    if (started) bar?.stop();
    process.off("SIGINT", onSigint);
    await pool?.close();
  }
}

const pct = (p: number) => percent(p, 1);
/** Small shares keep two significant digits (a path taken by 0.03 % of runs is not "0.0%"). */
const pctSmall = (p: number) => (p > 0 && p < 0.001 ? `${(100 * p).toPrecision(2)}%` : pct(p));

function renderSimulation(cm: CompiledModel, r: SimulationResult): string {
  const out: string[] = [];
  const K = r.steps;
  const short = (f: number) => cm.factorShort[f];
  const cols = [...new Set([0, Math.round(K / 4), Math.round(K / 2), Math.round((3 * K) / 4), K])];
  out.push(
    `${r.runs} runs × ${K} steps, seed ${r.seed}${r.partial ? " — PARTIAL (interrupted)" : ""}${r.stoppedBy === "precision" ? ` — stopped at precision ±${r.precision.target}` : ""}; 95% Wilson half-width ≤ ${r.precision.achieved.toFixed(4)}`,
  );
  out.push("");
  out.push(`State probabilities by step (fan chart data; --format json for every step and interval):`);
  out.push(`${pad("factor state", 22)}${cols.map((k) => pad(`k=${k}`, 8, true)).join("")}`);
  r.factors.forEach((f, i) => {
    f.states.forEach((s, l) => {
      out.push(
        `${pad(`${short(i)} ${cm.stateShort[i][l]}`, 22)}${cols.map((k) => pad(pct(s.p[k]), 8, true)).join("")}`,
      );
    });
  });
  for (const c of r.conditions) {
    out.push("");
    const last = c.byStep[K];
    out.push(
      `P(${c.condition} by step k): ${cols.map((k) => `k=${k} ${pct(c.byStep[k].p)}`).join(", ")}  [k=${K}: ${pct(last.lo)}–${pct(last.hi)}]`,
    );
    if (c.meanFirstPassage !== null)
      out.push(`  mean first-passage step (runs that reach it): ${c.meanFirstPassage.toFixed(2)}`);
    const describe = (p: { changes: { factor: string; state: string }[] }) =>
      p.changes.length
        ? p.changes
            .map((ch) => {
              const f = cm.factorIds.indexOf(ch.factor);
              return `${short(f)}→${cm.stateShort[f][cm.stateIds[f].indexOf(ch.state)]}`;
            })
            .join(", ")
        : "(holds at the start)";
    if (c.pathSets.length) out.push(`  main paths (the same changes in any order count as one):`);
    for (const p of c.pathSets.slice(0, 5)) out.push(`   ${pad(pctSmall(p.p), 8, true)}  ${describe(p)}`);
    if (c.paths.length) out.push(`  most frequent exact sequences (loop-erased changes from the start):`);
    for (const p of c.paths.slice(0, 3)) out.push(`   ${pad(pctSmall(p.p), 8, true)}  ${describe(p)}`);
  }
  out.push("");
  out.push(`Most frequent scenarios at step ${K} (${r.distinctEnds} distinct):`);
  for (const e of r.ends.slice(0, 5)) {
    const states = cm.factorIds
      .map((id, f) => cm.stateShort[f][cm.stateIds[f].indexOf(e.states[id])])
      .join(" ");
    out.push(`  ${pad(pctSmall(e.p), 8, true)}  ${states}`);
  }
  return out.join("\n");
}

function renderStationary(cm: CompiledModel, r: StationaryResult): string {
  const out: string[] = [];
  if (r.exact) {
    const name = { iad: "aggregation–disaggregation", gmres: "GMRES", "gauss-seidel": "Gauss–Seidel" }[
      r.exact.solver
    ];
    out.push(
      `exact (${name}) over ${r.exact.states} scenarios: ${r.exact.iterations} iterations (${r.exact.sweeps} passes), residual ‖πP − π‖₁ ${r.exact.residual.toExponential(2)}${r.exact.converged ? "" : " — NOT converged"}, ${(r.exact.elapsedMs / 1000).toFixed(1)} s, ${(r.exact.bytes / 1e6).toFixed(0)} MB`,
    );
    const held = Object.entries(r.exact.held);
    if (held.length) out.push(`held: ${held.map(([f, s]) => `${f}=${s}`).join(", ")}`);
    out.push("");
    out.push("Long-run probability of each basin of attraction (β → ∞ dynamics):");
    for (const b of r.exact.basins.slice(0, 10)) {
      const states = cm.factorIds
        .map((id, f) => cm.stateShort[f][cm.stateIds[f].indexOf(b.attractor[id])])
        .join(" ");
      out.push(
        `  ${pad(b.p < 1e-3 && b.p > 0 ? b.p.toExponential(2) : pct(b.p), 9, true)}  ${states}${b.cycle > 1 ? ` (cycle of ${b.cycle})` : ""}, ${b.size} scenarios`,
      );
    }
  }
  if (r.mcmc)
    out.push(
      `MCMC: ${r.mcmc.chains} chains × ${r.mcmc.samples} samples (burn-in ${r.mcmc.burnIn}), seed ${r.mcmc.seed}, max R-hat ${r.mcmc.maxRhat.toFixed(3)}${r.mcmc.converged ? "" : " — NOT converged (R-hat ≥ 1.05)"}`,
    );
  if (r.partial) out.push("PARTIAL (interrupted)");
  out.push("");
  out.push("Long-run probability of each factor state:");
  r.factors.forEach((f, i) => {
    out.push(
      `  ${pad(cm.factorShort[i], 9)} ${f.states.map((s, l) => `${cm.stateShort[i][l]} ${pct(s.p)}`).join("  ")}`,
    );
  });
  out.push("");
  out.push("Most probable scenarios:");
  for (const s of r.scenarios.slice(0, 10)) {
    const states = cm.factorIds
      .map((id, f) => cm.stateShort[f][cm.stateIds[f].indexOf(s.states[id])])
      .join(" ");
    out.push(`  ${pad(pct(s.p), 7, true)}  ${states}`);
  }
  return out.join("\n");
}

function longCsv(cm: CompiledModel, records: Int8Array[], chunkRuns: number[], steps: number): string {
  const lines = ["run,step,factor,state"];
  const n = cm.nFactors;
  let run = 0;
  records.forEach((rec, c) => {
    for (let r = 0; r < chunkRuns[c]; r++, run++)
      for (let k = 0; k <= steps; k++)
        for (let f = 0; f < n; f++)
          lines.push(
            `${run + 1},${k},${cm.factorIds[f]},${cm.stateIds[f][rec[(r * (steps + 1) + k) * n + f]]}`,
          );
  });
  return `${lines.join("\n")}\n`;
}

export async function cmdSimulate(
  modelPath: string | undefined,
  opts: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const format = checkFormat(String(opts.format), ["table", "json", "csv"]);
  const o = runOptionsOf(simulateOptions, opts);
  if (format === "csv" && o.runs > 100_000)
    throw new CliError("--format csv writes every run: use --runs ≤ 100000", EXIT_USAGE);
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  const { result, tally } = await withRun(opts as unknown as Common, "simulate", (control) =>
    simulateRun(model, o, control, { record: format === "csv" }),
  );
  if (format === "json") io.out(json(result));
  else if (format === "csv") {
    const sizes: number[] = [];
    for (let r = 0; r < result.runs; r += result.chunkSize)
      sizes.push(Math.min(result.chunkSize, result.runs - r));
    const text = longCsv(cm, tally.records, sizes, result.steps);
    if (opts.out) writeFileSync(String(opts.out), text);
    else io.out(text);
  } else io.out(renderSimulation(cm, result));
  if (result.partial)
    return interruptedExit(io, `the result covers the ${result.runs} runs finished (partial: true)`);
  return EXIT_OK;
}

export async function cmdStationary(
  modelPath: string | undefined,
  opts: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const format = checkFormat(String(opts.format), ["table", "json"]);
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  // Synchronous: on a worker thread, so that Ctrl-C reaches it (run-thread.ts).
  const run = startRun("stationary", { quiet: Boolean(opts.quiet) });
  let r: StationaryResult;
  try {
    r = await runStoppable<StationaryResult>("stationary", model, runOptionsOf(stationaryOptions, opts), run);
  } finally {
    run.finish();
  }
  io.out(format === "json" ? json(r) : renderStationary(cm, r));
  if (r.partial)
    return interruptedExit(
      io,
      r.mcmc
        ? `the estimate covers ${r.mcmc.samples} of ${r.mcmc.requested ?? r.mcmc.samples} samples per chain (partial: true)`
        : `the solver's iterate after ${r.exact?.iterations ?? 0} iterations, not converged (partial: true)`,
    );
  return EXIT_OK;
}

export async function cmdRobust(
  modelPath: string | undefined,
  opts: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const format = checkFormat(String(opts.format), ["table", "json"]);
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  const r = await withRun(opts as unknown as Common, "robust", (control) =>
    robustRun(model, runOptionsOf(robustOptions, opts), control),
  );
  if (format === "json") io.out(json(r));
  else {
    const out = [
      `${r.samples} sampled matrices (seed ${r.seed})${r.partial ? " — PARTIAL" : ""}; kernel size min ${r.kernelSize.min}, mean ${r.kernelSize.mean.toFixed(2)}, max ${r.kernelSize.max}`,
      `${pad("P(consistent)", 14)}${pad("95% interval", 16)}robust judged  scenario`,
    ];
    for (const s of r.scenarios.slice(0, 20))
      out.push(
        `${pad(pct(s.p), 14)}${pad(`${pct(s.lo)}–${pct(s.hi)}`, 16)}${pad(s.robust ? "yes" : "", 7)}${pad(s.judged ? "yes" : "", 8)}${s.states.map((st, f) => cm.stateShort[f][st]).join(" ")}`,
      );
    io.out(out.join("\n"));
  }
  if (r.partial)
    return interruptedExit(io, `the result covers ${r.samples} sampled matrices (partial: true)`);
  return EXIT_OK;
}

export function registerProbCommands({ program, io, run }: CommandContext): void {
  example(
    addRunOptions(
      program
        .command("simulate")
        .description(
          "trajectories of the stochastic succession from the current situation: fan charts, P(condition by step k), paths",
        )
        .argument("[model]", "model file (default: the seed model)"),
      simulateOptions,
      { describe: { query: "condition f=s,g=t to track" } },
    )
      .addOption(workersOption(2))
      .addOption(redisOption())
      .option("-o, --out <file>", "with --format csv: write the long CSV (run, step, factor, state) here")
      .option("--quiet", "no progress bar")
      .addOption(formatOption(["table", "json", "csv"]))
      .action((model, opts) =>
        run(() =>
          cmdSimulate(
            model,
            { ...opts, quiet: opts.quiet || (opts.format !== "table" && !process.stderr.isTTY) },
            io,
          ),
        ),
      ),
    "muscat simulate models/oman-2025.yaml --steps 12 --runs 100000 --seed 7 --query region=multi-front-war --given talks=breakdown",
  );
  example(
    addRunOptions(
      program
        .command("stationary")
        .description(
          "long-run distribution of the stochastic succession (exact when the space fits, else MCMC with R-hat)",
        )
        .argument("[model]", "model file (default: the seed model)"),
      stationaryOptions,
    )
      .option("--quiet", "no progress bar")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdStationary(model, { ...opts, workers: 0 }, io))),
    "muscat stationary models/oman-2025.yaml --beta 1 --format json",
  );
  example(
    addRunOptions(
      program
        .command("robust")
        .description(
          "judgment uncertainty: P(consistent) of each scenario over sampled matrices, with Wilson intervals",
        )
        .argument("[model]", "model file (default: the seed model)"),
      robustOptions,
    )
      .addOption(workersOption(2))
      .addOption(redisOption())
      .option("--quiet", "no progress bar")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdRobust(model, opts, io))),
    "muscat robust models/oman-2025.yaml --samples 500 --seed 3",
  );
}
