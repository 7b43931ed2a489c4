// CIB succession (dynamics), paths, cycles and basins of attraction.
//
// Method: Weimer-Jehle (2006), TFSC 73:334–361, section on succession; ScenarioWizard's
// global succession with its exact tie rule (a factor whose current state ties for the max
// keeps it, otherwise the lowest-index max wins), which reproduces ScenarioWizard's basin
// weights. Fixed points of every rule are exactly the consistent scenarios.
//
// Rules:
// - global: every factor moves at once to a max-score state (tie rule above);
// - local: only the factor with the largest IC_j moves (ties: the first such factor), to its
//   lowest-index max-score state;
// - sequential: one "sweep" visits the factors in a fixed order (default 0..N−1); each factor
//   moves to a max-score state (tie rule above) given the scenario as already updated in this
//   sweep (θ is re-scored after each move). One sweep is one succession step; a fixed point
//   is a sweep with no change.
// Extended beyond the reference: local and sequential rules, cycle reports (distinct scenarios
// and period). Basins of attraction are in basins.ts.

import type { CompiledModel } from "../model/compiled.js";
import { balanceInto, type CibOptions, checkScenario, type Prepared, prepare, scenarioKey } from "./core.js";

export type SuccessionRule = "global" | "local" | "sequential";

export interface SuccessionOptions extends CibOptions {
  /** Default "global" (ScenarioWizard). */
  rule?: SuccessionRule;
  /** Factor order of a sequential sweep (default 0..N−1). */
  sequentialOrder?: number[];
}

/**
 * An allocation-free succession step: `step(z, theta)` replaces z by its successor and theta
 * by the successor's balances; it returns whether anything changed.
 */
export interface Stepper {
  step(z: Int32Array, theta: Int32Array): boolean;
}

/** Builds the stepper of a rule over a prepared matrix. */
export function makeStepper(p: Prepared, opts: SuccessionOptions = {}): Stepper {
  const { n, m, counts, offsets, matrix } = p;
  const rule = opts.rule ?? "global";
  const moveRow = (theta: Int32Array, f: number, from: number, to: number) => {
    const ro = (offsets[f] + from) * m;
    const rn = (offsets[f] + to) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[rn + c] - matrix[ro + c];
  };
  /** Target state of factor f under the keep-if-tied / lowest-index rule. */
  const target = (theta: Int32Array, f: number, cur: number): number => {
    const a = offsets[f];
    const tc = theta[a + cur];
    let best = tc;
    let arg = cur;
    for (let l = 0; l < counts[f]; l++) {
      const t = theta[a + l];
      if (t > best) {
        best = t;
        arg = l;
      }
    }
    return arg;
  };
  if (rule === "global") {
    const next = new Int32Array(n);
    return {
      step(z, theta) {
        let changed = false;
        for (let f = 0; f < n; f++) {
          next[f] = target(theta, f, z[f]);
          if (next[f] !== z[f]) changed = true;
        }
        if (changed)
          for (let f = 0; f < n; f++)
            if (next[f] !== z[f]) {
              moveRow(theta, f, z[f], next[f]);
              z[f] = next[f];
            }
        return changed;
      },
    };
  }
  if (rule === "local") {
    return {
      step(z, theta) {
        let worst = 0;
        let wf = -1;
        for (let f = 0; f < n; f++) {
          const a = offsets[f];
          let best = theta[a];
          for (let l = 1; l < counts[f]; l++) if (theta[a + l] > best) best = theta[a + l];
          const ic = best - theta[a + z[f]];
          if (ic > worst) {
            worst = ic;
            wf = f;
          }
        }
        if (wf < 0) return false;
        const to = target(theta, wf, z[wf]);
        moveRow(theta, wf, z[wf], to);
        z[wf] = to;
        return true;
      },
    };
  }
  if (rule === "sequential") {
    const order = opts.sequentialOrder ?? Array.from({ length: n }, (_, i) => i);
    if (order.length !== n || new Set(order).size !== n || order.some((f) => !(f >= 0 && f < n)))
      throw new Error("sequentialOrder must be a permutation of the factor indices");
    return {
      step(z, theta) {
        let changed = false;
        for (const f of order) {
          const to = target(theta, f, z[f]);
          if (to !== z[f]) {
            moveRow(theta, f, z[f], to);
            z[f] = to;
            changed = true;
          }
        }
        return changed;
      },
    };
  }
  throw new Error(`unknown succession rule: ${rule as string}`);
}

/** One succession path from a start. */
export interface SuccessionPath {
  kind: "cib.succession";
  rule: SuccessionRule;
  /** Scenarios visited, the start first; ends at the fixed point or at the first repeat's predecessor. */
  path: number[][];
  /** "fixed-point": path ends at a consistent scenario; "cycle": it entered a cycle. */
  outcome: "fixed-point" | "cycle" | "max-steps";
  /** The consistent scenario reached, when outcome is "fixed-point". */
  fixedPoint?: number[];
  /** The cycle entered: its distinct scenarios in visiting order, and its period. */
  cycle?: { scenarios: number[][]; period: number };
  /** Number of succession steps taken until the fixed point or the cycle closed. */
  steps: number;
}

/** Follows succession from `start` until a fixed point or a cycle (or maxSteps). */
export function traceSuccession(
  model: CompiledModel,
  start: ArrayLike<number>,
  opts: SuccessionOptions & { maxSteps?: number } = {},
): SuccessionPath {
  const p = prepare(model, opts);
  checkScenario(p, start);
  const stepper = makeStepper(p, opts);
  const z = Int32Array.from(start);
  const theta = balanceInto(p, z, new Int32Array(p.m));
  const seen = new Map<string, number>();
  const path: number[][] = [];
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const rule = opts.rule ?? "global";
  for (let steps = 0; steps <= maxSteps; steps++) {
    const key = scenarioKey(z);
    const at = seen.get(key);
    if (at !== undefined) {
      const scen = path.slice(at);
      return {
        kind: "cib.succession",
        rule,
        path,
        outcome: "cycle",
        cycle: { scenarios: scen, period: scen.length },
        steps,
      };
    }
    seen.set(key, path.length);
    path.push(Array.from(z));
    if (!stepper.step(z, theta))
      return { kind: "cib.succession", rule, path, outcome: "fixed-point", fixedPoint: Array.from(z), steps };
  }
  return { kind: "cib.succession", rule, path, outcome: "max-steps", steps: maxSteps };
}
