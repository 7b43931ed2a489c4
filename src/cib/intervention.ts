// CIB intervention analysis — fixing factors to states.
//
// Method: cib-method.md "Intervention" (after Weimer-Jehle's treatment of interventions in CIB):
// a scenario is consistent under the intervention when it has the fixed states and every
// OTHER factor is at its max; the fixed factors keep acting on the others through their rows
// but are exempt from the consistency condition. The result is compared with the
// unconstrained kernel: which scenarios appear, vanish or persist.
// Extended: tolerance, filters and self-impact options pass through to findKernel.

import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { scenarioKey } from "./core.js";
import {
  type FixedState,
  findKernel,
  type KernelOptions,
  type KernelResult,
  type KernelScenario,
} from "./kernel.js";

export interface InterventionResult {
  kind: "cib.intervention";
  fix: FixedState[];
  /** Kernel under the intervention (fixed factors exempt). */
  intervened: KernelResult;
  /** Unconstrained kernel (same tolerance, filters and options, no intervention). */
  baseline: KernelResult;
  /** In the intervened kernel, not in the baseline. */
  appear: KernelScenario[];
  /** In the baseline, not in the intervened kernel (including those without the fixed states). */
  vanish: KernelScenario[];
  /** In both (scores as under the intervention). */
  persist: KernelScenario[];
  complete: boolean;
}

/** Kernel under an intervention, compared with the unconstrained kernel. */
export function interventionAnalysis(
  model: CompiledModel,
  fix: FixedState[],
  opts: Omit<KernelOptions, "fix"> = {},
): InterventionResult {
  if (fix.length === 0) throw new InputError("intervention: fix at least one factor", { code: "option" });
  const seen = new Set<number>();
  for (const f of fix) {
    if (seen.has(f.factor))
      throw new InputError(`intervention: factor ${f.factor} is fixed twice`, { code: "option" });
    seen.add(f.factor);
  }
  const intervened = findKernel(model, { ...opts, fix });
  const baseline = findKernel(model, opts);
  const baseKeys = new Set(baseline.scenarios.map((s) => scenarioKey(s.states)));
  const intKeys = new Set(intervened.scenarios.map((s) => scenarioKey(s.states)));
  return {
    kind: "cib.intervention",
    fix: fix.map((f) => ({ ...f })),
    intervened,
    baseline,
    appear: intervened.scenarios.filter((s) => !baseKeys.has(scenarioKey(s.states))),
    vanish: baseline.scenarios.filter((s) => !intKeys.has(scenarioKey(s.states))),
    persist: intervened.scenarios.filter((s) => baseKeys.has(scenarioKey(s.states))),
    complete: intervened.complete && baseline.complete,
  };
}
