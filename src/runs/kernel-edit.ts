// The instant loop of model editing: the kernel of an edited model, labelled against a
// reference kernel (the saved version's, so ids stay put while the analyst types) and compared
// with the kernel shown before the edit: which scenarios appeared, which vanished, and for each
// new one the factors whose states differ from the nearest scenario before it (Hamming
// distance; the first such on a tie). It runs in the app's web worker as well as in Node: it
// imports no Node module and no worker pool.
import { findKernel } from "../cib/kernel.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import { parseModelText } from "../model/load.js";
import type { Model, Problem } from "../model/types.js";
import { namedPatterns, type ScenarioRecord, scenarioJson, scenarioLabels } from "./scenarios.js";

/** A scenario as factor id → state id. */
type States = Record<string, string>;

export interface KernelEdit {
  hash: string;
  /** The consistent scenarios of the edited model (ids against the reference). */
  scenarios: ScenarioRecord[];
  count: string;
  complete: boolean;
  /** Against the kernel shown before the edit. */
  appear: string[];
  vanish: ScenarioRecord[];
  /** For each scenario that appeared: the nearest one before it and the factors that differ. */
  changedFrom: { id: string; from: string; factors: string[] }[];
  problems: Problem[];
  elapsedMs: number;
}

export type KernelEditResult = KernelEdit | { hash: null; problems: Problem[] };

/** The states of a record as indices of the compiled model; undefined if one is unknown. */
function indices(cm: CompiledModel, rec: States): number[] | undefined {
  const z = cm.factorIds.map((f, j) => cm.stateIds[j].indexOf(rec[f]));
  return z.every((k) => k >= 0) ? z : undefined;
}

const key = (z: ArrayLike<number>) => Array.from(z).join(",");

/**
 * Parses model text, searches its kernel (stopping after `maxMs` of search, then reported
 * incomplete) and compares it with `previous`, labelling against `reference`. Scenarios of
 * either that no longer fit the model (a state renamed or removed) are left out.
 */
export function kernelEdit(
  text: string,
  reference: States[],
  previous: ScenarioRecord[],
  opts: { maxMs?: number } = {},
): KernelEditResult {
  const t0 = performance.now();
  const parsed = parseModelText(text);
  if (!parsed.model) return { hash: null, problems: parsed.problems };
  return kernelOfModel(parsed.model, reference, previous, { ...opts, problems: parsed.problems, t0 });
}

/**
 * kernelEdit of a model already parsed and validated (the app parses once, on its own thread,
 * and sends the model here): compile, search, label and compare.
 */
export function kernelOfModel(
  model: Model,
  reference: States[],
  previous: ScenarioRecord[],
  opts: { maxMs?: number; problems?: Problem[]; t0?: number } = {},
): KernelEdit {
  const t0 = opts.t0 ?? performance.now();
  const cm = compileModel(model);
  const deadline = performance.now() + (opts.maxMs ?? 5000);
  const kernel = findKernel(cm, { shouldStop: () => performance.now() > deadline });
  // No reference that fits this model's factors and states: the kernel itself (S1… in its own
  // order).
  const fitting = reference.map((r) => indices(cm, r)).filter((z): z is number[] => !!z);
  const ref = fitting.length ? fitting : kernel.scenarios.map((s) => s.states);
  const before = previous.map((p) => ({ p, z: indices(cm, p.states) })).filter((x) => x.z) as {
    p: ScenarioRecord;
    z: number[];
  }[];
  const label = scenarioLabels(
    cm,
    ref,
    [...kernel.scenarios.map((s) => s.states), ...before.map((b) => b.z)],
    namedPatterns(model, cm),
  );
  const scenarios = kernel.scenarios.map((s) => scenarioJson(cm, s, label(s.states)));
  const beforeKeys = new Set(before.map((b) => key(b.z)));
  const nowKeys = new Set(kernel.scenarios.map((s) => key(s.states)));
  const appeared = kernel.scenarios.filter((s) => !beforeKeys.has(key(s.states)));
  const changedFrom = appeared.flatMap((s) => {
    let best: { p: ScenarioRecord; z: number[] } | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const b of before) {
      let d = 0;
      for (let j = 0; j < cm.nFactors; j++) if (b.z[j] !== s.states[j]) d++;
      if (d < bestD) {
        bestD = d;
        best = b;
      }
    }
    if (!best) return [];
    const b = best;
    return [
      {
        id: label(s.states).id,
        from: label(b.z).id,
        factors: cm.factorIds.filter((_, j) => b.z[j] !== s.states[j]),
      },
    ];
  });
  return {
    hash: cm.hash,
    scenarios,
    count: kernel.count,
    complete: kernel.complete,
    appear: appeared.map((s) => label(s.states).id),
    vanish: before.filter((b) => !nowKeys.has(key(b.z))).map((b) => ({ ...b.p, ...label(b.z) })),
    changedFrom,
    problems: opts.problems ?? [],
    elapsedMs: Math.round((performance.now() - t0) * 100) / 100,
  };
}
