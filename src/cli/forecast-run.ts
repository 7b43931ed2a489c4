// The bodies of muscat forecast | score | vintages: questions' probabilities with intervals,
// drivers and indicators; vintages kept in the store of the data directory (the same store
// `muscat serve` uses, so the app lists and scores them too), exported to and imported from
// JSON files; scores against resolutions kept outside the model (a file, or the resolutions
// recorded in the store). The store (SQLite) and the chart library load only when used.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import pc from "picocolors";
import {
  asOfProblem,
  dayBefore,
  type ForecastResult,
  makeVintage,
  parseVintage,
  type Resolution,
  ResolutionError,
  readResolutions,
  scoreVintage,
  type Vintage,
  VintageError,
  type VintageScore,
  vintageJson,
} from "../forecast/index.js";
import { fixed, percent } from "../format.js";
import { isCalendarDate } from "../model/step.js";
import { forecastRun } from "../runs/forecast.js";
import { forecastOptions } from "../runs/options.js";
import type { StoredVintageSummary } from "../store/forecasts.js";
import type { Store } from "../store/index.js";
import { resolveDataDir, STORE_FILE } from "../store/paths.js";
import { createExecutor } from "../workers/executor.js";
import { runOptionsOf } from "./command.js";
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
  writeFileAtomic,
} from "./io.js";
import { startRun } from "./progress.js";
import { redisOf } from "./queue.js";

function int(v: string | undefined, name: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${name} must be an integer ≥ ${min}; got '${v}'`, EXIT_USAGE);
  return n;
}

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
      `  ${pad(q.id, idW)}${pad(pc.bold(percent(q.p)), 7, true)}  ${pad(r.uncertainty ? `${percent(q.interval.lo)}–${percent(q.interval.hi)}` : "", 14)}${pad(`${percent(q.mc.lo)}–${percent(q.mc.hi)}`, 14)}${q.mode} ${q.horizon.date} (${q.horizon.steps} steps)`,
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
      out.push(`    drivers: ${d.join("; ")}${pc.dim(` [judged ${percent(q.judged ?? 0)}]`)}`);
    }
    if (q.indicators?.length)
      out.push(
        `    watch:   ${q.indicators
          .slice(0, 3)
          .map((x) => `${x.factor}=${x.state} → ${percent(x.p)} (${pts(x.shift)})`)
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

/** The as-of line under a forecast: which date it is issued as of, and what that decides. */
export function asOfText(asOf: string, r: Pick<ForecastResult, "model" | "observations">): string {
  const n = r.observations?.used.length ?? 0;
  const uses = n
    ? `the model and the ${n === 1 ? "observation" : `${n} observations`} dated before ${asOf}`
    : `the model${asOf > r.model.asOf ? ` (no observation dated before ${asOf})` : ""}`;
  return `issued as of ${asOf}${asOf === r.model.asOf ? ", the model's asOf" : ` (the model's asOf is ${r.model.asOf})`}: it uses what was known before that date, ${uses}; scoring counts resolutions dated before ${asOf} as known`;
}

export type ForecastCliOptions = Record<string, unknown> & {
  format: string;
  asOf?: string;
  save?: boolean;
  data?: string;
  quiet?: boolean;
};

export async function cmdForecast(
  modelPath: string | undefined,
  o: ForecastCliOptions,
  io: Io,
): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const options = runOptionsOf(forecastOptions, o);
  if (o.asOf !== undefined && !isCalendarDate(o.asOf))
    throw new CliError(`--as-of must be a real date YYYY-MM-DD; got '${o.asOf}'`, EXIT_USAGE);
  const { model, path } = await loadForCommand(modelPath);
  if (!model.questions?.length)
    throw new CliError(
      `${displayPath(path)} has no questions to forecast (add \`questions:\`)`,
      EXIT_INVALID,
    );
  // A forecast issued as of a date (--as-of, or saved as a vintage: as of the model's asOf by
  // default) uses only what was known before that date: the observations dated before it.
  // Otherwise the engine's default stands (every observation in the model).
  const issued = o.asOf !== undefined || o.save === true;
  const asOf = o.asOf ?? model.asOf;
  const early = asOfProblem(asOf, model.asOf);
  if (early) throw new CliError(`--as-of: ${early.message}`, EXIT_INVALID);
  if (issued) {
    if (options.observedUntil !== undefined && options.observedUntil >= asOf)
      throw new CliError(
        `--observed-until ${options.observedUntil} is on or after the as-of date ${asOf}: a forecast issued as of ${asOf} uses only the observations dated before it (--observed-until ${dayBefore(asOf)} at the latest, or a later --as-of)`,
        EXIT_INVALID,
      );
    options.observedUntil ??= dayBefore(asOf);
  }
  const run = startRun("forecast", { quiet: o.quiet || format === "json" });
  let r: ForecastResult;
  const pool = await createExecutor({
    redis: redisOf(o),
    threads: Number(o.workers ?? 0),
    signal: run.signal,
  });
  try {
    r = await forecastRun(model, options, { signal: run.signal, onProgress: run.onProgress, pool });
  } finally {
    run.finish();
    await pool?.close();
  }
  let saved: (StoredVintageSummary & { store: string; modelStored: boolean }) | undefined;
  if (o.save) {
    let v: Vintage;
    try {
      v = makeVintage(r, { file: displayPath(path), asOf, model });
    } catch (e) {
      return userError(e);
    }
    saved = await withStore(o.data, true, async (store) => {
      const { modelStored, saveVintage } = await import("../store/forecasts.js");
      const s = await saveVintage(store, v);
      return { ...s, store: store.file, modelStored: await modelStored(store, s.modelId) };
    });
  }
  // JSON: the engine's result as the API's run gives it, plus what this command adds: the as-of
  // date when one is asked for, the vintage (with its as-of date) when saved.
  if (format === "json")
    io.out(json({ ...r, ...(o.asOf !== undefined ? { asOf } : {}), ...(saved ? { vintage: saved } : {}) }));
  else {
    io.out(renderForecast(r));
    if (issued) io.out(pc.dim(`\n${asOfText(asOf, r)}`));
    if (saved) {
      io.out(`\nsaved vintage ${pc.bold(saved.id)} in ${displayPath(saved.store)}`);
      io.out(
        pc.dim(
          saved.modelVersion !== null
            ? `made from model '${saved.modelId}' version ${saved.modelVersion} of the store`
            : saved.modelStored
              ? `no version of model '${saved.modelId}' in the store has this content (the vintage keeps its hash)`
              : `model '${saved.modelId}' is not in this store: the app lists the vintage once a model with this id is added`,
        ),
      );
    }
  }
  return EXIT_OK;
}

// ---- the store -------------------------------------------------------------------------------

/** Maps the store's and the vintages' user errors to exit 1. */
function userError(e: unknown): never {
  if (e instanceof VintageError || e instanceof ResolutionError) throw new CliError(e.message, EXIT_INVALID);
  if (e instanceof Error && e.name === "StoreError") throw new CliError(e.message, EXIT_INVALID);
  throw e;
}

/**
 * Runs `f` with the store of the data directory (--data, else $MUSCAT_DATA, else ./data), opened
 * (and migrated) and closed around it. With `create` false, `f` gets undefined when there is no
 * store yet (nothing is created by a command that only reads).
 */
async function withStore<T>(
  dataFlag: string | undefined,
  create: true,
  f: (store: Store) => Promise<T>,
): Promise<T>;
async function withStore<T>(
  dataFlag: string | undefined,
  create: false,
  f: (store: Store | undefined) => Promise<T>,
): Promise<T>;
async function withStore<T>(
  dataFlag: string | undefined,
  create: boolean,
  f: (store: Store) => Promise<T>,
): Promise<T> {
  const { openStore } = await import("../store/index.js");
  let store: Store | undefined;
  try {
    store = await openStore(resolveDataDir(dataFlag), { create });
  } catch (e) {
    return userError(e);
  }
  try {
    return await f(store as Store);
  } catch (e) {
    return userError(e);
  } finally {
    await store?.close();
  }
}

/** The vintage files earlier versions of muscat kept in <data>/vintages (none: []). */
function legacyVintageFiles(dataDir: string): { dir: string; files: string[] } {
  const dir = join(dataDir, "vintages");
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    // no such folder
  }
  return { dir, files };
}

/** A note about vintage files left by earlier versions, if there are any. */
function legacyNote(dataDir: string): string | undefined {
  const { dir, files } = legacyVintageFiles(dataDir);
  if (files.length === 0) return undefined;
  return `${files.length} vintage file${files.length === 1 ? "" : "s"} in ${displayPath(dir)} (kept as files by earlier versions of muscat) ${files.length === 1 ? "is" : "are"} not read any more: import ${files.length === 1 ? "it" : "them"} into the store with \`muscat vintages import ${displayPath(dir)}\``;
}

export function renderScore(s: VintageScore): string {
  const out: string[] = [];
  const m = s.summary;
  out.push(
    pc.bold(`Score of vintage ${s.vintage.id}`) +
      pc.dim(`  (model ${s.vintage.model.id} ${s.vintage.model.hash.slice(0, 12)}…, made ${s.vintage.made})`),
    `scored ${s.asOf.note}`,
  );
  for (const w of s.warnings) out.push(pc.yellow(`warning: ${w}`));
  for (const x of s.excluded) out.push(pc.yellow(`excluded: ${x.id}: ${x.reason}`));
  if (s.excluded.length === 0) out.push(pc.dim("excluded: none"));
  out.push(
    "",
    `${m.n} resolved (${m.yes} yes), ${s.unresolved.length} unresolved${s.unresolved.length ? pc.dim(` (${s.unresolved.join(", ")})`) : ""}`,
  );
  if (m.n === 0) return out.join("\n");
  out.push(
    "",
    `  ${pad("", 22)}${pad("Brier ↓", 10, true)}${pad("log ↑", 10, true)}`,
    `  ${pad("forecasts", 22)}${pad(fixed(m.brier), 10, true)}${pad(fixed(m.log), 10, true)}`,
    `  ${pad("always 0.5", 22)}${pad(fixed(m.baselines.half.brier), 10, true)}${pad(fixed(m.baselines.half.log), 10, true)}`,
    `  ${pad(`base rate ${fixed(m.baselines.baseRate.p)}`, 22)}${pad(fixed(m.baselines.baseRate.brier), 10, true)}${pad(fixed(m.baselines.baseRate.log), 10, true)}`,
    `  ${pad("skill vs 0.5", 22)}${pad(fixed(m.skill.brierVsHalf), 10, true)}${pad(fixed(m.skill.logVsHalf), 10, true)}`,
    `  ${pad("skill vs base rate", 22)}${pad(fixed(m.skill.brierVsBaseRate), 10, true)}${pad(fixed(m.skill.logVsBaseRate), 10, true)}`,
  );
  if (m.decomposition) {
    const d = m.decomposition;
    out.push(
      "",
      `Murphy decomposition (${d.bins} bins): reliability ${fixed(d.reliability)} (0 = calibrated), resolution ${fixed(d.resolution)}, uncertainty ${fixed(d.uncertainty)}; within-bin ${fixed(d.withinBinVariance)} − ${fixed(d.withinBinCovariance)}`,
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
      `  ${pad(`${r.from.toFixed(1)}–${r.to.toFixed(1)}`, 12)}${pad(String(r.n), 5, true)}${pad(fixed(r.meanForecast ?? 0), 10, true)}${pad(fixed(r.observed ?? 0), 10, true)}  ${fixed(r.lo ?? 0)}–${fixed(r.hi ?? 1)}`,
    );
  }
  return out.join("\n");
}

export interface ScoreCliOptions {
  vintage: string;
  resolutions?: string;
  data?: string;
  format: string;
  chart?: string;
  bins: string;
  force?: boolean;
}

export async function cmdScore(o: ScoreCliOptions, io: Io): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const bins = int(o.bins, "--bins") as number;
  if (o.chart && existsSync(o.chart) && !o.force)
    throw new CliError(`${o.chart} exists (use --force to overwrite)`, EXIT_INVALID);
  const dataDir = resolveDataDir(o.data);
  const fromFile = o.vintage.endsWith(".json") && existsSync(o.vintage);
  let fileVintage: Vintage | undefined;
  let fileResolutions: Resolution[] | undefined;
  try {
    if (o.resolutions) fileResolutions = readResolutions(o.resolutions);
    if (fromFile) fileVintage = parseVintage(readFileSync(o.vintage, "utf8"), o.vintage);
  } catch (e) {
    return userError(e);
  }
  const { vintage, resolutions } =
    fileVintage && fileResolutions
      ? { vintage: fileVintage, resolutions: fileResolutions }
      : await withStore(o.data, false, async (store) => {
          const note = legacyNote(dataDir);
          if (!store)
            throw new CliError(
              fileVintage
                ? `--resolutions is needed: there is no store in ${displayPath(dataDir)} to take the resolutions from`
                : `no store in ${displayPath(dataDir)}, so no vintage '${o.vintage}' (save one with muscat forecast --save)${note ? `\n${note}` : ""}`,
              EXIT_INVALID,
            );
          const { findStoredVintage, getResolutions } = await import("../store/forecasts.js");
          let v = fileVintage;
          if (!v)
            try {
              v = (await findStoredVintage(store, o.vintage)).vintage;
            } catch (e) {
              if (e instanceof VintageError && note)
                throw new CliError(`${e.message}\n${note}`, EXIT_INVALID);
              throw e;
            }
          const recorded = fileResolutions
            ? undefined
            : (await getResolutions(store, v.model.id)).map(({ recordedAt: _r, ...r }) => r);
          return { vintage: v, resolutions: fileResolutions ?? recorded ?? [] };
        });
  let s: VintageScore;
  try {
    s = scoreVintage(vintage, resolutions, { bins });
  } catch (e) {
    return userError(e);
  }
  if (o.chart) {
    const { scoreChart } = await import("../report/charts.js");
    writeFileAtomic(o.chart, scoreChart(s.summary, `Reliability: ${s.vintage.id}`));
  }
  io.out(format === "json" ? json(s) : renderScore(s));
  if (format !== "json") {
    if (!o.resolutions)
      io.out(pc.dim(`resolutions: those recorded in the store for model '${vintage.model.id}'`));
    if (o.chart) io.out(pc.dim(`reliability chart: ${o.chart}`));
  }
  return EXIT_OK;
}

export async function cmdVintagesList(
  o: { data?: string; model?: string; format: string },
  io: Io,
): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const dataDir = resolveDataDir(o.data);
  const list = await withStore(o.data, false, async (store) => {
    if (!store) return [];
    const { listStoredVintages } = await import("../store/forecasts.js");
    return listStoredVintages(store, o.model);
  });
  const note = legacyNote(dataDir);
  const file = join(dataDir, STORE_FILE);
  if (format === "json") io.out(json({ store: file, vintages: list }));
  else if (list.length === 0)
    io.out(
      `no vintages${o.model ? ` of model '${o.model}'` : ""} in ${displayPath(file)} (muscat forecast --save makes one)`,
    );
  else
    for (const v of list)
      io.out(
        `${pad(v.id, 48)} as of ${v.asOf}${v.asOfFrom === "model" ? " (its model's asOf)" : ""}  made ${v.made}  ${v.modelId} ${v.modelVersion === null ? "(no stored version)" : `v${v.modelVersion}`} ${v.modelHash.slice(0, 12)}…  ${v.questions} questions, ${v.runs} runs, seed ${v.seed}`,
      );
  if (note) io.err(pc.yellow(`note: ${note}`));
  return EXIT_OK;
}

export async function cmdVintagesExport(
  ref: string,
  o: { data?: string; out?: string; force?: boolean },
  io: Io,
): Promise<number> {
  if (o.out && o.out !== "-" && existsSync(o.out) && !o.force)
    throw new CliError(`${o.out} exists (use --force to overwrite)`, EXIT_INVALID);
  const dataDir = resolveDataDir(o.data);
  const v = await withStore(o.data, false, async (store) => {
    if (!store) throw new CliError(`no store in ${displayPath(dataDir)}: nothing to export`, EXIT_INVALID);
    const { findStoredVintage } = await import("../store/forecasts.js");
    return (await findStoredVintage(store, ref)).vintage;
  });
  const text = vintageJson(v);
  if (!o.out || o.out === "-") io.out(text);
  else {
    writeFileAtomic(o.out, text);
    io.err(`exported vintage ${v.id} to ${o.out}`);
  }
  return EXIT_OK;
}

/** The vintage files a path stands for: the file itself, or the .json files in a folder. */
function vintageFiles(path: string): string[] {
  const p = resolve(path);
  if (!existsSync(p)) throw new CliError(`${path}: no such file or folder`, EXIT_INVALID);
  if (statSync(p).isFile()) return [path];
  return readdirSync(p)
    .filter((f) => extname(f).toLowerCase() === ".json")
    .sort()
    .map((f) => join(path, f));
}

export async function cmdVintagesImport(
  paths: string[],
  o: { data?: string; format: string },
  io: Io,
): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const files = paths.flatMap(vintageFiles);
  if (files.length === 0) throw new CliError(`no vintage files (.json) in ${paths.join(", ")}`, EXIT_INVALID);
  // Every file is read and checked before the store is touched; one bad file imports nothing.
  const list: Vintage[] = [];
  const bad: string[] = [];
  const from = new Map<string, string>();
  for (const f of files) {
    try {
      const v = parseVintage(readFileSync(f, "utf8"), f);
      const twice = from.get(v.id);
      if (twice) bad.push(`${f}: vintage ${v.id} is also in ${twice}`);
      else {
        from.set(v.id, f);
        list.push(v);
      }
    } catch (e) {
      if (e instanceof VintageError) bad.push(e.message);
      else if ((e as NodeJS.ErrnoException).code) bad.push(`${f}: cannot read it: ${(e as Error).message}`);
      else throw e;
    }
  }
  if (bad.length)
    throw new CliError(
      `nothing imported: ${bad.length} of ${files.length} file${files.length === 1 ? "" : "s"} ${bad.length === 1 ? "is" : "are"} not a valid vintage\n  ${bad.join("\n  ")}`,
      EXIT_INVALID,
    );
  const { results, file } = await withStore(o.data, true, async (store) => {
    const { importVintages } = await import("../store/forecasts.js");
    return { results: await importVintages(store, list), file: store.file };
  });
  if (format === "json")
    io.out(
      json({
        store: file,
        vintages: results.map((r, i) => ({ file: from.get(list[i].id), status: r.status, ...r.vintage })),
      }),
    );
  else {
    for (const [i, r] of results.entries())
      io.out(
        `${r.status === "added" ? pc.green("imported ") : pc.dim("unchanged")} ${r.vintage.id}  ${pc.dim(
          `(${displayPath(from.get(list[i].id) ?? "")}; model '${r.vintage.modelId}' ${
            r.vintage.modelVersion === null
              ? "no stored version with this content"
              : `version ${r.vintage.modelVersion}`
          })`,
        )}`,
      );
    const added = results.filter((r) => r.status === "added").length;
    io.out(pc.dim(`${added} imported, ${results.length - added} already in ${displayPath(file)}`));
  }
  return EXIT_OK;
}
