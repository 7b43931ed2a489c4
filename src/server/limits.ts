// Job limits of the server: how large a model each engine accepts, how long a run may take, and
// how many jobs may wait. The defaults protect a laptop; an analyst with a bigger machine raises
// them when starting the server:
//
//   muscat serve --limit maxScenarios=1e40 --limit runMinutes.scenarios=240 --limit maxQueued=64
//   MUSCAT_LIMITS="maxCells=1e6,runMinutes=120" muscat serve
//
// What is measured, and when:
//   scenarios   the scenario space ∏ states, for the engines that search the kernel (413)
//   cells       the matrix (Σ states)², for every engine that reads the matrix (413)
//   authors     distinct impact authors, for the same engines (413)
//   runMinutes  a run's wall time: at the limit it is stopped like a cancel, and its partial
//               result is kept with the run, which fails naming the limit
//   maxQueued, maxQueuedPerModel  jobs queued or running, in total and per model (429)
// Sizes are checked when a run is submitted, before anything is queued. Light on purpose: the
// CLI parses `--limit` before it loads the server.
import { InputError } from "../errors.js";
import { ENGINE_NAMES, type EngineName } from "../runs/options.js";

export interface JobLimits {
  /** Largest scenario space (∏ states) for the engines that search the kernel. */
  maxScenarios: number;
  /** Largest matrix, (Σ states)² cells. */
  maxCells: number;
  /** Most distinct authors of judgments (each is a matrix for the ensemble engines). */
  maxAuthors: number;
  /** Longest run, in minutes, for every engine unless `runMinutesByEngine` says otherwise. */
  runMinutes: number;
  runMinutesByEngine: Partial<Record<EngineName, number>>;
  /** Most jobs queued or running at once, in total and for one model. */
  maxQueued: number;
  maxQueuedPerModel: number;
}

export const DEFAULT_LIMITS: Readonly<JobLimits> = {
  // An 80-factor binary model (the largest exact kernel reported for ScenarioWizard) is 10^24.
  maxScenarios: 1e30,
  // 500 states in all: 100 factors of 5, past the largest elicited models (20–100 factors).
  maxCells: 250_000,
  maxAuthors: 50,
  runMinutes: 30,
  runMinutesByEngine: {},
  maxQueued: 16,
  maxQueuedPerModel: 4,
};

/** The engines whose work grows with the scenario space (they search the kernel). */
export function searchesKernel(engine: EngineName, options: Record<string, unknown>): boolean {
  if (engine === "succession") return options.basins === true;
  return ["scenarios", "explain", "sensitivity", "stakes", "analyze"].includes(engine);
}

/** Engines that do not read the cross-impact matrix: no size limit applies. */
const MATRIX_FREE: ReadonlySet<EngineName> = new Set(["bargain", "evidence"]);

export interface ModelSize {
  /** log10 of ∏ states. */
  log10Scenarios: number;
  cells: number;
  authors: number;
}

/** A model's size as the limits measure it, from its factors' state counts and judgments. */
export function modelSize(model: {
  factors: { states: unknown[] }[];
  impacts?: { author?: string | null }[];
}): ModelSize {
  let log10Scenarios = 0;
  let states = 0;
  for (const f of model.factors) {
    log10Scenarios += Math.log10(Math.max(1, f.states.length));
    states += f.states.length;
  }
  const authors = new Set((model.impacts ?? []).map((i) => i.author).filter((a) => a)).size;
  return { log10Scenarios, cells: states * states, authors };
}

const fmt = (x: number) => x.toLocaleString("en");
const pow10 = (l: number) => (l < 6 ? fmt(Math.round(10 ** l)) : `10^${l.toFixed(1)}`);

/** The first size limit the run would exceed, as a message saying how to raise it; else undefined. */
export function sizeExceeded(
  engine: EngineName,
  options: Record<string, unknown>,
  size: ModelSize,
  limits: JobLimits,
): { limit: keyof JobLimits; message: string } | undefined {
  if (MATRIX_FREE.has(engine)) return undefined;
  const raise = (name: string, value: string) =>
    `raise it with \`muscat serve --limit ${name}=${value}\` (or MUSCAT_LIMITS)`;
  if (searchesKernel(engine, options) && size.log10Scenarios > Math.log10(limits.maxScenarios))
    return {
      limit: "maxScenarios",
      message: `the model has ${pow10(size.log10Scenarios)} scenarios; ${engine} accepts at most ${pow10(Math.log10(limits.maxScenarios))} on this server: ${raise("maxScenarios", `1e${Math.ceil(size.log10Scenarios)}`)}`,
    };
  if (size.cells > limits.maxCells)
    return {
      limit: "maxCells",
      message: `the model's matrix has ${fmt(size.cells)} cells ((Σ states)²); this server accepts at most ${fmt(limits.maxCells)}: ${raise("maxCells", String(size.cells))}`,
    };
  if (size.authors > limits.maxAuthors)
    return {
      limit: "maxAuthors",
      message: `the model has ${size.authors} authors of judgments; this server accepts at most ${limits.maxAuthors}: ${raise("maxAuthors", String(size.authors))}`,
    };
  return undefined;
}

/** The time limit of one engine's runs, in milliseconds. */
export const runLimitMs = (limits: JobLimits, engine: EngineName): number =>
  (limits.runMinutesByEngine[engine] ?? limits.runMinutes) * 60_000;

const NUMERIC: Record<string, { min: number; max: number; int: boolean }> = {
  maxScenarios: { min: 1, max: Number.MAX_VALUE, int: false },
  maxCells: { min: 1, max: 1e12, int: true },
  maxAuthors: { min: 1, max: 1e6, int: true },
  runMinutes: { min: 0.01, max: 525_600, int: false },
  maxQueued: { min: 1, max: 100_000, int: true },
  maxQueuedPerModel: { min: 1, max: 100_000, int: true },
};

/**
 * Limits from `name=value` settings (the `--limit` flags, then MUSCAT_LIMITS split on commas)
 * over the defaults. A setting that names no limit, or a value out of range, is an InputError
 * naming it.
 */
export function parseLimits(settings: string[], base: JobLimits = DEFAULT_LIMITS): JobLimits {
  const out: JobLimits = { ...base, runMinutesByEngine: { ...base.runMinutesByEngine } };
  for (const raw of settings) {
    const s = raw.trim();
    if (!s) continue;
    const m = /^([A-Za-z.]+)=(.+)$/.exec(s);
    if (!m)
      throw new InputError(`--limit '${s}': expected name=value, e.g. maxCells=1000000`, { code: "usage" });
    const [, name, text] = m;
    const value = Number(text);
    const [key, engine] = name.split(".") as [string, string | undefined];
    const spec = NUMERIC[key];
    if (!spec || (engine !== undefined && key !== "runMinutes"))
      throw new InputError(
        `--limit '${name}' is not a limit; limits are ${Object.keys(NUMERIC).join(", ")} and runMinutes.<engine>`,
        { code: "usage" },
      );
    if (
      !Number.isFinite(value) ||
      value < spec.min ||
      value > spec.max ||
      (spec.int && !Number.isInteger(value))
    )
      throw new InputError(
        `--limit ${name}: '${text}' must be ${spec.int ? "a whole number" : "a number"} from ${spec.min} to ${spec.max}`,
        { code: "usage" },
      );
    if (engine !== undefined) {
      if (!(ENGINE_NAMES as string[]).includes(engine))
        throw new InputError(
          `--limit ${name}: no engine '${engine}'; engines are ${ENGINE_NAMES.join(", ")}`,
          {
            code: "usage",
          },
        );
      out.runMinutesByEngine[engine as EngineName] = value;
    } else (out as unknown as Record<string, number>)[key] = value;
  }
  return out;
}
