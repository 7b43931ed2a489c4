// The confidence's scale on unseen text. The weights of the drafts' confidence are fitted on the
// read evaluation sets, whose rules were tuned on them, so on an article the rules have not met
// they overstate how often a draft is right. first-looks.jsonl holds the drafts of each held-out
// set as scored once, before its output was read (first-look-dump.ts): their signals and whether
// a label accepts them. One number corrects the scale: the shift δ of the intercept that makes
// the shipped weights' probabilities fit those drafts best (maximum likelihood). The ranking of
// the drafts (AUC) does not change.
//
// For an intercept alone the likelihood is concave, and its maximum solves
// Σᵢ (yᵢ − σ(zᵢ + δ)) = 0: the mean probability equals the share accepted. Newton's method finds it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ConfidenceFit,
  type ConfidenceSignals,
  confidenceScore,
} from "../../src/evidence/confidence.js";

export interface FirstLookRow {
  set: string;
  commit: string;
  file: string;
  ok: number;
  signals: ConfidenceSignals;
}

export const FIRST_LOOKS = join(import.meta.dirname, "first-looks.jsonl");

export function readFirstLooks(path = FIRST_LOOKS): FirstLookRow[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as FirstLookRow);
}

/** The linear score of a row's signals under the weights, without any shift (confidence.ts). */
export const score = (fit: Pick<ConfidenceFit, "intercept" | "weights">, s: ConfidenceSignals): number =>
  confidenceScore(s, fit);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The maximum-likelihood shift δ of scores `z` for outcomes `y` (Newton; both outcomes must occur). */
export function fitShift(z: number[], y: number[]): number {
  const k = y.reduce((a, v) => a + v, 0);
  if (k === 0 || k === y.length) throw new Error("the shift needs both accepted and refused drafts");
  let d = 0;
  for (let it = 0; it < 100; it++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(z[i] + d);
      g += y[i] - p;
      h += p * (1 - p);
    }
    const step = g / h;
    d += step;
    if (Math.abs(step) < 1e-12) break;
  }
  return d;
}

/** Mean log-loss of the shifted probabilities. */
export function shiftedLogLoss(z: number[], y: number[], d: number): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const p = sigmoid(z[i] + d);
    s -= y[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / z.length;
}

/** The `unseen` block of the confidence file for these weights and rows. */
export function unseenBlock(
  fit: Pick<ConfidenceFit, "intercept" | "weights">,
  rows: FirstLookRow[],
): NonNullable<ConfidenceFit["unseen"]> {
  const z = rows.map((r) => score(fit, r.signals));
  const y = rows.map((r) => r.ok);
  return {
    shift: Math.round(fitShift(z, y) * 1e4) / 1e4,
    from: [...new Set(rows.map((r) => `${r.set}@${r.commit}`))],
    drafts: rows.length,
    accepted: y.reduce((a: number, v) => a + v, 0),
  };
}
