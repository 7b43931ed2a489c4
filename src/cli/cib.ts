import pc from "picocolors";
import type { Explanation } from "../cib/explain.js";
import type { KernelScenario } from "../cib/kernel.js";
import { exportSolutionList } from "../cib/sl.js";
import type { SuccessionRule } from "../cib/succession.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import { formatEvidence } from "../model/paths.js";
import type { Model } from "../model/types.js";
import { type BasinsRunResult, explainRun, type SensitivityRunResult, successionRun } from "../runs/cib.js";
import { explainOptions, scenariosOptions, sensitivityOptions, successionOptions } from "../runs/options.js";
import { CIB_ENGINE_VERSION, type ScenariosOptions, type ScenariosReport } from "../runs/scenarios.js";
import {
  addRunOptions,
  type CommandContext,
  example,
  formatOption,
  runOptionsOf,
  workersOption,
} from "./command.js";
import {
  checkFormat,
  EXIT_INVALID,
  EXIT_OK,
  type Io,
  json,
  loadForCommand,
  pad,
  terminalWidth,
} from "./io.js";
import { interruptedExit, startRun } from "./progress.js";
import { redisOf, redisOption } from "./queue.js";
import { runStoppable } from "./run-thread.js";

export function shortScenario(cm: CompiledModel, z: ArrayLike<number>): string {
  return Array.from({ length: cm.nFactors }, (_, j) => `${cm.factorShort[j]}=${cm.stateShort[j][z[j]]}`).join(
    " ",
  );
}

/** The ScenarioWizard-style tableau: scenarios as columns, factors as rows. */
export function renderTableau(
  cm: CompiledModel,
  scenarios: KernelScenario[],
  extraRows: { label: string; values: string[] }[] = [],
  width = terminalWidth(),
  ids: string[] = scenarios.map((_, i) => `S${i + 1}`),
): string {
  if (scenarios.length === 0) return "  (no scenario)";
  const labelW = Math.max(8, ...cm.factorShort.map((s) => [...s].length)) + 2;
  const colW = Math.max(7, ...cm.stateShort.flat().map((s) => [...s].length + 2));
  const perChunk = Math.max(1, Math.floor((width - labelW) / colW));
  const out: string[] = [];
  for (let c0 = 0; c0 < scenarios.length; c0 += perChunk) {
    const chunk = scenarios.slice(c0, c0 + perChunk);
    out.push(pad("", labelW) + chunk.map((_, i) => pad(ids[c0 + i], colW, true)).join(""));
    for (let j = 0; j < cm.nFactors; j++) {
      const row = chunk.map((s, i) => {
        const v = cm.stateShort[j][s.states[j]];
        const prev = i > 0 ? chunk[i - 1].states[j] : -1;
        return pad(prev === s.states[j] ? pc.dim(v) : v, colW, true);
      });
      out.push(pad(cm.factorShort[j], labelW) + row.join(""));
    }
    out.push(pad("IC", labelW) + chunk.map((s) => pad(String(s.inconsistency), colW, true)).join(""));
    out.push(pad("CV", labelW) + chunk.map((s) => pad(String(s.cv), colW, true)).join(""));
    out.push(pad("TIS", labelW) + chunk.map((s) => pad(String(s.tis), colW, true)).join(""));
    for (const r of extraRows)
      out.push(
        pad(r.label, labelW) +
          r.values
            .slice(c0, c0 + perChunk)
            .map((v) => pad(v, colW, true))
            .join(""),
      );
    if (c0 + perChunk < scenarios.length) out.push("");
  }
  return out.join("\n");
}

function toKernelScenario(
  cm: CompiledModel,
  s: { states: Record<string, string>; inconsistency: number; consistencyValue: number; tis: number },
): KernelScenario {
  return {
    states: cm.factorIds.map((id, j) => cm.stateIds[j].indexOf(s.states[id])),
    inconsistency: s.inconsistency,
    cv: s.consistencyValue,
    tis: s.tis,
  };
}

export function renderScenarios(cm: CompiledModel, r: ScenariosReport): string {
  const out: string[] = [];
  out.push(
    pc.dim(
      `model ${r.model.slice(0, 16)}… · ${r.space} scenarios${r.searchSpace !== r.space ? ` (${r.searchSpace} searched)` : ""} · ${r.complete ? "complete" : pc.red("INCOMPLETE (stopped)")} · ${r.visited} nodes · ${r.elapsedMs} ms · ${CIB_ENGINE_VERSION}`,
    ),
  );
  if (r.fix)
    out.push(
      `Intervention: ${Object.entries(r.fix)
        .map(([f, s]) => `${f}=${s}`)
        .join(", ")} (held fixed; consistency required of the other factors)`,
    );
  if (r.require)
    out.push(
      `Required: ${Object.entries(r.require)
        .map(([f, s]) => `${f}=${s.join("|")}`)
        .join(", ")}`,
    );
  if (r.forbid)
    out.push(
      `Forbidden: ${Object.entries(r.forbid)
        .map(([f, s]) => `${f}=${s.join("|")}`)
        .join(", ")}`,
    );
  const kernel = r.scenarios.map((s) => toKernelScenario(cm, s));
  const head =
    r.tolerance > 0
      ? `${r.count} scenarios with inconsistency ≤ ${r.tolerance} (${r.groups.map((g) => `IC ${g.inconsistency}: ${g.count}`).join(", ")})`
      : `${r.count} consistent scenario${r.count === "1" ? "" : "s"}`;
  const listing =
    r.listing.kind === "page"
      ? `ranks ${(r.listing.offset ?? 0) + 1}–${(r.listing.offset ?? 0) + r.scenarios.length} of the listing order`
      : r.listing.kind === "sample"
        ? `${r.scenarios.length} drawn uniformly (seed ${r.listing.seed})`
        : r.listing.kind === "none" && r.count !== "0"
          ? "not listed (--count-only, or more than a million: --offset/--limit for a page, --sample for a sample)"
          : "";
  const counted = r.counting === "product" ? "the product of independent groups' counts" : "";
  out.push(
    "",
    pc.bold(head) +
      pc.dim(
        [counted, listing]
          .filter(Boolean)
          .map((x) => ` · ${x}`)
          .join(""),
      ),
  );
  const extra = r.basins
    ? [
        {
          label: r.basins.estimate ? "basin~" : "basin",
          values: r.scenarios.map((s) => String((s as { basinWeight?: number }).basinWeight ?? 0)),
        },
      ]
    : [];
  out.push(
    renderTableau(
      cm,
      kernel,
      extra,
      terminalWidth(),
      r.scenarios.map((s) => s.id),
    ),
  );
  if (r.scenarios.length > 1) for (const s of r.scenarios) out.push(`${pad(s.id, 4)} ${pc.dim(s.name)}`);
  if (r.basins)
    out.push(
      pc.dim(
        `basin = starts whose global succession ends there (${r.basins.estimate ? "sampled estimate" : "exact"}); ${r.basins.cycleStarts} of ${r.basins.starts} starts end in cycles`,
      ),
    );
  if (r.intervention && !r.changes) {
    const iv = r.intervention;
    out.push(
      "",
      pc.bold(
        `Against the unconstrained kernel: ${iv.appear.length} appear, ${iv.vanish.length} vanish, ${iv.persist.length} persist`,
      ),
    );
    for (const [label, list] of [
      ["appear", iv.appear],
      ["vanish", iv.vanish],
    ] as const)
      for (const s of list)
        out.push(
          `  ${label === "appear" ? pc.green("+") : pc.red("−")} ${pad(s.id, 4)} ${shortScenario(cm, toKernelScenario(cm, s).states)}`,
        );
  }
  if (r.changes) {
    const ch = r.changes;
    out.push(
      "",
      pc.bold(
        `Against the model as it is (${ch.count} consistent): ${ch.appear.length} appear, ${ch.vanish.length} vanish, ${ch.persist.length} persist`,
      ),
    );
    if (ch.appear.length) out.push(`  ${pc.green("+")} ${ch.appear.join(" ")}`);
    for (const s of ch.vanish)
      out.push(`  ${pc.red("−")} ${pad(s.id, 4)} ${shortScenario(cm, toKernelScenario(cm, s).states)}`);
  }
  if (r.ensemble) {
    out.push("", pc.bold(`Ensemble of ${r.ensemble.members.length} members (quorum ${r.ensemble.quorum})`));
    for (const s of r.ensemble.scenarios)
      out.push(
        `  ${pad(`${Math.round(s.share * 100)}%`, 5, true)} ${s.meetsQuorum ? "✓" : " "} ${s.inSummedKernel ? "Σ" : " "} ${shortScenario(
          cm,
          cm.factorIds.map((id, j) => cm.stateIds[j].indexOf(s.states[id])),
        )}`,
      );
    out.push(
      pc.dim(
        "  share of members in which the scenario is consistent; ✓ meets the quorum; Σ consistent under the summed matrix",
      ),
    );
  }
  out.push("", pc.dim("Legend: ") + cm.factorIds.map((id, j) => `${cm.factorShort[j]}=${id}`).join(", "));
  return out.join("\n");
}

function csvScenarios(cm: CompiledModel, r: ScenariosReport): string {
  const head = [
    ...cm.factorIds,
    "inconsistency",
    "consistency_value",
    "tis",
    ...(r.basins ? ["basin_weight"] : []),
  ];
  const lines = [head.join(",")];
  for (const s of r.scenarios)
    lines.push(
      [
        ...cm.factorIds.map((id) => s.states[id]),
        s.inconsistency,
        s.consistencyValue,
        s.tis,
        ...(r.basins ? [(s as { basinWeight?: number }).basinWeight ?? 0] : []),
      ].join(","),
    );
  return `${lines.join("\n")}\n`;
}

type Flags = Record<string, unknown> & { format: string; quiet?: boolean };

/** A scenario record (factor id → state id) as state indices, for the table renderers. */
function indices(cm: CompiledModel, rec: Record<string, string>): number[] {
  return cm.factorIds.map((id, j) => cm.stateIds[j].indexOf(rec[id]));
}

/** The flags of `muscat scenarios` as the run's options (and its threads). */
function scenariosRunOptions(o: Flags): ScenariosOptions & { redis?: string } {
  return { ...runOptionsOf(scenariosOptions, o), workers: o.workers as number, redis: redisOf(o) };
}

export async function cmdScenarios(modelPath: string | undefined, o: Flags, io: Io): Promise<number> {
  const format = checkFormat(o.format, ["table", "json", "csv", "sl"]);
  const options = scenariosRunOptions(o);
  const { model } = await loadForCommand(modelPath);
  const run = startRun("searching", { quiet: o.quiet || format !== "table", percentOnly: true });
  let r: ScenariosReport;
  try {
    r = await runStoppable<ScenariosReport>("scenarios", model, options, run);
  } finally {
    run.finish();
  }
  const cm = compileModel(model, { ignoreSelfImpacts: options.ignoreSelfImpacts });
  if (format === "json") io.out(json(r));
  else if (format === "csv") io.out(csvScenarios(cm, r));
  else if (format === "sl")
    io.out(
      exportSolutionList(
        r.scenarios.map((s) => {
          const k = toKernelScenario(cm, s);
          return {
            states: k.states,
            cv: k.cv,
            tis: k.tis,
            weight: (s as { basinWeight?: number }).basinWeight ?? 0,
          };
        }),
      ),
    );
  else io.out(renderScenarios(cm, r));
  if (run.interrupted() && !r.complete)
    return interruptedExit(
      io,
      `the search stopped with ${((r.covered ?? 0) * 100).toFixed(1)} % of the space settled; the scenarios are those found so far (complete: false)`,
    );
  return r.complete ? EXIT_OK : EXIT_INVALID;
}

export async function cmdSuccession(modelPath: string | undefined, flags: Flags, io: Io): Promise<number> {
  const format = checkFormat(flags.format, ["table", "json"]);
  const o = runOptionsOf(successionOptions, flags);
  const rule = o.rule as SuccessionRule;
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  if (o.basins) {
    const run = startRun("basins", { quiet: flags.quiet || format !== "table" });
    let b: BasinsRunResult;
    try {
      b = await runStoppable<BasinsRunResult>(
        "basins",
        model,
        { ...o, workers: flags.workers as number, redis: redisOf(flags) },
        run,
      );
    } finally {
      run.finish();
    }
    if (format === "json") io.out(json(b));
    else {
      const out = [
        pc.dim(
          `model ${cm.hash.slice(0, 16)}… · ${rule} succession · ${b.estimate ? `estimate from ${b.samples} sampled starts (seed ${b.seed})` : `exact over all ${b.spaceSize} starts`} · ${Math.round(b.elapsedMs)} ms${b.complete ? "" : pc.red(" · INCOMPLETE (stopped)")}`,
        ),
        "",
        pc.bold("Attractors (consistent scenarios) and their basins"),
      ];
      for (const a of b.attractors)
        out.push(
          `  ${pad(String(a.weight), 10, true)} ${pad(`${(a.share * 100).toFixed(2)}%`, 8, true)}  ${shortScenario(cm, indices(cm, a.states))}`,
        );
      out.push(
        `  ${pad(String(b.cycleStarts), 10, true)} ${pad(`${((b.cycleStarts / b.starts) * 100).toFixed(2)}%`, 8, true)}  starts ending in ${b.cycleCount} cycle${b.cycleCount === 1 ? "" : "s"}`,
      );
      for (const c of b.cycles.slice(0, 5))
        out.push(
          pc.dim(
            `      cycle of period ${c.period} (${c.starts} starts): ${c.scenarios.map((z) => shortScenario(cm, indices(cm, z))).join("  →  ")}`,
          ),
        );
      io.out(out.join("\n"));
    }
    if (run.interrupted() && !b.complete)
      return interruptedExit(
        io,
        b.estimate
          ? `the basins cover the ${b.starts} starts sampled (complete: false)`
          : `stopped after ${b.starts} of ${b.spaceSize} starts: no exact weights (complete: false)`,
      );
    return b.complete ? EXIT_OK : EXIT_INVALID;
  }
  const r = successionRun(model, { rule, from: o.from, ignoreSelfImpacts: o.ignoreSelfImpacts });
  if (format === "json") {
    io.out(json(r));
    return EXIT_OK;
  }
  const p = { ...r, path: r.path.map((z) => indices(cm, z)) };
  const out = [
    pc.dim(
      `model ${cm.hash.slice(0, 16)}… · ${rule} succession from the ${o.from ? "given" : "current"} scenario`,
    ),
    "",
  ];
  p.path.forEach((z, i) => {
    const changed = i === 0 ? [] : cm.factorIds.map((_, j) => j).filter((j) => p.path[i - 1][j] !== z[j]);
    const what =
      i === 0
        ? shortScenario(cm, z)
        : changed
            .map(
              (j) =>
                `${cm.factorShort[j]}: ${cm.stateShort[j][p.path[i - 1][j]]} → ${cm.stateShort[j][z[j]]}`,
            )
            .join(", ");
    out.push(`  ${pad(`step ${i}`, 8)} ${what}`);
  });
  if (p.outcome === "fixed-point")
    out.push(
      "",
      pc.green(`ends in a consistent scenario after ${p.steps} steps`),
      `  ${shortScenario(cm, indices(cm, p.fixedPoint!))}`,
    );
  else if (p.outcome === "cycle")
    out.push("", pc.yellow(`enters a cycle of period ${p.cycle!.period} after ${p.steps} steps`));
  else out.push("", pc.red(`stopped after ${p.steps} steps without a fixed point or a cycle`));
  io.out(out.join("\n"));
  return EXIT_OK;
}

function impactNote(model: Model, ids: number[]): string {
  const imp = ids.map((i) => model.impacts[i]).filter(Boolean);
  if (!imp.length) return "";
  return imp
    .map(
      (x) =>
        `${x.rationale ?? ""}${x.evidence.length ? pc.dim(` [${x.evidence.map(formatEvidence).join(", ")}]`) : ""}`,
    )
    .join("; ");
}

export function renderExplanation(model: Model, cm: CompiledModel, e: Explanation, top = 3): string {
  const out: string[] = [];
  out.push(
    `${e.consistent ? pc.green("consistent") : pc.red(`inconsistent (IC ${e.inconsistency})`)} · CV ${e.cv} · TIS ${e.tis}`,
    pc.dim(`  ${shortScenario(cm, e.states)}`),
    "",
  );
  for (const f of e.factors) {
    const j = f.factor;
    const rival = f.bestRival === null ? "" : ` over ${cm.stateShort[j][f.bestRival]}`;
    const brink = e.brink.includes(j) ? pc.yellow(" ← on the brink") : "";
    out.push(
      pc.bold(`${cm.factorNames[j]}: ${cm.stateLabels[j][f.state]}`) +
        pc.dim(` (margin ${f.margin ?? "—"}${rival}; balance ${f.balance.join(" / ")})`) +
        brink,
    );
    for (const [label, list] of [
      ["for", f.for],
      ["against", f.against],
    ] as const)
      for (const c of list.slice(0, top)) {
        const src = `${cm.factorShort[c.sourceFactor]}=${cm.stateShort[c.sourceFactor][c.sourceState]}`;
        out.push(
          `   ${label === "for" ? pc.green(`+${c.net}`) : pc.red(String(c.net))} ${pad(src, 18)} ${impactNote(model, c.impacts)}`,
        );
      }
  }
  if (e.flips.length) {
    out.push("", pc.bold("Single judgments that would flip it (smallest change first)"));
    for (const fl of e.flips.slice(0, 8)) {
      const cell = `${cm.factorShort[fl.sourceFactor]}=${cm.stateShort[fl.sourceFactor][fl.sourceState]} → ${cm.factorShort[fl.targetFactor]}=${cm.stateShort[fl.targetFactor][fl.targetState]}`;
      out.push(
        `   ${pad(cell, 34)} ${fl.from} → ${fl.to} ${pc.dim(fl.effect === "makes-inconsistent" ? "breaks it" : "makes it consistent")}`,
      );
    }
  } else if (e.flipNote) out.push("", pc.dim(e.flipNote));
  return out.join("\n");
}

export async function cmdExplain(modelPath: string | undefined, flags: Flags, io: Io): Promise<number> {
  const format = checkFormat(flags.format, ["table", "json"]);
  const o = runOptionsOf(explainOptions, flags);
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const r = explainRun(model, o);
  if (format === "json") io.out(json(r));
  else io.out(renderExplanation(model, cm, r));
  return EXIT_OK;
}

export function renderSensitivity(model: Model, cm: CompiledModel, r: SensitivityRunResult): string {
  const out: string[] = [];
  out.push(
    pc.dim(
      `model ${cm.hash.slice(0, 16)}… · ${r.cellsTested} judgments × ±${r.step} tested (${r.changesTested} changes, ${r.changesClipped} off the scale) · ${Math.round(r.elapsedMs)} ms · method ${r.method}`,
    ),
  );
  out.push(
    "",
    pc.bold(`${r.changes.length} single changes alter the kernel of ${r.kernel.length} scenarios`),
  );
  const byCell = new Map<string, typeof r.changes>();
  for (const c of r.changes) {
    const k = `${c.source},${c.target}`;
    if (!byCell.has(k)) byCell.set(k, []);
    byCell.get(k)!.push(c);
  }
  for (const list of byCell.values()) {
    const c = list[0];
    const cell = `${cm.factorShort[c.sourceFactor]}=${cm.stateShort[c.sourceFactor][c.sourceState]} → ${cm.factorShort[c.targetFactor]}=${cm.stateShort[c.targetFactor][c.targetState]}`;
    const effects = list
      .map(
        (x) =>
          `${x.delta > 0 ? "+" : ""}${x.delta}: ${x.vanish.length ? pc.red(`−${x.vanish.length}`) : ""}${x.appear.length ? pc.green(` +${x.appear.length}`) : ""}`,
      )
      .join("  ");
    out.push(
      `  ${pad(cell, 36)} ${pad(`(${c.from})`, 5)} ${effects}  ${pc.dim(impactNote(model, c.impacts))}`,
    );
  }
  out.push("", pc.bold("How many single changes remove each consistent scenario"));
  r.kernel.forEach((z, i) =>
    out.push(
      `  S${i + 1} ${pad(String(r.fragility[i]), 4, true)}  ${pc.dim(shortScenario(cm, indices(cm, z)))}`,
    ),
  );
  return out.join("\n");
}

export async function cmdSensitivity(modelPath: string | undefined, flags: Flags, io: Io): Promise<number> {
  const format = checkFormat(flags.format, ["table", "json"]);
  const o = {
    ...runOptionsOf(sensitivityOptions, flags),
    workers: flags.workers as number,
    redis: redisOf(flags),
  };
  const { model } = await loadForCommand(modelPath);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const run = startRun("sensitivity", { quiet: flags.quiet || format !== "table" });
  let r: SensitivityRunResult;
  try {
    r = await runStoppable<SensitivityRunResult>("sensitivity", model, o, run);
  } finally {
    run.finish();
  }
  if (format === "json") io.out(json(r));
  else io.out(renderSensitivity(model, cm, r));
  if (run.interrupted() && !r.complete)
    return interruptedExit(
      io,
      `the changes cover the first ${r.cellsTested} judgment cells (complete: false)`,
    );
  return r.complete ? EXIT_OK : EXIT_INVALID;
}

const threads = workersOption(2, "a search still running after 1 s");

export function registerCibCommands({ program, io, run }: CommandContext): void {
  const command = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .argument("[model]", "model file (default: the seed model)");

  example(
    addRunOptions(
      command(
        "scenarios",
        "every internally consistent scenario (CIB kernel), exactly, with interventions and filters",
      ),
      scenariosOptions,
      { short: { maxInconsistency: "T" } },
    )
      .addOption(threads)
      .addOption(redisOption())
      .option("-q, --quiet", "no progress bar")
      .addOption(formatOption(["table", "json", "csv", "sl"]))
      .action((model, opts) => run(() => cmdScenarios(model, opts, io))),
    "muscat scenarios models/oman-2025.yaml --fix talks=breakdown",
  );
  example(
    addRunOptions(
      command(
        "succession",
        "trace a succession path from a scenario, or the basin of every consistent scenario",
      ),
      successionOptions,
    )
      .addOption(workersOption(2, "exact basins of 4 million starts or more"))
      .addOption(redisOption())
      .option("-q, --quiet", "no progress bar")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdSuccession(model, opts, io))),
    "muscat succession models/oman-2025.yaml --rule global --from talks=breakdown\n  muscat succession models/oman-2025.yaml --basins",
  );
  example(
    addRunOptions(
      command(
        "explain",
        "why each factor sits in its state in a scenario, and which single judgment would flip it",
      ),
      explainOptions,
    )
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdExplain(model, opts, io))),
    "muscat explain models/oman-2025.yaml --scenario talks=breakdown,region=multi-front-war",
  );
  example(
    addRunOptions(
      command(
        "sensitivity",
        "which judgments the consistent scenarios hang on: every judgment changed by ±step",
      ),
      sensitivityOptions,
    )
      .addOption(workersOption(2, "the searches and cells still running after 1 s"))
      .addOption(redisOption())
      .option("-q, --quiet", "no progress bar")
      .addOption(formatOption(["table", "json"]))
      .action((model, opts) => run(() => cmdSensitivity(model, opts, io))),
    "muscat sensitivity models/oman-2025.yaml",
  );
}
