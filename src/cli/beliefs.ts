import { percent } from "../format.js";
import { compileModel } from "../model/compile.js";
import { condition } from "../prob/beliefs.js";
import { type BeliefsResult, beliefsRun } from "../runs/beliefs.js";
import { beliefsOptions } from "../runs/options.js";
import { assignmentsOf } from "../runs/prob.js";
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
import { checkFormat, EXIT_OK, type Io, json, loadForCommand, pad } from "./io.js";
import { interruptedExit } from "./progress.js";
import { redisOf, redisOption } from "./queue.js";

const BAR = 24;
const bar = (p: number) => {
  const w = Number.isFinite(p) ? Math.round(p * BAR) : 0;
  return `${"█".repeat(w)}${"·".repeat(BAR - w)}`;
};

type Bars = { id: string; states: { id: string; p: number; lo: number; hi: number }[] }[];

function render(r: BeliefsResult, bars: Bars, head: string, warning: string | null): string {
  const out = [head];
  if (warning) out.push(`warning: ${warning}`);
  for (const f of bars) {
    out.push("", f.id);
    for (const s of f.states)
      out.push(
        `  ${pad(s.id, 22)}${pad(percent(s.p, 1), 7, true)}  ${bar(s.p)}  ${percent(s.lo, 1)}–${percent(s.hi, 1)}`,
      );
  }
  out.push("", "Assumes:", ...r.assumes.split("\n").map((l) => `  ${l}`));
  return out.join("\n");
}

export async function cmdBeliefs(
  modelPath: string | undefined,
  opts: Record<string, unknown>,
  io: Io,
): Promise<number> {
  const format = checkFormat(String(opts.format), ["table", "json"]);
  const o = runOptionsOf(beliefsOptions, opts);
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  // The evidence is read before the run, so a bad id costs no simulation.
  const evidence = assignmentsOf(cm, (opts.evidence as string[] | undefined) ?? [], "evidence");
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on("SIGINT", onSigint);
  let pool: Pool | undefined;
  let r: BeliefsResult;
  try {
    pool = await createExecutor({ redis: redisOf(opts), threads: Number(opts.workers), signal: ac.signal });
    r = await beliefsRun(model, o, { pool, signal: ac.signal });
  } finally {
    process.off("SIGINT", onSigint);
    await pool?.close();
  }
  const finished = () =>
    r.partial
      ? interruptedExit(io, `the beliefs cover the ${r.runs} runs finished (partial: true)`)
      : EXIT_OK;
  const when = `step ${r.steps} (${r.horizon.date})`;
  const partial = r.partial ? " — PARTIAL (interrupted)" : "";
  const runs = `${r.runs.toLocaleString("en")} runs (seed ${r.seed})${partial}`;
  if (evidence.size === 0) {
    if (format === "json") io.out(json(r));
    else io.out(render(r, r.factors, `Beliefs at ${when}: ${runs}; 95% Wilson intervals`, null));
    return finished();
  }
  const c = condition(r.sample, evidence);
  const named = [...evidence].map(([f, s]) => `${cm.factorIds[f]}=${cm.stateIds[f][s]}`);
  const bars: Bars = r.factors.map((f, j) => ({
    id: f.id,
    states: f.states.map((s, l) => ({ id: s.id, ...c.marginals[j][l] })),
  }));
  if (format === "json")
    io.out(
      json({
        ...r,
        conditioned: {
          evidence: Object.fromEntries([...evidence].map(([f, s]) => [cm.factorIds[f], cm.stateIds[f][s]])),
          n: c.n,
          warning: c.warning,
          factors: bars,
        },
      }),
    );
  else
    io.out(
      render(
        r,
        bars,
        `Beliefs at ${when} given ${named.join(", ")}: ${c.n.toLocaleString("en")} of ${runs} match; 95% Wilson intervals on the matching runs`,
        c.warning,
      ),
    );
  return finished();
}

export function registerBeliefsCommands({ program, io, run }: CommandContext): void {
  example(
    addRunOptions(
      program
        .command("beliefs")
        .description(
          "belief bars: every factor's distribution over its states at a horizon (simulated runs), optionally given evidence",
        )
        .argument("[model]", "model file (default: the seed model)"),
      beliefsOptions,
    )
      .option(
        "--evidence <f=s>",
        "clamp a state: keep only the runs in it at the horizon (conditioning, not an intervention; repeatable)",
        (v: string, prev: string[] = []) => [...prev, v],
      )
      .addOption(workersOption(2))
      .addOption(redisOption())
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdBeliefs(model, opts, io))),
    "muscat beliefs models/oman-2025.yaml --date 2026-04-15 --runs 20000 --evidence talks=breakdown",
  );
}
