// The engine registry: for each engine, its options (options.ts), its version, the seed a run
// records, and its run function. The server's job worker and the contract tests run an engine
// by looking it up here; the CLI's commands call the same run functions directly.
//
//   runEngine(name, model, options, control)
//     = check options against the engine's spec (InputError with the option's path)
//     → the engine's run → its versioned, JSON-ready result
import { MODEL_FORECAST_VERSION } from "../bargain/model.js";
import { InputError } from "../errors.js";
import type { CorpusDocument } from "../evidence/verify.js";
import { FORECAST_ENGINE_VERSION } from "../forecast/forecast.js";
import type { Model } from "../model/types.js";
import { ENGINE_VERSION as PROB_VERSION } from "../prob/run.js";
import { STAKES_VERSION } from "../stakes/index.js";
import { analysisRun } from "./analysis.js";
import { bargainRun } from "./bargain.js";
import { beliefsRun } from "./beliefs.js";
import { basinsRun, explainRun, sensitivityRun, successionRun } from "./cib.js";
import type { RunControl } from "./control.js";
import { evidenceRun } from "./evidence.js";
import { checkOptions, type OptionSpec, type OptionsOf } from "./fields.js";
import { forecastRun } from "./forecast.js";
import { type EngineName, OPTIONS } from "./options.js";
import { OUTLOOK_VERSION, outlookRun } from "./outlook.js";
import { robustRun, simulateRun, stationaryRun } from "./prob.js";
import { CIB_ENGINE_VERSION, scenariosReportAsync } from "./scenarios.js";
import { stakesRun } from "./stakes.js";

/** What a run gets besides the model and its options. */
export interface RunInputs extends RunControl {
  /** The article corpus (the evidence engine only). */
  corpus?: CorpusDocument[];
}

export interface Engine<S extends OptionSpec> {
  options: S;
  version: string;
  /** The seed a run with these options uses (recorded with it), or null for a deterministic run. */
  seed: (o: OptionsOf<S>) => number | null;
  run: (model: Model, o: OptionsOf<S>, inputs: RunInputs) => unknown | Promise<unknown>;
}

const PROB = `prob/${PROB_VERSION}`;
const seeded = (o: { seed: number }) => o.seed;
const none = () => null;

export const ENGINES: { [K in EngineName]: Engine<(typeof OPTIONS)[K]> } = {
  scenarios: {
    options: OPTIONS.scenarios,
    version: CIB_ENGINE_VERSION,
    seed: (o) => (o.sample !== undefined ? o.seed : null),
    run: (model, o, c) => scenariosReportAsync(model, o, c),
  },
  succession: {
    options: OPTIONS.succession,
    version: CIB_ENGINE_VERSION,
    seed: (o) => (o.basins ? o.seed : null),
    run: (model, o, c) => (o.basins ? basinsRun(model, o, c) : successionRun(model, o)),
  },
  explain: {
    options: OPTIONS.explain,
    version: CIB_ENGINE_VERSION,
    seed: none,
    run: (m, o) => explainRun(m, o),
  },
  sensitivity: {
    options: OPTIONS.sensitivity,
    version: CIB_ENGINE_VERSION,
    seed: none,
    run: (m, o, c) => sensitivityRun(m, o, c),
  },
  simulate: {
    options: OPTIONS.simulate,
    version: PROB,
    seed: seeded,
    run: async (m, o, c) => (await simulateRun(m, o, c)).result,
  },
  beliefs: {
    options: OPTIONS.beliefs,
    version: PROB,
    seed: seeded,
    run: (m, o, c) => beliefsRun(m, o, c),
  },
  stationary: {
    options: OPTIONS.stationary,
    version: PROB,
    seed: seeded,
    run: (m, o, c) => stationaryRun(m, o, c),
  },
  robust: { options: OPTIONS.robust, version: PROB, seed: seeded, run: (m, o, c) => robustRun(m, o, c) },
  stakes: {
    options: OPTIONS.stakes,
    version: STAKES_VERSION,
    seed: (o) => (o.distribution === "kernel" ? null : o.seed),
    run: (m, o, c) => stakesRun(m, o, c),
  },
  bargain: {
    options: OPTIONS.bargain,
    version: MODEL_FORECAST_VERSION,
    seed: (o) => (o.runs > 0 ? o.seed : null),
    run: (m, o, c) => bargainRun(m, o, c),
  },
  forecast: {
    options: OPTIONS.forecast,
    version: `forecast/${FORECAST_ENGINE_VERSION}`,
    seed: seeded,
    run: (m, o, c) => forecastRun(m, o, c),
  },
  outlook: {
    options: OPTIONS.outlook,
    version: `outlook/${OUTLOOK_VERSION}+forecast/${FORECAST_ENGINE_VERSION}`,
    seed: seeded,
    run: (m, o, c) => outlookRun(m, o, c),
  },
  evidence: {
    options: OPTIONS.evidence,
    version: "evidence-verify/1",
    seed: none,
    run: (m, _o, c) => evidenceRun(m, c.corpus ?? []),
  },
  analyze: {
    options: OPTIONS.analyze,
    version: "analysis/1",
    seed: seeded,
    run: (m, o, c) => analysisRun(m, o, c),
  },
};

/** Checks a run's options against its engine's spec; the first problem is thrown with its path. */
export function engineOptions<K extends EngineName>(name: K, input: unknown): OptionsOf<(typeof OPTIONS)[K]> {
  const checked = checkOptions(OPTIONS[name], input);
  if (!checked.ok) {
    const [p] = checked.problems;
    throw new InputError(p.message, { code: "option", path: p.path });
  }
  return checked.value as OptionsOf<(typeof OPTIONS)[K]>;
}

/** Runs one engine on a model: options checked (defaults filled), then the engine's run. */
export async function runEngine(name: EngineName, model: Model, options: unknown, inputs: RunInputs = {}) {
  const engine = ENGINES[name] as Engine<OptionSpec>;
  return engine.run(model, engineOptions(name, options) as never, inputs);
}
