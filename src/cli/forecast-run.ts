// The bodies of muscat forecast | score | vintages: questions' probabilities with intervals, drivers and
// indicators; vintages saved as JSON files under the data directory; scores against
// resolutions kept outside the model.
import { existsSync, writeFileSync } from "node:fs";
import pc from "picocolors";
import {
  ForecastError,
  type ForecastResult,
  forecastQuestions,
  listVintages,
  loadVintage,
  makeVintage,
  ResolutionError,
  readResolutions,
  saveVintage,
  scoreChart,
  scoreVintage,
  VintageError,
  type VintageScore,
  vintagesDir,
} from "../forecast/index.js";
import { compileModel } from "../model/compile.js";
import { SpecError } from "../prob/spec.js";
import { resolveDataDir } from "../store/paths.js";
import {
  CliError,
  checkFormat,
  displayPath,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  json,
  loadForCommand,
  pad,
} from "./io.js";
import { startRun } from "./progress.js";

function int(v: string | undefined, name: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${name} must be an integer ≥ ${min}; got '${v}'`, EXIT_USAGE);
  return n;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 && x > 0 ? 1 : 0)}%`;
const pts = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(1)}`;

export function renderForecast(r: ForecastResult): string {
  const out: string[] = [];
  out.push(
    pc.bold(`Forecasts: ${r.model.id}`) +
      pc.dim(
        `  (hash ${r.model.hash.slice(0, 12)}…, asOf ${r.model.asOf}, step ${r.model.step}; ${r.runs} runs, seed ${r.seed}${r.uncertainty ? `, judgment uncertainty: ${r.runsPerMatrix} runs per drawn matrix` : ""})`,
      ),
  );
  if (r.questions.length === 0)
    out.push("", "The model has no questions (add `questions:` to the model file).");
  const idW = Math.max(10, ...r.questions.map((q) => q.id.length)) + 2;
  out.push(
    "",
    pc.dim(
      `  ${pad("question", idW)}${pad("p", 7, true)}  ${pad(r.uncertainty ? "90% judgment" : "", 14)}${pad("MC 95%", 14)}horizon`,
    ),
  );
  for (const q of r.questions) {
    out.push(
      `  ${pad(q.id, idW)}${pad(pc.bold(pct(q.p)), 7, true)}  ${pad(r.uncertainty ? `${pct(q.interval.lo)}–${pct(q.interval.hi)}` : "", 14)}${pad(`${pct(q.mc.lo)}–${pct(q.mc.hi)}`, 14)}${q.mode} ${q.horizon.date} (${q.horizon.steps} steps)`,
    );
    out.push(pc.dim(`    ${q.text}`));
    out.push(pc.dim(`    condition: ${q.condition}${q.given.length ? `; given ${q.given.join(", ")}` : ""}`));
    if (q.drivers?.length) {
      const d = q.drivers
        .slice(0, 3)
        .map((x) =>
          x.kind === "impact"
            ? `${x.from} → ${x.to} ${x.strength}→${x.changedTo} (${pts(x.effect)})`
            : `now ${x.factor}=${x.to} (${pts(x.effect)})`,
        );
      out.push(`    drivers: ${d.join("; ")}${pc.dim(` [judged ${pct(q.judged ?? 0)}]`)}`);
    }
    if (q.indicators?.length)
      out.push(
        `    watch:   ${q.indicators
          .slice(0, 3)
          .map((x) => `${x.factor}=${x.state} → ${pct(x.p)} (${pts(x.shift)})`)
          .join("; ")}`,
      );
  }
  if (r.driverRuns)
    out.push(
      "",
      pc.dim(
        `Drivers: one-at-a-time changes (each judgment ±1, each current state) on the judged matrix, ${r.driverRuns} runs, common random numbers; effects in percentage points. Watch: states that, if observed now, shift the probability most.`,
      ),
    );
  return out.join("\n");
}

export interface ForecastCliOptions {
  format: string;
  runs?: string;
  seed: string;
  driverRuns?: string;
  indicatorRuns?: string;
  top: string;
  drivers?: boolean;
  uncertainty?: boolean;
  question?: string[];
  save?: boolean;
  data?: string;
  quiet?: boolean;
}

export async function cmdForecast(
  modelPath: string | undefined,
  o: ForecastCliOptions,
  io: Io,
): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const { model, path } = await loadForCommand(modelPath);
  if (!model.questions?.length)
    throw new CliError(
      `${displayPath(path)} has no questions to forecast (add \`questions:\`)`,
      EXIT_INVALID,
    );
  const cm = compileModel(model);
  const run = startRun("forecast", { quiet: o.quiet || format === "json" });
  let r: ForecastResult;
  try {
    r = await forecastQuestions(model, cm, {
      runs: int(o.runs, "--runs"),
      seed: int(o.seed, "--seed", 0),
      driverRuns: int(o.driverRuns, "--driver-runs"),
      indicatorRuns: int(o.indicatorRuns, "--indicator-runs"),
      top: int(o.top, "--top"),
      drivers: o.drivers !== false,
      uncertainty: o.uncertainty !== false,
      only: o.question,
      signal: run.signal,
      onProgress: run.onProgress,
    });
  } catch (e) {
    if (e instanceof ForecastError || e instanceof SpecError) throw new CliError(e.message, EXIT_INVALID);
    throw e;
  } finally {
    run.finish();
  }
  let saved: { id: string; path: string } | undefined;
  if (o.save) {
    const v = makeVintage(r, { file: displayPath(path) });
    saved = { id: v.id, path: saveVintage(vintagesDir(resolveDataDir(o.data)), v) };
  }
  if (format === "json") io.out(json(saved ? { ...r, vintage: saved } : r));
  else {
    io.out(renderForecast(r));
    if (saved) io.out(`\nsaved vintage ${pc.bold(saved.id)} (${displayPath(saved.path)})`);
  }
  return EXIT_OK;
}

export function renderScore(s: VintageScore): string {
  const out: string[] = [];
  const m = s.summary;
  out.push(
    pc.bold(`Score of vintage ${s.vintage.id}`) +
      pc.dim(`  (model ${s.vintage.model.id} ${s.vintage.model.hash.slice(0, 12)}…, made ${s.vintage.made})`),
  );
  for (const w of s.warnings) out.push(pc.yellow(`warning: ${w}`));
  for (const x of s.excluded) out.push(pc.yellow(`excluded: ${x.id}: ${x.reason}`));
  out.push(
    "",
    `${m.n} resolved (${m.yes} yes), ${s.unresolved.length} unresolved${s.unresolved.length ? pc.dim(` (${s.unresolved.join(", ")})`) : ""}`,
  );
  if (m.n === 0) return out.join("\n");
  const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
  out.push(
    "",
    `  ${pad("", 22)}${pad("Brier ↓", 10, true)}${pad("log ↑", 10, true)}`,
    `  ${pad("forecasts", 22)}${pad(f3(m.brier), 10, true)}${pad(f3(m.log), 10, true)}`,
    `  ${pad("always 0.5", 22)}${pad(f3(m.baselines.half.brier), 10, true)}${pad(f3(m.baselines.half.log), 10, true)}`,
    `  ${pad(`base rate ${f3(m.baselines.baseRate.p)}`, 22)}${pad(f3(m.baselines.baseRate.brier), 10, true)}${pad(f3(m.baselines.baseRate.log), 10, true)}`,
    `  ${pad("skill vs 0.5", 22)}${pad(f3(m.skill.brierVsHalf), 10, true)}${pad(f3(m.skill.logVsHalf), 10, true)}`,
    `  ${pad("skill vs base rate", 22)}${pad(f3(m.skill.brierVsBaseRate), 10, true)}${pad(f3(m.skill.logVsBaseRate), 10, true)}`,
  );
  if (m.decomposition) {
    const d = m.decomposition;
    out.push(
      "",
      `Murphy decomposition (${d.bins} bins): reliability ${f3(d.reliability)} (0 = calibrated), resolution ${f3(d.resolution)}, uncertainty ${f3(d.uncertainty)}; within-bin ${f3(d.withinBinVariance)} − ${f3(d.withinBinCovariance)}`,
    );
  } else out.push("", pc.dim(`Decomposition: ${m.decompositionNote}`));
  out.push(
    "",
    "Calibration",
    pc.dim(
      `  ${pad("bin", 12)}${pad("n", 5, true)}${pad("forecast", 10, true)}${pad("observed", 10, true)}  95%`,
    ),
  );
  for (const r of m.calibration) {
    if (r.n === 0) continue;
    out.push(
      `  ${pad(`${r.from.toFixed(1)}–${r.to.toFixed(1)}`, 12)}${pad(String(r.n), 5, true)}${pad(f3(r.meanForecast ?? 0), 10, true)}${pad(f3(r.observed ?? 0), 10, true)}  ${f3(r.lo ?? 0)}–${f3(r.hi ?? 1)}`,
    );
  }
  return out.join("\n");
}

export function cmdScore(
  o: {
    vintage: string;
    resolutions: string;
    data?: string;
    format: string;
    chart?: string;
    bins: string;
    force?: boolean;
  },
  io: Io,
): number {
  const format = checkFormat(o.format, ["table", "json"]);
  const bins = int(o.bins, "--bins") as number;
  let s: VintageScore;
  try {
    const v = loadVintage(vintagesDir(resolveDataDir(o.data)), o.vintage);
    s = scoreVintage(v, readResolutions(o.resolutions), { bins });
  } catch (e) {
    if (e instanceof VintageError || e instanceof ResolutionError)
      throw new CliError(e.message, EXIT_INVALID);
    throw e;
  }
  if (o.chart) {
    if (existsSync(o.chart) && !o.force)
      throw new CliError(`${o.chart} exists (use --force to overwrite)`, EXIT_INVALID);
    writeFileSync(o.chart, scoreChart(s.summary, `Reliability: ${s.vintage.id}`));
  }
  io.out(format === "json" ? json(s) : renderScore(s));
  if (o.chart && format !== "json") io.out(pc.dim(`reliability chart: ${o.chart}`));
  return EXIT_OK;
}

export function cmdVintages(o: { data?: string; format: string }, io: Io): number {
  const format = checkFormat(o.format, ["table", "json"]);
  const dir = vintagesDir(resolveDataDir(o.data));
  let list: ReturnType<typeof listVintages>;
  try {
    list = listVintages(dir);
  } catch (e) {
    if (e instanceof VintageError) throw new CliError(e.message, EXIT_INVALID);
    throw e;
  }
  if (format === "json") io.out(json({ dir, vintages: list }));
  else if (list.length === 0) io.out(`no vintages in ${displayPath(dir)} (muscat forecast --save makes one)`);
  else
    for (const v of list)
      io.out(
        `${pad(v.id, 48)} ${v.made}  ${v.model.id} ${v.model.hash.slice(0, 12)}…  ${v.questions} questions, ${v.runs} runs, seed ${v.seed}`,
      );
  return EXIT_OK;
}
