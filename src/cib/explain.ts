// CIB explanations — why a scenario is (in)consistent, and what would flip it.
//
// Method: the impact balance of Weimer-Jehle (2006), TFSC 73:334–361, read factor by factor:
// θ_{j,l} is the sum of the impacts of the other factors' selected states on state (j,l), so
// each factor's balance decomposes into one contribution per source factor. Extended beyond
// the reference: the margin (θ chosen − best rival), factors on the brink (smallest margin),
// and the single matrix-cell changes that would flip the scenario's consistency, smallest
// change first, clipped to the model's judgment scale. A cell (i,z_i)→(j,l) moves only factor
// j's balance, so one change can make a consistent scenario inconsistent through any factor,
// but can make an inconsistent one consistent only when a single factor is off its max. A
// same-factor cell (a factor's impact on itself) is never proposed: it is not a judgment an
// analyst makes or can change, though it still counts in the balances when self-impacts do.

import type { CompiledModel } from "../model/compiled.js";
import { balanceInto, type CibOptions, checkScenario, prepare, type Scenario, summarize } from "./core.js";

/** One source factor's impact on a target state. */
export interface Contribution {
  sourceFactor: number;
  sourceState: number;
  /** Impact on the target factor's chosen state. */
  value: number;
  /** Impact on the target factor's best rival state (0 when there is no rival). */
  rivalValue: number;
  /** value − rivalValue: what this source adds to the margin. */
  net: number;
  /** Indices of the model impacts behind the cell (from CompiledModel.cellImpacts). */
  impacts: number[];
}

export interface FactorExplanation {
  factor: number;
  state: number;
  /** θ of every state of the factor. */
  balance: number[];
  /** Best rival state (highest θ among the other states; lowest index on ties), null if none. */
  bestRival: number | null;
  /** θ chosen − θ best rival (null when the factor has one state). */
  margin: number | null;
  /** IC_j = max θ − θ chosen. */
  inconsistency: number;
  /** Positive contributions to the chosen state, largest first. */
  for: Contribution[];
  /** Negative contributions to the chosen state, largest magnitude first. */
  against: Contribution[];
}

/** A single judgment (cell) change that flips the scenario's consistency. */
export interface FlipChange {
  /** Global state indices of the cell (row = source, column = target). */
  source: number;
  target: number;
  sourceFactor: number;
  sourceState: number;
  targetFactor: number;
  targetState: number;
  from: number;
  to: number;
  delta: number;
  effect: "makes-inconsistent" | "makes-consistent";
  impacts: number[];
}

export interface Explanation {
  kind: "cib.explanation";
  states: number[];
  consistent: boolean;
  inconsistency: number;
  cv: number;
  tis: number;
  factors: FactorExplanation[];
  /** Factors with the smallest margin (on the brink), in factor order. */
  brink: number[];
  /** Single-cell changes that flip consistency, smallest |delta| first (at most maxFlips). */
  flips: FlipChange[];
  /** Why `flips` is empty, when it is. */
  flipNote?: string;
}

export interface ExplainOptions extends CibOptions {
  /** Most flip changes to list (default 20). */
  maxFlips?: number;
}

/** Explains one scenario: balances, contributions, margins, brink factors and flips. */
export function explainScenario(model: CompiledModel, z: Scenario, opts: ExplainOptions = {}): Explanation {
  const p = prepare(model, opts);
  checkScenario(p, z);
  const { n, m, counts, offsets, matrix } = p;
  const theta = balanceInto(p, z, new Int32Array(m));
  const sum = summarize(p, z, theta);
  const self = !opts.ignoreSelfImpacts;
  const cellImpacts = (r: number, c: number) => model.cellImpacts.get(r * m + c)?.slice() ?? [];
  const factors: FactorExplanation[] = [];
  for (let j = 0; j < n; j++) {
    const a = offsets[j];
    const k = z[j];
    const balance = Array.from(theta.subarray(a, a + counts[j]));
    let rival: number | null = null;
    for (let l = 0; l < counts[j]; l++)
      if (l !== k && (rival === null || balance[l] > balance[rival])) rival = l;
    const max = Math.max(...balance);
    const contribs: Contribution[] = [];
    for (let i = 0; i < n; i++) {
      if (i === j && !self) continue;
      const r = offsets[i] + z[i];
      const value = matrix[r * m + a + k];
      const rivalValue = rival === null ? 0 : matrix[r * m + a + rival];
      if (value === 0 && rivalValue === 0) continue;
      contribs.push({
        sourceFactor: i,
        sourceState: z[i],
        value,
        rivalValue,
        net: value - rivalValue,
        impacts: cellImpacts(r, a + k),
      });
    }
    const byMag = (x: Contribution, y: Contribution) =>
      Math.abs(y.value) - Math.abs(x.value) || x.sourceFactor - y.sourceFactor;
    factors.push({
      factor: j,
      state: k,
      balance,
      bestRival: rival,
      margin: rival === null ? null : balance[k] - balance[rival],
      inconsistency: max - balance[k],
      for: contribs.filter((c) => c.value > 0).sort(byMag),
      against: contribs.filter((c) => c.value < 0).sort(byMag),
    });
  }
  const margins = factors.filter((f) => f.margin !== null).map((f) => f.margin as number);
  const minMargin = margins.length ? Math.min(...margins) : null;
  const brink = minMargin === null ? [] : factors.filter((f) => f.margin === minMargin).map((f) => f.factor);
  // flips
  const flips: FlipChange[] = [];
  const { min: lo, max: hi } = p.scale;
  const push = (i: number, j: number, l: number, delta: number, effect: FlipChange["effect"]) => {
    if (i === j) return;
    const r = offsets[i] + z[i];
    const c = offsets[j] + l;
    const from = matrix[r * m + c];
    const to = from + delta;
    if (to < lo || to > hi) return;
    flips.push({
      source: r,
      target: c,
      sourceFactor: i,
      sourceState: z[i],
      targetFactor: j,
      targetState: l,
      from,
      to,
      delta,
      effect,
      impacts: cellImpacts(r, c),
    });
  };
  let flipNote: string | undefined;
  if (sum.inconsistency === 0) {
    for (const f of factors) {
      if (f.bestRival === null) continue;
      const j = f.factor;
      const k = f.state;
      for (let i = 0; i < n; i++) {
        push(i, j, k, -((f.margin as number) + 1), "makes-inconsistent");
        for (let l = 0; l < counts[j]; l++)
          if (l !== k) push(i, j, l, f.balance[k] - f.balance[l] + 1, "makes-inconsistent");
      }
    }
  } else {
    const off = factors.filter((f) => f.inconsistency > 0);
    if (off.length > 1)
      flipNote = `${off.length} factors are off their max; no single cell change can fix them all`;
    else {
      const f = off[0];
      const j = f.factor;
      const k = f.state;
      const above = f.balance.flatMap((t, l) => (t > f.balance[k] ? [l] : []));
      for (let i = 0; i < n; i++) {
        push(i, j, k, f.inconsistency, "makes-consistent");
        if (above.length === 1) push(i, j, above[0], -f.inconsistency, "makes-consistent");
      }
    }
  }
  flips.sort(
    (x, y) =>
      Math.abs(x.delta) - Math.abs(y.delta) ||
      x.targetFactor - y.targetFactor ||
      x.source - y.source ||
      x.target - y.target,
  );
  if (flips.length === 0 && !flipNote)
    flipNote = "no single judgment between two factors can flip it without leaving the judgment scale";
  const res: Explanation = {
    kind: "cib.explanation",
    states: Array.from(z),
    consistent: sum.inconsistency === 0,
    inconsistency: sum.inconsistency,
    cv: sum.cv,
    tis: sum.tis,
    factors,
    brink,
    flips: flips.slice(0, opts.maxFlips ?? 20),
  };
  if (flipNote) res.flipNote = flipNote;
  return res;
}
