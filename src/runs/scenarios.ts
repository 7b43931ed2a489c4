// The CIB engine's scenarios run: the exact kernel search with its options (tolerance,
// intervention, filters, basins, ensemble), checked here once for every adapter, and its
// versioned, JSON-ready result. The CLI, the server, the report and the app all call this; they
// only parse their own input into ScenariosOptions and render the ScenariosReport.

import { type BasinResult, successionBasins } from "../cib/basins.js";
import { ensembleAnalysis, ensembleMatrices } from "../cib/ensemble.js";
import { interventionAnalysis } from "../cib/intervention.js";
import {
  findKernel,
  type KernelOptions,
  type KernelResult,
  type KernelScenario,
  type StateFilter,
} from "../cib/kernel.js";
import { analystName, type NamedPattern, scenarioName } from "../cib/labels.js";
import { InputError } from "../errors.js";
import { compileModel, parseAssignment } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import type { RunControl } from "./control.js";

export type { RunControl } from "./control.js";

// 1.1.0: scenarios carry ids and names; explain no longer proposes same-factor flips.
export const CIB_ENGINE_VERSION = "cib/1.1.0";

/** A bad option value: code "option", with the option's name as the path. */
export function optionError(path: string, message: string): InputError {
  return new InputError(message, { code: "option", path });
}

/**
 * Runs f; a user error it throws is given `path` (the option it came from), and `code` if one
 * is given (the probability runs report a bad id in an option as an option error, a usage
 * error to the CLI). Bugs pass through.
 */
export function at<T>(path: string, f: () => T, code?: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && e.path === undefined)
      throw new InputError(e.message, { code: code ?? e.code, path });
    throw e;
  }
}

/** `f=s|t,g=u` → filters (one per factor, listing allowed or forbidden states). */
export function parseFilters(cm: CompiledModel, text: string | undefined): StateFilter[] {
  if (!text) return [];
  const byFactor = new Map<number, Set<number>>();
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m)
      throw new InputError(`'${part}' is not factor=state (or factor=state|state)`, { code: "state-ref" });
    for (const st of m[2].split("|")) {
      const a = parseAssignment(cm, `${m[1]}=${st}`);
      const [[f, k]] = [...a];
      if (!byFactor.has(f)) byFactor.set(f, new Set());
      byFactor.get(f)!.add(k);
    }
  }
  return [...byFactor].map(([factor, states]) => ({ factor, states: [...states].sort((a, b) => a - b) }));
}

export function statesRecord(cm: CompiledModel, z: ArrayLike<number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let j = 0; j < cm.nFactors; j++) out[cm.factorIds[j]] = cm.stateIds[j][z[j]];
  return out;
}

/** One scenario as a run reports it: its id and name, its states and its scores. */
export interface ScenarioRecord {
  /**
   * "S1", "S2", … in the order of the reference kernel (the model as it is when the run
   * compares, the intervention's baseline, or else this run's kernel); "N1", "N2", … for a
   * scenario not in it, in the order met.
   */
  id: string;
  /**
   * The analyst's name for it (the model's `scenarios`), else the states that set it apart
   * from the other scenarios (src/cib/labels.ts).
   */
  name: string;
  /** True when `name` is the analyst's. */
  named?: boolean;
  states: Record<string, string>;
  inconsistency: number;
  consistencyValue: number;
  tis: number;
  /** Share of all starts that global succession leads to it (with `basins`). */
  basinWeight?: number;
}

/** A scenario's id and name. */
export interface ScenarioLabel {
  id: string;
  name: string;
  /** The name is the analyst's (the model's `scenarios`), not the distinguishing states. */
  named?: boolean;
}

/** The model's named scenarios as indices of the compiled model (unknown states left out). */
export function namedPatterns(model: Model, cm: CompiledModel): NamedPattern[] {
  return (model.scenarios ?? []).flatMap((s) => {
    const states = s.states.map((r): [number, number] => {
      const f = cm.factorIds.indexOf(r.factor);
      return [f, f < 0 ? -1 : cm.stateIds[f].indexOf(r.state)];
    });
    return states.every(([f, k]) => f >= 0 && k >= 0) ? [{ name: s.name, states }] : [];
  });
}

/**
 * Ids and names for every scenario a report shows. The reference scenarios are S1…Sn (from
 * S(firstRank + 1) on for a page of the listing), named among themselves; any other is N1, N2…
 * in the order given, named among the reference and the other new ones, so that a scenario
 * keeps its id and name when a what-if adds scenarios.
 */
export function scenarioLabels(
  cm: CompiledModel,
  reference: ArrayLike<number>[],
  others: ArrayLike<number>[] = [],
  named: NamedPattern[] = [],
  firstRank = 0,
): (z: ArrayLike<number>) => ScenarioLabel {
  const key = (z: ArrayLike<number>) => Array.from(z).join(",");
  const labels = new Map<string, ScenarioLabel>();
  reference.forEach((z, i) =>
    labels.set(key(z), { id: `S${firstRank + i + 1}`, name: scenarioName(cm, reference, i) }),
  );
  const fresh: ArrayLike<number>[] = [];
  for (const z of others) if (!labels.has(key(z)) && !fresh.some((f) => key(f) === key(z))) fresh.push(z);
  const all = [...reference, ...fresh];
  fresh.forEach((z, i) =>
    labels.set(key(z), { id: `N${i + 1}`, name: scenarioName(cm, all, reference.length + i) }),
  );
  return (z) => {
    const l = labels.get(key(z));
    if (!l) throw new Error(`scenario ${key(z)} was not given to scenarioLabels`);
    const given = analystName(named, z);
    return given === undefined ? l : { ...l, name: given, named: true };
  };
}

export function scenarioJson(
  cm: CompiledModel,
  s: KernelScenario,
  label: ScenarioLabel,
  basinWeight?: number,
): ScenarioRecord {
  const r: ScenarioRecord = {
    id: label.id,
    name: label.name,
    ...(label.named ? { named: true } : {}),
    states: statesRecord(cm, s.states),
    inconsistency: s.inconsistency,
    consistencyValue: s.cv,
    tis: s.tis,
  };
  if (basinWeight !== undefined) r.basinWeight = basinWeight;
  return r;
}

/** The options of a scenarios run; every one is optional, with the default it names. */
export interface ScenariosOptions {
  /** Largest inconsistency a scenario may have and still count (integer ≥ 0; default 0). */
  maxInconsistency?: number;
  /** An intervention: factor=state pairs held fixed (the kernel before and after is compared). */
  fix?: string;
  /** Filters: factor=state|state pairs a scenario must (require) or must not (forbid) have. */
  require?: string;
  forbid?: string;
  /** Zero the same-factor blocks before scoring (default false). */
  ignoreSelfImpacts?: boolean;
  /** Each scenario's basin weight under global succession (default false). */
  basins?: boolean;
  /** Per-author kernels and their agreement (default false). */
  ensemble?: boolean;
  /** The number of authors in whose kernel a scenario must be (default: a majority). */
  quorum?: number;
  /**
   * Also search the model as it is (tolerance 0, nothing held or filtered, the same scoring) and
   * report what appears, vanishes and persists; ids then follow its order (default false).
   */
  compare?: boolean;
  /** Worker threads for a long kernel search (integer 0–64, default 2; 0 or 1: this thread). */
  workers?: number;
  /** Count the scenarios exactly without listing any (default false). */
  countOnly?: boolean;
  /** A page of the listing order: ranks offset … offset + limit − 1 (either one sets a page). */
  offset?: number;
  limit?: number;
  /** List this many distinct scenarios drawn uniformly from the kernel, with `seed` (default 1). */
  sample?: number;
  seed?: number;
}

export interface ScenariosReport {
  engine: "cib";
  version: string;
  model: string;
  /** False when the run was stopped: the scenarios are those found so far (a subset of the kernel). */
  complete: boolean;
  /** Only when not complete: the share of the search space settled before the stop (0–1). */
  covered?: number;
  space: string;
  searchSpace: string;
  visited: number;
  elapsedMs: number;
  tolerance: number;
  ignoreSelfImpacts: boolean;
  count: string;
  /** How `count` was found (KernelResult.counting): the search itself, or a product of groups. */
  counting: "search" | "product";
  /** What `scenarios` holds (KernelResult.listing): all, none, a page or a sample. */
  listing: KernelResult["listing"];
  groups: { inconsistency: number; count: string }[];
  fix?: Record<string, string>;
  require?: Record<string, string[]>;
  forbid?: Record<string, string[]>;
  scenarios: ScenarioRecord[];
  /** With `fix`: the kernel under the intervention against the same search without it. */
  intervention?: {
    appear: ScenarioRecord[];
    vanish: ScenarioRecord[];
    persist: ScenarioRecord[];
  };
  /**
   * With `compare`: this run's scenarios against the model as it is (tolerance 0, nothing
   * held or filtered): ids of those that appear and persist, and the ones that vanish.
   */
  changes?: {
    count: string;
    appear: string[];
    persist: string[];
    vanish: ScenarioRecord[];
  };
  basins?: { rule: string; estimate: boolean; starts: number; cycleStarts: number; complete: boolean };
  ensemble?: {
    members: string[];
    quorum: number;
    scenarios: {
      states: Record<string, string>;
      share: number;
      members: string[];
      meetsQuorum: boolean;
      inSummedKernel: boolean;
    }[];
  };
}

const filterRecord = (cm: CompiledModel, fs: StateFilter[]) =>
  Object.fromEntries(fs.map((f) => [cm.factorIds[f.factor], f.states.map((k) => cm.stateIds[f.factor][k])]));

/**
 * scenariosReport with the kernel search on `workers` threads (findKernelParallel: a search
 * still running after a second moves to the pool). Interventions search on this thread.
 */
export async function scenariosReportAsync(
  model: Model,
  o: ScenariosOptions,
  run?: RunControl,
): Promise<ScenariosReport> {
  const workers = o.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 0 || workers > 64)
    throw optionError("workers", `must be an integer 0–64; got ${workers}`);
  // A pool in the control (the CLI's queue executor, workers/queue.ts) takes the prefix boxes;
  // it cuts them as `workers` local threads would, so the result is the same.
  const pool = run?.pool;
  if ((workers <= 1 && !pool) || o.fix) return scenariosReport(model, o, run);
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  // Loaded here, not at the top: the worker pool is Node's, and this module runs in the app too.
  const { findKernelParallel } = await import("../cib/parallel.js");
  const kernel = await findKernelParallel(cm, { ...kernelOptions(cm, o, run).kopts, workers, pool });
  // the ensemble's searches (the summed matrix, each member's) on the pool too
  let ensembleFound: Parameters<typeof ensembleAnalysis>[2];
  if (o.ensemble && !o.fix && cm.members.length > 0) {
    const { members, sum } = ensembleMatrices(cm);
    const search = (matrix: Int32Array) =>
      findKernelParallel(cm, {
        tolerance: 0,
        matrix,
        workers,
        pool,
        signal: run?.signal,
        shouldStop: run?.shouldStop,
      });
    const summed = await search(sum);
    const perMember: KernelResult[] = [];
    for (const mem of members) perMember.push(await search(mem.matrix));
    ensembleFound = { summed, perMember };
  }
  return scenariosReport(model, o, run, kernel, ensembleFound);
}

/** A kernel search's progress as the settled share of the space (per mille), when known. */
export function shareProgress(run?: {
  onProgress?: (p: { done: number; total?: number }) => void;
}): ((p: { done: number; total?: number; covered?: number }) => void) | undefined {
  const f = run?.onProgress;
  if (!f) return undefined;
  return (p) => f(p.covered === undefined ? p : { done: Math.round(p.covered * 1000), total: 1000 });
}

/** The kernel search options of `scenarios` (tolerance, intervention, filters), validated. */
function kernelOptions(cm: CompiledModel, o: ScenariosOptions, run?: RunControl) {
  const tolerance = o.maxInconsistency ?? 0;
  if (!Number.isInteger(tolerance) || tolerance < 0)
    throw optionError("maxInconsistency", `must be an integer ≥ 0; got ${tolerance}`);
  const fixMap = o.fix ? at("fix", () => parseAssignment(cm, o.fix!)) : new Map<number, number>();
  const fix = [...fixMap].map(([factor, state]) => ({ factor, state }));
  const require = at("require", () => parseFilters(cm, o.require));
  const forbid = at("forbid", () => parseFilters(cm, o.forbid));
  const listed = [
    o.countOnly && "countOnly",
    (o.offset !== undefined || o.limit !== undefined) && "offset/limit",
    o.sample !== undefined && "sample",
  ].filter(Boolean);
  if (listed.length > 1)
    throw optionError(String(listed[1]).split("/")[0], `cannot go with ${listed[0]}: choose one way to list`);
  const kopts: KernelOptions = {
    tolerance,
    require,
    forbid,
    ...(o.countOnly ? { maxScenarios: 0 } : {}),
    ...(o.offset !== undefined || o.limit !== undefined
      ? { page: { offset: o.offset ?? 0, limit: o.limit ?? 100 } }
      : {}),
    ...(o.sample !== undefined ? { sample: { size: o.sample, seed: o.seed ?? 1 } } : {}),
    signal: run?.signal,
    shouldStop: run?.shouldStop,
    onProgress: shareProgress(run),
  };
  return { tolerance, fix, require, forbid, kopts };
}

/** Runs the kernel search (with intervention, filters, basins, ensemble) for a model. */
export function scenariosReport(
  model: Model,
  o: ScenariosOptions,
  run?: RunControl,
  searched?: KernelResult,
  ensembleFound?: Parameters<typeof ensembleAnalysis>[2],
): ScenariosReport {
  const cm = compileModel(model, { ignoreSelfImpacts: o.ignoreSelfImpacts });
  const { tolerance, fix, require, forbid, kopts } = kernelOptions(cm, o, run);
  const intervened = fix.length ? at("fix", () => interventionAnalysis(cm, fix, kopts)) : undefined;
  const kernel: KernelResult = intervened?.intervened ?? searched ?? findKernel(cm, kopts);
  // The model as it is: this search itself when nothing constrains it.
  const plain = !fix.length && !require.length && !forbid.length && tolerance === 0;
  const asItIs = o.compare
    ? plain
      ? kernel
      : findKernel(cm, { signal: run?.signal, shouldStop: run?.shouldStop, onProgress: shareProgress(run) })
    : undefined;
  const reference = (asItIs ?? intervened?.baseline ?? kernel).scenarios.map((s) => s.states);
  const label = scenarioLabels(
    cm,
    reference,
    [
      ...kernel.scenarios.map((s) => s.states),
      ...(intervened?.baseline.scenarios.map((s) => s.states) ?? []),
    ],
    namedPatterns(model, cm),
    asItIs ? 0 : (kernel.listing.offset ?? 0),
  );
  const record = (s: KernelScenario, basinWeight?: number) =>
    scenarioJson(cm, s, label(s.states), basinWeight);
  const report: ScenariosReport = {
    engine: "cib",
    version: CIB_ENGINE_VERSION,
    model: cm.hash,
    complete: kernel.complete,
    ...(kernel.complete ? {} : { covered: kernel.covered ?? 0 }),
    space: kernel.spaceSize,
    searchSpace: kernel.searchSpaceSize,
    visited: kernel.nodes,
    elapsedMs: Math.round(kernel.elapsedMs * 100) / 100,
    tolerance,
    ignoreSelfImpacts: Boolean(o.ignoreSelfImpacts),
    count: kernel.count,
    counting: kernel.counting,
    listing: kernel.listing,
    groups: kernel.groups,
    scenarios: [],
  };
  if (fix.length)
    report.fix = Object.fromEntries(fix.map((f) => [cm.factorIds[f.factor], cm.stateIds[f.factor][f.state]]));
  if (require.length) report.require = filterRecord(cm, require);
  if (forbid.length) report.forbid = filterRecord(cm, forbid);
  let weights: Map<string, number> | undefined;
  if (o.basins && !fix.length && !require.length && !forbid.length) {
    const b: BasinResult = successionBasins(cm, {
      rule: "global",
      signal: run?.signal,
      shouldStop: run?.shouldStop,
      onProgress: run?.onProgress,
    });
    weights = new Map(b.attractors.map((a) => [a.states.join(","), a.weight]));
    report.basins = {
      rule: b.rule,
      estimate: b.estimate,
      starts: b.starts,
      cycleStarts: b.cycleStarts,
      complete: b.complete,
    };
  }
  report.scenarios = kernel.scenarios.map((s) =>
    record(s, weights ? (weights.get(s.states.join(",")) ?? 0) : undefined),
  );
  if (intervened)
    report.intervention = {
      appear: intervened.appear.map((s) => record(s)),
      vanish: intervened.vanish.map((s) => record(s)),
      persist: intervened.persist.map((s) => record(s)),
    };
  if (asItIs) {
    const here = new Set(kernel.scenarios.map((s) => s.states.join(",")));
    const before = new Set(asItIs.scenarios.map((s) => s.states.join(",")));
    report.changes = {
      count: asItIs.count,
      appear: report.scenarios
        .filter((_, i) => !before.has(kernel.scenarios[i].states.join(",")))
        .map((s) => s.id),
      persist: report.scenarios
        .filter((_, i) => before.has(kernel.scenarios[i].states.join(",")))
        .map((s) => s.id),
      vanish: asItIs.scenarios.filter((s) => !here.has(s.states.join(","))).map((s) => record(s)),
    };
  }
  if (o.ensemble) {
    checkEnsemble(cm, o);
    const quorum = o.quorum;
    const e = ensembleAnalysis(cm, { quorum, tolerance: 0 }, ensembleFound);
    report.ensemble = {
      members: e.memberIds,
      quorum: e.quorum,
      scenarios: e.scenarios.map((s) => ({
        states: statesRecord(cm, s.states),
        share: s.share,
        members: s.members,
        meetsQuorum: s.meetsQuorum,
        inSummedKernel: s.inSummedKernel,
      })),
    };
  }
  return report;
}

/** The ensemble options against the model: authors to form members, a quorum among them. */
export function checkEnsemble(cm: CompiledModel, o: { quorum?: number }): void {
  if (cm.members.length === 0) throw optionError("ensemble", "the model's impacts carry no `author`");
  const quorum = o.quorum;
  if (quorum !== undefined && !(Number.isInteger(quorum) && quorum >= 1 && quorum <= cm.members.length))
    throw optionError("quorum", `must be a number of members, 1–${cm.members.length}; got ${quorum}`);
}

/** A full scenario from `f=s,...`, filling unnamed factors from their `current` state. */
export function scenarioFrom(
  model: Model,
  cm: CompiledModel,
  text: string | undefined,
  what: string,
): number[] {
  const given = text ? at(what, () => parseAssignment(cm, text)) : new Map<number, number>();
  const z: number[] = [];
  const missing: string[] = [];
  model.factors.forEach((f, j) => {
    if (given.has(j)) z.push(given.get(j)!);
    else if (f.current !== undefined) z.push(f.states.findIndex((s) => s.id === f.current));
    else missing.push(f.id);
  });
  if (missing.length)
    throw new InputError(`give a state for ${missing.join(", ")} (they have no current state in the model)`, {
      code: "option",
      path: what,
    });
  return z;
}
