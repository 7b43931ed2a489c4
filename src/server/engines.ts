// The engines a run can use, as the HTTP API offers them: for each, a strict zod schema of its
// options (what the CLI's flags say, as JSON) and an adapter that calls the engine's exported
// functions — the same ones the CLI commands call — and returns their result object. No
// analysis happens here: options are translated (ids to indices through the engines' own
// parsers) and results passed through. Adapters run inside a job worker (job-worker.ts), with
// a control that carries progress and cancellation.

import { z } from "zod";
import { forecastModel, MODEL_FORECAST_VERSION } from "../bargain/model.js";
import { InputError } from "../errors.js";
import type { CorpusDocument } from "../evidence/verify.js";
import { verifyEvidence } from "../evidence/verify.js";
import { FORECAST_ENGINE_VERSION, forecastQuestions } from "../forecast/forecast.js";
import { compileModel, parseAssignment } from "../model/compile.js";
import type { Model } from "../model/types.js";
import { ENGINE_VERSION as PROB_VERSION } from "../prob/run.js";
import { simulate } from "../prob/simulate.js";
import { parseCondition } from "../prob/spec.js";
import { stationary } from "../prob/stationary.js";
import { basinsRun, explainRun, sensitivityRun, successionRun } from "../runs/cib.js";
import { CIB_ENGINE_VERSION, scenariosReportAsync } from "../runs/scenarios.js";
import { simulationDistribution, stakesReport, stakesReportAsync } from "../runs/stakes.js";
import { STAKES_VERSION } from "../stakes/index.js";

export const ENGINES = [
  "scenarios",
  "succession",
  "explain",
  "sensitivity",
  "simulate",
  "stationary",
  "stakes",
  "bargain",
  "forecast",
  "evidence",
] as const;
export type EngineName = (typeof ENGINES)[number];

/** What an adapter gets besides the model: progress and cancellation. */
export interface EngineControl {
  signal: AbortSignal;
  /** Polled by synchronous engines; true once a cancel was requested. */
  shouldStop: () => boolean;
  onProgress: (p: { done: number; total?: number; message?: string }) => void;
  /** The corpus (evidence engine only). */
  corpus?: CorpusDocument[];
}

const assignment = z.string().min(1).max(4000).describe("factor=state pairs, comma-separated");
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const selfImpacts = z.boolean().optional().describe("zero the same-factor blocks before scoring");

export const OPTION_SCHEMAS = {
  scenarios: z.strictObject({
    maxInconsistency: z.number().int().min(0).max(100).optional(),
    fix: assignment.optional(),
    require: z.string().min(1).max(4000).optional().describe("factor=state|state,…"),
    forbid: z.string().min(1).max(4000).optional().describe("factor=state|state,…"),
    ignoreSelfImpacts: selfImpacts,
    basins: z.boolean().optional(),
    ensemble: z.boolean().optional(),
    quorum: z.number().int().min(1).max(1000).optional(),
  }),
  succession: z.strictObject({
    rule: z.enum(["global", "local", "sequential"]).optional(),
    from: assignment.optional(),
    basins: z.boolean().optional(),
    method: z.enum(["auto", "exact", "sample"]).optional(),
    samples: z.number().int().min(1).max(10_000_000).optional(),
    seed: seed.optional(),
    ignoreSelfImpacts: selfImpacts,
  }),
  explain: z.strictObject({
    scenario: assignment.optional(),
    maxFlips: z.number().int().min(0).max(1000).optional(),
    ignoreSelfImpacts: selfImpacts,
  }),
  sensitivity: z.strictObject({
    step: z.number().int().min(1).max(10).optional(),
    method: z.enum(["candidates", "rerun"]).optional(),
    includeActiveGroups: z.boolean().optional(),
    ignoreSelfImpacts: selfImpacts,
  }),
  simulate: z.strictObject({
    runs: z.number().int().min(1).max(10_000_000).default(10_000),
    steps: z.number().int().min(1).max(1000).default(12),
    seed: seed.default(1),
    precision: z.number().gt(0).lt(1).optional(),
    beta: z.number().min(0).max(1000).optional(),
    given: assignment.optional(),
    fix: assignment.optional(),
    conditions: z.array(assignment).max(20).optional(),
    uncertainty: z.boolean().optional(),
    runsPerMatrix: z.number().int().min(1).max(1_000_000).optional(),
    noShocks: z.boolean().optional(),
    chunkSize: z.number().int().min(1).max(1_000_000).optional(),
    top: z.number().int().min(1).max(1000).optional(),
  }),
  stationary: z.strictObject({
    method: z.enum(["auto", "exact", "mcmc"]).optional(),
    seed: seed.default(1),
    beta: z.number().min(0).max(1000).optional(),
    fix: assignment.optional(),
    noShocks: z.boolean().optional(),
    maxStates: z.number().int().min(1).max(50_000_000).optional(),
    chains: z.number().int().min(2).max(64).optional(),
    burnIn: z.number().int().min(0).max(10_000_000).optional(),
    samples: z.number().int().min(1).max(100_000_000).optional(),
    top: z.number().int().min(1).max(1000).optional(),
  }),
  stakes: z.strictObject({
    scenario: assignment.optional(),
    levers: z.boolean().optional(),
    /** Expectations over the simulated scenario after `steps` (default) or uniform over the kernel. */
    distribution: z.enum(["simulate", "kernel"]).default("simulate"),
    steps: z.number().int().min(1).max(1000).default(12),
    runs: z.number().int().min(1).max(1_000_000).default(5000),
    seed: seed.default(1),
  }),
  bargain: z.strictObject({
    issue: z.string().min(1).max(64).optional(),
    methods: z
      .array(z.enum(["cm", "median", "nbs", "eum", "smp"]))
      .min(1)
      .optional(),
    rounds: z.number().int().min(0).max(1000).optional(),
    maxTurns: z.number().int().min(1).max(10_000).optional(),
    runs: z.number().int().min(0).max(100_000).optional(),
    seed: seed.optional(),
  }),
  forecast: z.strictObject({
    runs: z.number().int().min(1).max(1_000_000).optional(),
    seed: seed.default(1),
    driverRuns: z.number().int().min(1).max(1_000_000).optional(),
    indicatorRuns: z.number().int().min(1).max(1_000_000).optional(),
    top: z.number().int().min(1).max(100).optional(),
    drivers: z.boolean().optional(),
    uncertainty: z.boolean().optional(),
    questions: z.array(z.string().min(1).max(64)).max(200).optional(),
  }),
  evidence: z.strictObject({}),
} satisfies Record<EngineName, z.ZodType>;

/** Engines whose code has not landed in this build: a run request is refused with a reason. */
export const UNAVAILABLE: Partial<Record<EngineName, string>> = {};

export function engineVersion(engine: EngineName): string {
  switch (engine) {
    case "scenarios":
    case "succession":
    case "explain":
    case "sensitivity":
      return CIB_ENGINE_VERSION;
    case "simulate":
    case "stationary":
      return `prob/${PROB_VERSION}`;
    case "stakes":
      return STAKES_VERSION;
    case "bargain":
      return MODEL_FORECAST_VERSION;
    case "evidence":
      return "evidence-verify/1";
    case "forecast":
      return `forecast/${FORECAST_ENGINE_VERSION}`;
  }
}

/** The seed a run uses (recorded with it), or null for deterministic engines without one. */
export function seedOf(engine: EngineName, options: Record<string, unknown>): number | null {
  if (engine === "stakes" && options.distribution !== "kernel") return (options.seed as number) ?? 1;
  if (engine === "simulate" || engine === "stationary" || engine === "forecast")
    return (options.seed as number) ?? 1;
  if (engine === "succession" && options.basins) return (options.seed as number) ?? 1;
  if (engine === "bargain" && options.runs) return (options.seed as number) ?? 1;
  return null;
}

/** A user error in a run's options (an unknown factor, a missing state): the run fails with it. */
export class EngineInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "EngineInputError";
  }
}

const userError = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    // An engine's user error is the request's fault; anything else is a bug and stays one.
    if (e instanceof InputError && !(e instanceof EngineInputError)) throw new EngineInputError(e.message);
    throw e;
  }
};

// biome-ignore lint/suspicious/noExplicitAny: options are validated by OPTION_SCHEMAS first
type Opts = any;

/** Runs one engine on a model with validated options; returns its result object. */
export async function runEngine(
  engine: EngineName,
  model: Model,
  o: Opts,
  ctl: EngineControl,
): Promise<unknown> {
  const progress = (p: { done: number; total?: number }) => ctl.onProgress({ done: p.done, total: p.total });
  switch (engine) {
    case "scenarios":
      // The schema's fields are the run's options: passed as they are.
      return scenariosReportAsync(model, o, { signal: ctl.signal, onProgress: progress });
    case "succession":
      return o.basins
        ? basinsRun(model, o, { signal: ctl.signal, shouldStop: ctl.shouldStop, onProgress: progress })
        : successionRun(model, o);
    case "explain":
      return explainRun(model, o);
    case "sensitivity":
      return sensitivityRun(model, o, {
        signal: ctl.signal,
        shouldStop: ctl.shouldStop,
        onProgress: progress,
      });
    case "simulate": {
      const cm = compileModel(model);
      const given = o.given ? userError(() => parseAssignment(cm, o.given)) : undefined;
      const fix = o.fix ? userError(() => parseAssignment(cm, o.fix)) : undefined;
      const conditions = (o.conditions ?? []).map((c: string) => userError(() => parseCondition(cm, c)));
      const { result } = await userErrorAsync(() =>
        simulate(
          cm,
          {
            runs: o.runs,
            steps: o.steps,
            seed: o.seed,
            precision: o.precision,
            beta: o.beta,
            given,
            fix,
            conditions,
            uncertainty: o.uncertainty,
            runsPerMatrix: o.runsPerMatrix,
            noShocks: o.noShocks,
            chunkSize: o.chunkSize,
            top: o.top,
            paths: conditions.length > 0,
          },
          { signal: ctl.signal, onProgress: progress },
        ),
      );
      return result;
    }
    case "stationary": {
      const cm = compileModel(model);
      const fix = o.fix ? userError(() => parseAssignment(cm, o.fix)) : undefined;
      return userError(() =>
        stationary(cm, {
          method: o.method,
          seed: o.seed,
          beta: o.beta,
          fix,
          noShocks: o.noShocks,
          maxStates: o.maxStates,
          chains: o.chains,
          burnIn: o.burnIn,
          samples: o.samples,
          top: o.top,
          signal: ctl.signal,
          onProgress: progress,
        }),
      );
    }
    case "stakes": {
      const cm = compileModel(model);
      if (o.distribution === "kernel")
        return userError(() => stakesReport(model, cm, { scenario: o.scenario, levers: o.levers !== false }));
      return userErrorAsync(() =>
        stakesReportAsync(model, cm, {
          scenario: o.scenario,
          levers: o.levers !== false,
          provider: simulationDistribution({ steps: o.steps, runs: o.runs, seed: o.seed }),
        }),
      );
    }
    case "bargain": {
      if (model.issues.length === 0) throw new EngineInputError("the model has no bargaining issues");
      const cm = compileModel(model);
      return userError(() =>
        forecastModel(model, cm.hash, {
          issue: o.issue,
          methods: o.methods,
          rounds: o.rounds,
          maxTurns: o.maxTurns,
          runs: o.runs,
          seed: o.seed,
        }),
      );
    }
    case "evidence": {
      const cm = compileModel(model);
      return { model: cm.hash, ...verifyEvidence(model, ctl.corpus ?? []) };
    }
    case "forecast": {
      if (!model.questions?.length) throw new EngineInputError("the model has no questions to forecast");
      const cm = compileModel(model);
      return userErrorAsync(() =>
        forecastQuestions(model, cm, {
          runs: o.runs,
          seed: o.seed,
          driverRuns: o.driverRuns,
          indicatorRuns: o.indicatorRuns,
          top: o.top,
          drivers: o.drivers,
          uncertainty: o.uncertainty,
          only: o.questions,
          signal: ctl.signal,
          onProgress: progress,
        }),
      );
    }
  }
}

async function userErrorAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof InputError && !(e instanceof EngineInputError)) throw new EngineInputError(e.message);
    throw e;
  }
}
