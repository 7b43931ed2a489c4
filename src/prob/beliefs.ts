// Belief bars, as in GeNIe: every factor's distribution over its states at one horizon, and the
// same distributions once some states are clamped (evidence), all read from one Monte Carlo
// sample of the stochastic succession (simulate.ts). Pure and browser-safe (no node imports):
// the app conditions in the browser, so a click updates every bar at once.
//
// The sample. N independent runs of the chain from the same start (runs/beliefs.ts), each
// observed at the horizon step K: X(r) = (X_1(r), …, X_F(r)) is run r's scenario at step K. It is
// kept as the distinct scenarios with their run counts (the chunks' `ends`), which is the same
// information as one row per run and much smaller.
//
// Conditioning by rejection. Evidence E = {X_i = e_i for the clamped factors i}. Keep the runs
// whose scenario at K satisfies E and read the marginals off them:
//
//   n_E = #{r : X_i(r) = e_i for every clamped i}
//   P(X_j = s | E) ≈ #{r : X_j(r) = s and r satisfies E} / n_E
//
// the ratio estimator of P(X_j = s ∧ E) / P(E), consistent as N → ∞, for every j and s at once
// (a clamped factor comes out at exactly 1 on its state, with no interval). Given n_E, the kept runs are an
// i.i.d. sample of the chain's law at K conditioned on E, so the count of X_j = s among them is
// Binomial(n_E, P(X_j = s | E)): its 95 % interval is Wilson's (1927) on (count, n_E). The
// interval is Monte Carlo error only (not judgment uncertainty) and widens like 1/√n_E: rare
// evidence leaves few runs, so below FEW_RUNS matching runs the result carries a warning; with
// none, P(E) is below about 3/N in the sample (rule of three) and nothing can be said.
//
// What it is not: an intervention. Clamping a state selects the runs in which it is observed at
// the horizon, so the other bars show what tends to go with it (causes as well as effects); to
// impose a state and see what it causes, hold it for the whole run (simulate's `fix`).
import { wilson } from "./stats.js";

/** The runs' scenarios at the horizon, as distinct scenarios with their run counts. */
export interface BeliefSample {
  /** Number of states of each factor, in model order (F factors). */
  sizes: number[];
  /** Distinct scenarios, flat: the state index of factor j in scenario r is rows[r·F + j]. */
  rows: number[];
  /** Runs that ended in each scenario (rows.length / F entries); their sum is the runs. */
  counts: number[];
}

/** One state's bar: matching runs in the state, the share and its 95 % Wilson interval. */
export interface Belief {
  count: number;
  /** count / n; NaN when no run matches the evidence. */
  p: number;
  lo: number;
  hi: number;
}

export interface Conditioned {
  /** Runs in the sample. */
  runs: number;
  /** Runs that match the evidence (all runs without evidence). */
  n: number;
  /** Per factor, per state. */
  marginals: Belief[][];
  /** Set when fewer than FEW_RUNS runs match: the bars are rough, or (none) undefined. */
  warning: string | null;
}

/** Below this many matching runs the conditional bars carry a warning. */
export const FEW_RUNS = 100;

const fmt = (x: number) => x.toLocaleString("en");

/**
 * The sample from the simulation's end counts: keys "s0,s1,…" (state index per factor) with
 * their run counts. Sorted by count (most runs first), then by the states, so the same runs give
 * the same sample whatever order the chunks' maps hold them in.
 */
export function sampleOf(ends: Iterable<readonly [string, number]>, sizes: readonly number[]): BeliefSample {
  const F = sizes.length;
  const list = [...ends].map(([key, count]) => {
    const z = key.split(",").map(Number);
    if (z.length !== F || z.some((s, j) => !(Number.isInteger(s) && s >= 0 && s < sizes[j])))
      throw new RangeError(`'${key}' is not a scenario of ${F} factors with states ${sizes.join(",")}`);
    return { z, count };
  });
  list.sort((a, b) => b.count - a.count || compareStates(a.z, b.z));
  return { sizes: [...sizes], rows: list.flatMap((x) => x.z), counts: list.map((x) => x.count) };
}

function compareStates(a: number[], b: number[]): number {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] - b[j];
  return 0;
}

/**
 * Conditions the sample on evidence (factor index → clamped state index) by rejection: the
 * marginals of every factor over the runs that match, with Wilson 95 % intervals on the
 * matching runs (see the file comment). No evidence gives the unconditional marginals.
 */
export function condition(sample: BeliefSample, evidence: ReadonlyMap<number, number>): Conditioned {
  const { sizes, rows, counts } = sample;
  const F = sizes.length;
  for (const [f, s] of evidence) {
    if (!(Number.isInteger(f) && f >= 0 && f < F)) throw new RangeError(`no factor ${f} (of ${F})`);
    if (!(Number.isInteger(s) && s >= 0 && s < sizes[f]))
      throw new RangeError(`factor ${f} has no state ${s} (of ${sizes[f]})`);
  }
  const clamped = [...evidence];
  const offsets: number[] = [];
  let M = 0;
  for (const m of sizes) {
    offsets.push(M);
    M += m;
  }
  const tally = new Float64Array(M);
  let runs = 0;
  let n = 0;
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r];
    const base = r * F;
    runs += c;
    let match = true;
    for (const [f, s] of clamped)
      if (rows[base + f] !== s) {
        match = false;
        break;
      }
    if (!match) continue;
    n += c;
    for (let j = 0; j < F; j++) tally[offsets[j] + rows[base + j]] += c;
  }
  const marginals = sizes.map((m, j) =>
    Array.from({ length: m }, (_, s): Belief => {
      const count = tally[offsets[j] + s];
      const p = n > 0 ? count / n : Number.NaN;
      // A clamped factor is in its state in every kept run by construction: no sampling error.
      if (evidence.has(j) && n > 0) return { count, p, lo: p, hi: p };
      const w = wilson(count, n);
      return { count, p, lo: w.lo, hi: w.hi };
    }),
  );
  let warning: string | null = null;
  if (clamped.length > 0 && n === 0)
    warning = `No run of ${fmt(runs)} is in this evidence at the horizon: it is too rare in the sample to condition on (P(evidence) below about ${formatShare(3 / runs)}). Clamp fewer states, or simulate more runs.`;
  else if (n < FEW_RUNS)
    warning = clamped.length
      ? `Only ${fmt(n)} of ${fmt(runs)} runs match the evidence: the bars are rough (wide intervals). Clamp fewer states, or simulate more runs.`
      : `Only ${fmt(runs)} runs: the bars are rough (wide intervals). Simulate more runs.`;
  return { runs, n, marginals, warning };
}

function formatShare(p: number): string {
  const x = 100 * p;
  return `${x >= 1 ? x.toFixed(0) : x.toPrecision(1)}%`;
}
