/**
 * KTAB's Spatial Model of Politics (SMP), the KAPSARC Toolkit for Behavioral Analysis (Wise, Lester et al.,
 * KAPSARC 2015–2017, MIT licence; program `smpc`). Multi-dimensional positions, risk attitudes from a
 * probabilistic Condorcet election, challenges evaluated with third parties, interpolated bargains resolved by
 * per-actor elections, ideal updates, and KTAB's stopping rule. All nine KTAB options are explicit.
 *
 * Written from the method description in design/bargaining-method.md and from reading KTAB's sources; it
 * reproduces KTAB's deterministic reference logs. Deliberately different:
 * - stochastic state transitions draw from one seeded generator (pure-rand xoroshiro128+) in actor order, so a
 *   run is reproducible from its seed (KTAB shares a generator between threads);
 * - data on which KTAB aborts run here: when risk adjustment changes no utility (e.g. every actor at an end of
 *   the scale) or every position is equally likely (risk attitudes are then 0), when an actor has zero total
 *   salience (it has no influence and its distance is 0), and when a Markov PCE needs ≥1000 iterations (the
 *   last iterate is used and the run is flagged);
 * - the bargain queue of an actor is ordered SQ, then bargains by initiator index (KTAB's order depends on
 *   thread timing; it matters only for exact ties);
 * - cost is O(N³ + N²·D) per turn: KTAB's per-initiator O(N⁴) logging side computations are not done.
 */
import { makeRng } from "../random.js";
import { type PceModel, pickOption, scalarPce, type VictoryProbModel, type VotingRule, vote } from "./pce.js";
import type { EngineStamp, SpatialActor, SpatialScenario } from "./types.js";
import { BargainInputError } from "./types.js";

export const KTAB_VERSION = "ktab-smp/1.0.0";

export type { PceModel, VictoryProbModel, VotingRule } from "./pce.js";
export type BigRAdjust = "None" | "OneThird" | "Half" | "TwoThirds" | "Full";
export type BigRRange = "Min" | "Mid" | "Max";
export type ThirdPartyCommit = "SemiCommit" | "FullCommit" | "NoCommit";
export type InterVecBrgn = "S2P2" | "S1P1" | "S2PMax";
export type BargnModel = "InitOnlyInterp" | "InitRcvrInterp" | "PWCompInterp";

export interface KtabOptions {
  victoryProbModel: VictoryProbModel;
  pceModel: PceModel;
  stateTransitions: "Deterministic" | "Stochastic";
  votingRule: VotingRule;
  bigRAdjust: BigRAdjust;
  bigRRange: BigRRange;
  thirdPartyCommit: ThirdPartyCommit;
  interVecBrgn: InterVecBrgn;
  bargnModel: BargnModel;
  /** Seed of the generator used by stochastic transitions (ignored when deterministic). */
  seed: number;
  /** Stop after this many turns at most (KTAB: 100). */
  maxTurns: number;
  /** Do not stop before this turn (KTAB: 2). */
  minTurns: number;
  /** Stop when D(t)/(D(1) + 1e-4) falls below this (KTAB: 0.02). */
  stopRatio: number;
  /** Ideal-accommodation matrix A (N×N, rows summing to ≤ 1); identity when absent. */
  accommodation?: number[][];
  /** `summary`: positions, probabilities, risk, challenges and choices; `full`: also bargain elections. */
  audit: "summary" | "full";
}

export const KTAB_DEFAULTS: KtabOptions = {
  victoryProbModel: "Linear",
  pceModel: "Conditional",
  stateTransitions: "Deterministic",
  votingRule: "Prop",
  bigRAdjust: "OneThird",
  bigRRange: "Mid",
  thirdPartyCommit: "SemiCommit",
  interVecBrgn: "S2P2",
  bargnModel: "InitOnlyInterp",
  seed: 0x5c185c,
  maxTurns: 100,
  minTurns: 2,
  stopRatio: 0.02,
  audit: "summary",
};

export interface KtabChallenge {
  initiator: number;
  target: number;
  /** Initiator's expected gain ΔE from challenging. */
  gain: number;
  /** P[i ≻ j] as estimated by the initiator and by the target. */
  probInitiator: number;
  probTarget: number;
}

export interface KtabBargain {
  id: number;
  initiator: number;
  receiver: number;
  /** `initiator` (i's estimate), `receiver` (j's estimate) or `compromise` (power-weighted average). */
  kind: "initiator" | "receiver" | "compromise";
  /** Proposed coordinates (0–100) for initiator and receiver. */
  initiatorPosition: number[];
  receiverPosition: number[];
}

export interface KtabChoice {
  actor: number;
  /** Bargain ids in the actor's queue; −1 is its own status quo. */
  options: number[];
  probabilities: number[];
  chosen: number;
  /** Full election detail (audit = full): utilities[n][m] of each option to each actor. */
  utilities?: number[][];
}

export interface KtabTurn {
  turn: number;
  /** Positions at the start of the turn (0–100), [actor][dim]. */
  positions: number[][];
  ideals: number[][];
  /** Risk attitudes R_i ∈ [−1, 1] inferred this turn. */
  risk: number[];
  /** Probability that each actor's position is the outcome (equal positions share it). */
  winProb: number[];
  /** Challenges and bargains made from this state (absent on the final state). */
  challenges?: KtabChallenge[];
  bargains?: KtabBargain[];
  choices?: KtabChoice[];
  /** D(t)/(D(1) + 1e-4) for the move that produced this state (turn ≥ 1). */
  fractionalChange?: number;
}

export interface KtabResult extends EngineStamp {
  method: "ktab-smp";
  options: KtabOptions;
  names: string[];
  dimensions: string[];
  /** States 0..T: states.length = number of states (KTAB's "There were N states"). */
  states: KtabTurn[];
  final: {
    positions: number[][];
    winProb: number[];
    /** Σ p·x / Σ p over the distinct reported positions (0.1 resolution), per dimension (0–100). */
    probabilityWeighted: number[];
    /** The unique position with the highest probability (first on ties). */
    mostLikely: number[];
    /** Capability × salience weighted mean of the final positions, per dimension. */
    compromise: number[];
  };
  stopReason: "converged" | "max-turns";
  warnings: string[];
}

function validate(sc: SpatialScenario): void {
  const n = sc.actors.length;
  const d = sc.dimensions.length;
  if (n < 2) throw new BargainInputError("KTAB SMP needs at least 2 actors", "actors");
  if (d < 1) throw new BargainInputError("at least one dimension is needed", "dimensions");
  sc.actors.forEach((a: SpatialActor, i) => {
    const at = `actors[${i}]`;
    if (!(a.capability > 0)) throw new BargainInputError("capability must be > 0", `${at}.capability`);
    if (a.position.length !== d || a.salience.length !== d)
      throw new BargainInputError(`needs ${d} positions and saliences`, at);
    a.position.forEach((p, k) => {
      if (!(p >= 0 && p <= 100))
        throw new BargainInputError(`position ${p} outside [0,100]`, `${at}.position[${k}]`);
    });
    a.salience.forEach((s, k) => {
      if (!(s >= 0 && s <= 100))
        throw new BargainInputError(`salience ${s} outside [0,100]`, `${at}.salience[${k}]`);
    });
    const tot = a.salience.reduce((x, y) => x + y, 0);
    if (tot > 100 + 1e-9) throw new BargainInputError(`total salience ${tot} exceeds 100`, `${at}.salience`);
  });
}

const bsUtil = (d: number, R: number): number => (d <= 1 ? (1 - d) * (1 + d * R) : (1 - d) * (1 + R));

function round4(x: number): number {
  return Math.trunc(0.5 + x * 10000) / 10000;
}

/**
 * Runs KTAB's SMP on a scenario (positions and saliences on 0–100). Each turn, in order:
 * assessState (distances, risk attitudes), outcomeProbabilities, the stopping rule,
 * proposeBargains (challenges and bargains), resolveBargains (per-actor elections, the only
 * draws from the generator), updateIdeals; then finalSummary of the last state.
 */
export function ktabSmp(scenario: SpatialScenario, options: Partial<KtabOptions> = {}): KtabResult {
  validate(scenario);
  const opt: KtabOptions = { ...KTAB_DEFAULTS, ...options };
  const run = startRun(scenario, opt);
  let x: Float64Array[] = scenario.actors.map((a) => Float64Array.from(a.position.map((p) => p / 100)));
  let theta: Float64Array[] = x.map((p) => Float64Array.from(p));
  const states: KtabTurn[] = [];
  let d1 = 0;
  let stopReason: KtabResult["stopReason"] = "max-turns";
  for (let t = 0; ; t++) {
    const a = assessState(run, x, theta, t);
    const winProb = outcomeProbabilities(run, x, a);
    const turn: KtabTurn = {
      turn: t,
      positions: x.map((v) => Array.from(v, (c) => c * 100)),
      ideals: theta.map((v) => Array.from(v, (c) => c * 100)),
      risk: Array.from(a.R),
      winProb,
    };
    states.push(turn);

    // Stopping rule (evaluated on the state just produced).
    if (t >= 1) {
      const dt = movement(run, x, states[t - 1].positions);
      if (t === 1) d1 = dt;
      const ratio = dt / (d1 + 1e-4);
      turn.fractionalChange = ratio;
      if (t >= opt.maxTurns) {
        stopReason = "max-turns";
        break;
      }
      if (t >= opt.minTurns && ratio < opt.stopRatio) {
        stopReason = "converged";
        break;
      }
    } else if (opt.maxTurns <= 0) break;

    const proposals = proposeBargains(run, x, a);
    const { newX, choices } = resolveBargains(run, theta, a, proposals, x, t);
    turn.challenges = proposals.challenges;
    turn.bargains = proposals.bargains;
    turn.choices = choices;
    const newTheta = updateIdeals(run, newX, theta);
    x = newX;
    theta = newTheta;
  }
  return {
    engine: "ktab-smp",
    version: KTAB_VERSION,
    method: "ktab-smp",
    options: opt,
    names: scenario.actors.map((a) => a.name),
    dimensions: [...scenario.dimensions],
    states,
    final: finalSummary(run, states[states.length - 1]),
    stopReason,
    warnings: run.warnings,
  };
}

/** What stays fixed through a run: options, sizes, capabilities, saliences, generator, warnings. */
interface SmpRun {
  opt: KtabOptions;
  /** Actors and dimensions. */
  N: number;
  D: number;
  cap: Float64Array;
  /** Saliences on 0–1, per actor and dimension; their sums of squares and their totals S_i. */
  sal: Float64Array[];
  salSq: number[];
  S: Float64Array;
  /** Ideal-accommodation matrix (options.accommodation), checked. */
  A?: number[][];
  rng: ReturnType<typeof makeRng>;
  warnings: string[];
  /** Id of the next bargain (numbered across turns). */
  nextBargainId: number;
}

/** The run's fixed data; checks the accommodation matrix (N×N, entries in [0,1], rows ≤ 1). */
function startRun(scenario: SpatialScenario, opt: KtabOptions): SmpRun {
  const N = scenario.actors.length;
  const sal = scenario.actors.map((a) => Float64Array.from(a.salience.map((s) => s / 100)));
  const A = opt.accommodation;
  if (A) {
    if (A.length !== N || A.some((r) => r.length !== N))
      throw new BargainInputError(`must be ${N}×${N}`, "options.accommodation");
    A.forEach((r, i) => {
      const s = r.reduce((x, y) => x + y, 0);
      if (r.some((v) => v < 0 || v > 1) || s > 1 + 1e-10)
        throw new BargainInputError(
          "entries must be in [0,1] and rows sum to ≤ 1",
          `options.accommodation[${i}]`,
        );
    });
  }
  return {
    opt,
    N,
    D: scenario.dimensions.length,
    cap: Float64Array.from(scenario.actors.map((a) => a.capability)),
    sal,
    salSq: sal.map((s) => s.reduce((t, v) => t + v * v, 0)),
    S: Float64Array.from(sal.map((s) => s.reduce((t, v) => t + v, 0))),
    A,
    rng: makeRng(opt.seed),
    warnings: [],
    nextBargainId: 0,
  };
}

/** Records a warning once. */
function warn(run: SmpRun, w: string): void {
  if (!run.warnings.includes(w)) run.warnings.push(w);
}

/** Salience-weighted distance of actor i's ideal (theta[i]) to a point y (0 for zero salience). */
function distTo(run: SmpRun, theta: Float64Array[], i: number, y: ArrayLike<number>): number {
  const { salSq, D } = run;
  if (salSq[i] <= 0) return 0;
  let s = 0;
  const th = theta[i];
  const si = run.sal[i];
  for (let k = 0; k < D; k++) {
    const t = si[k] * (th[k] - y[k]);
    s += t * t;
  }
  return Math.sqrt(s / salSq[i]);
}

/** Actor h's estimate of actor i's risk attitude from both attitudes (option bigRAdjust). */
function estR(adjust: BigRAdjust, rh: number, ri: number): number {
  switch (adjust) {
    case "None":
      return rh;
    case "OneThird":
      return (2 * rh + ri) / 3;
    case "Half":
      return (rh + ri) / 2;
    case "TwoThirds":
      return (rh + 2 * ri) / 3;
    case "Full":
      return ri;
  }
}

/** A state assessed: distances, risk attitudes, and the utilities built on them. */
interface Assessment {
  N: number;
  /** vd[i·N + j]: distance of i's ideal to j's position. */
  vd: Float64Array;
  /** R_i ∈ [−1, 1], from the probabilistic Condorcet election over the positions. */
  R: Float64Array;
  /** rhi[h·N + i]: h's estimate of i's risk attitude. */
  rhi: Float64Array;
}

/** Utility to actor i of actor j's position, as actor h estimates it (with h's estimate of R_i). */
function estUtil(a: Assessment, h: number, i: number, j: number): number {
  return bsUtil(a.vd[i * a.N + j], a.rhi[h * a.N + i]);
}

/** Utility to actor i of actor j's position, with i's own risk attitude. */
function ownUtil(a: Assessment, i: number, j: number): number {
  return bsUtil(a.vd[i * a.N + j], a.R[i]);
}

/**
 * Assesses the state: distances of the ideals to the positions, risk attitudes from the
 * probability of each position in a PCE election on 1 − distance (option bigRRange; 0 when
 * every position is equally likely, where KTAB aborts), and the estimates of each other's.
 */
function assessState(run: SmpRun, x: Float64Array[], theta: Float64Array[], t: number): Assessment {
  const { N, opt } = run;
  const vd = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) vd[i * N + j] = distTo(run, theta, i, x[j]);
  const riskPce = scalarPce(
    N,
    N,
    run.cap,
    (k, a) => 1 - vd[k * N + a],
    opt.votingRule,
    opt.victoryProbModel,
    opt.pceModel,
  );
  if (!riskPce.converged)
    warn(run, `turn ${t}: Markov PCE for risk attitudes did not converge in 1000 iterations`);
  const p = riskPce.p;
  const pMin = Math.min(...p);
  const pMax = Math.max(...p);
  const R = new Float64Array(N);
  if (pMax - pMin > 1e-12) {
    for (let i = 0; i < N; i++) {
      R[i] =
        opt.bigRRange === "Min"
          ? (p[i] - pMin) / (pMax - pMin)
          : opt.bigRRange === "Mid"
            ? (3 * p[i] - (pMax + 2 * pMin)) / (2 * (pMax - pMin))
            : (2 * p[i] - (pMax + pMin)) / (pMax - pMin);
    }
  } else warn(run, `turn ${t}: all positions equally likely; risk attitudes set to 0 (KTAB aborts here)`);
  const rhi = new Float64Array(N * N);
  for (let h = 0; h < N; h++) for (let i = 0; i < N; i++) rhi[h * N + i] = estR(opt.bigRAdjust, R[h], R[i]);
  return { N, vd, R, rhi };
}

/**
 * Probability that each actor's position is the outcome: a PCE election over the unique
 * positions (within 1e-3), each actor getting its position's probability (the last equivalent
 * unique position, as KTAB).
 */
function outcomeProbabilities(run: SmpRun, x: Float64Array[], a: Assessment): number[] {
  const { N, D, opt } = run;
  const uniq: number[] = [];
  const eq = (i: number, j: number): boolean => {
    let s = 0;
    for (let k = 0; k < D; k++) s += (x[i][k] - x[j][k]) ** 2;
    return Math.sqrt(s) < 1e-3;
  };
  for (let i = 0; i < N; i++) if (!uniq.some((u) => eq(i, u))) uniq.push(i);
  const up = scalarPce(
    N,
    uniq.length,
    run.cap,
    (k, m) => ownUtil(a, k, uniq[m]),
    opt.votingRule,
    opt.victoryProbModel,
    opt.pceModel,
  );
  const winProb: number[] = [];
  for (let i = 0; i < N; i++) {
    let kk = 0;
    uniq.forEach((u, m) => {
      if (eq(i, u)) kk = m; // last equivalent unique position, as KTAB
    });
    winProb.push(up.p[kk]);
  }
  return winProb;
}

/** D(t): the summed distance the actors moved from the previous state (positions on 0–100). */
function movement(run: SmpRun, x: Float64Array[], prev: number[][]): number {
  let dt = 0;
  for (let i = 0; i < run.N; i++) {
    let s = 0;
    for (let k = 0; k < run.D; k++) s += (x[i][k] - prev[i][k] / 100) ** 2;
    dt += Math.sqrt(s);
  }
  return dt;
}

/**
 * A challenge of i by j as actor h estimates it, with k the actor whose gain is computed:
 * [P[i ≻ j], k's expected gain from the challenge over the status quo]. The contest is a vote
 * of i, j and the third parties (thirdPartyVote).
 */
function probEdu(run: SmpRun, a: Assessment, h: number, k: number, i: number, j: number): [number, number] {
  const { opt, S, cap, N } = run;
  const contribI = vote(opt.votingRule, S[i] * cap[i], estUtil(a, h, i, i), estUtil(a, h, i, j));
  const contribJ = vote(opt.votingRule, S[j] * cap[j], estUtil(a, h, j, i), estUtil(a, h, j, j));
  let cij = 1e-10;
  let cji = 1e-10;
  if (contribI > 0) cij += contribI;
  if (contribI < 0) cji -= contribI;
  if (contribJ > 0) cij += contribJ;
  if (contribJ < 0) cji -= contribJ;
  const c0i = cij;
  const c0j = cji;
  for (let n = 0; n < N; n++) {
    if (n === i || n === j) continue;
    const vn = thirdPartyVote(run, a, h, n, i, j, c0i, c0j);
    if (vn > 0) cij += vn;
    if (vn < 0) cji -= vn;
  }
  const phij = cij / (cij + cji);
  const ukI = estUtil(a, h, k, i);
  const ukJ = estUtil(a, h, k, j);
  const euSQ = ukI + ukJ;
  const euVict = 2 * ukI;
  const euCntst = phij * 2 * ukI + (1 - phij) * 2 * ukJ;
  const euChlg = (1 - S[j]) * euVict + S[j] * euCntst;
  return [phij, euChlg - euSQ];
}

/**
 * Third party n's vote in the contest of i and j (as h estimates it): n's expected utility of
 * joining either side, given the odds from i's and j's own votes (c0i, c0j) plus n's direct
 * preference, and what the winner is committed to (option thirdPartyCommit).
 */
function thirdPartyVote(
  run: SmpRun,
  a: Assessment,
  h: number,
  n: number,
  i: number,
  j: number,
  c0i: number,
  c0j: number,
): number {
  const { opt } = run;
  const wn = run.S[n] * run.cap[n];
  const uni = estUtil(a, h, n, i);
  const unj = estUtil(a, h, n, j);
  const unn = estUtil(a, h, n, n);
  const v0 = vote(opt.votingRule, wn, uni, unj);
  const ci = v0 > 0 ? c0i + v0 : c0i;
  const cj = v0 < 0 ? c0j - v0 : c0j;
  const pin = ci / (ci + cj);
  const pjn = 1 - pin;
  let uIkDefJ: number;
  let uJDefIk: number;
  let uIDefJk: number;
  let uJkDefI: number;
  switch (opt.thirdPartyCommit) {
    case "FullCommit":
      uIkDefJ = 3 * uni;
      uJDefIk = 3 * unj;
      uIDefJk = 3 * uni;
      uJkDefI = 3 * unj;
      break;
    case "SemiCommit":
      uIkDefJ = uni + uni + unn;
      uJDefIk = unj + unj + unj;
      uIDefJk = uni + uni + uni;
      uJkDefI = unj + unj + unn;
      break;
    case "NoCommit":
      uIkDefJ = uni + uni + unn;
      uJDefIk = unj + unj + unn;
      uIDefJk = uni + uni + unn;
      uJkDefI = unj + unj + unn;
      break;
  }
  const euJoinI = pin * uIkDefJ + pjn * uJDefIk;
  const euJoinJ = pin * uIDefJk + pjn * uJkDefI;
  return vote(opt.votingRule, wn, euJoinI, euJoinJ);
}

/**
 * The bargain positions of initiator i and receiver j interpolated between their positions by
 * saliences and the win probabilities pI, pJ (option interVecBrgn).
 */
function interpolate(
  run: SmpRun,
  x: Float64Array[],
  i: number,
  j: number,
  pI: number,
  pJ: number,
): [Float64Array, Float64Array] {
  const { D, sal, opt } = run;
  const bi = new Float64Array(D);
  const bj = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    const tik = x[i][k];
    const tjk = x[j][k];
    const sik = sal[i][k];
    const sjk = sal[j][k];
    if (opt.interVecBrgn === "S2PMax") {
      const di = pJ > pI ? pJ - pI : 0;
      const dj = pI > pJ ? pI - pJ : 0;
      const dik = (di * sjk * sjk) / (di * sjk * sjk + 1e-6 + (1 - di) * sik * sik);
      const djk = (dj * sik * sik) / (dj * sik * sik + 1e-6 + (1 - dj) * sjk * sjk);
      bi[k] = tik + dik * (tjk - tik);
      bj[k] = tjk + djk * (tik - tjk);
    } else {
      const e = opt.interVecBrgn === "S2P2" ? 2 : 1;
      const wik = sik ** e * pI ** e;
      const wjk = sjk ** e * pJ ** e;
      bi[k] = round4(((wik + 1e-6) * tik + wjk * tjk) / (wik + 1e-6 + wjk));
      bj[k] = round4((wik * tik + (1e-6 + wjk) * tjk) / (wik + 1e-6 + wjk));
    }
  }
  return [bi, bj];
}

/** A proposed bargain's positions (0–1) for its initiator i and receiver j. */
interface BargainPos {
  init: Float64Array;
  rcvr: Float64Array;
  i: number;
  j: number;
}

/** The challenges and bargains of a turn, and each actor's queue of bargains (indices). */
interface Proposals {
  challenges: KtabChallenge[];
  bargains: KtabBargain[];
  positions: BargainPos[];
  queue: number[][];
}

/**
 * Challenges and bargains: each actor challenges the target with the largest expected gain
 * (above 1e-5) and proposes the bargain(s) of option bargnModel (initiatorBargains); each
 * bargain joins the queues of its initiator and its receiver (SQ first, then bargains by
 * initiator index).
 */
function proposeBargains(run: SmpRun, x: Float64Array[], a: Assessment): Proposals {
  const { N } = run;
  const out: Proposals = {
    challenges: [],
    bargains: [],
    positions: [],
    queue: Array.from({ length: N }, () => []),
  };
  const pending: { i: number; idx: number[] }[] = [];
  for (let i = 0; i < N; i++) {
    let bestJ = -1;
    let bestEU = -1;
    let bestP = 0;
    for (let j = 0; j < N; j++) {
      if (j === i) continue;
      const [pij, edu] = probEdu(run, a, i, i, i, j);
      if (edu > 1e-5 && edu > bestEU) {
        bestJ = j;
        bestEU = edu;
        bestP = pij;
      }
    }
    if (bestJ < 0) continue;
    const j = bestJ;
    const pjiJ = probEdu(run, a, j, i, i, j)[0];
    out.challenges.push({ initiator: i, target: j, gain: bestEU, probInitiator: bestP, probTarget: pjiJ });
    pending.push({ i, idx: initiatorBargains(run, x, out, i, j, bestP, pjiJ) });
  }
  for (const { i, idx } of pending) {
    for (const b of idx) {
      out.queue[i].push(b);
      out.queue[out.positions[b].j].push(b);
    }
  }
  return out;
}

/**
 * The bargains initiator i proposes to target j (option bargnModel), from i's estimate pIJ of
 * P[i ≻ j] and j's estimate pJI: i's interpolation, or both i's and j's, or their compromise.
 * Adds them to `out`; returns their indices there.
 */
function initiatorBargains(
  run: SmpRun,
  x: Float64Array[],
  out: Proposals,
  i: number,
  j: number,
  pIJ: number,
  pJI: number,
): number[] {
  const { D, opt, cap, S } = run;
  const [iiI, iiJ] = interpolate(run, x, i, j, pIJ, 1 - pIJ);
  const idx: number[] = [];
  if (opt.bargnModel === "InitOnlyInterp") idx.push(addBargain(run, out, i, j, "initiator", iiI, iiJ));
  else {
    const [jiI, jiJ] = interpolate(run, x, i, j, pJI, 1 - pJI);
    if (opt.bargnModel === "InitRcvrInterp") {
      idx.push(addBargain(run, out, i, j, "initiator", iiI, iiJ));
      idx.push(addBargain(run, out, i, j, "receiver", jiI, jiJ));
    } else {
      // KTAB weights both versions by c_i (the second by c_i·S_j): a documented quirk, kept
      const wi = cap[i] * S[i];
      const wj = cap[i] * S[j];
      const bi = new Float64Array(D);
      const bj = new Float64Array(D);
      for (let k = 0; k < D; k++) {
        bi[k] = (wi * iiI[k] + wj * jiI[k]) / (wi + wj);
        bj[k] = (wi * iiJ[k] + wj * jiJ[k]) / (wi + wj);
      }
      idx.push(addBargain(run, out, i, j, "compromise", bi, bj));
    }
  }
  return idx;
}

/** Adds a bargain (next id of the run) to `out`; returns its index there. */
function addBargain(
  run: SmpRun,
  out: Proposals,
  i: number,
  j: number,
  kind: KtabBargain["kind"],
  bi: Float64Array,
  bj: Float64Array,
): number {
  const id = run.nextBargainId++;
  out.bargains.push({
    id,
    initiator: i,
    receiver: j,
    kind,
    initiatorPosition: Array.from(bi, (c) => c * 100),
    receiverPosition: Array.from(bj, (c) => c * 100),
  });
  out.positions.push({ init: bi, rcvr: bj, i, j });
  return out.bargains.length - 1;
}

/**
 * Bargain resolution: each actor k, in order, holds a PCE election among all actors over its
 * status quo and the bargains in its queue (utility of the state with the bargain in place),
 * and moves to its side of the chosen one (option stateTransitions: the likeliest, or a draw).
 */
function resolveBargains(
  run: SmpRun,
  theta: Float64Array[],
  a: Assessment,
  proposals: Proposals,
  x: Float64Array[],
  t: number,
): { newX: Float64Array[]; choices: KtabChoice[] } {
  const { N, opt } = run;
  const { R } = a;
  const { bargains, positions, queue } = proposals;
  const rowOwn = new Float64Array(N); // Σ_m own(n, m)
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let m = 0; m < N; m++) s += ownUtil(a, n, m);
    rowOwn[n] = s;
  }
  const newX: Float64Array[] = x.map((v) => Float64Array.from(v));
  const choices: KtabChoice[] = [];
  for (let k = 0; k < N; k++) {
    const opts = [-1, ...queue[k]];
    const nb = opts.length;
    const u = new Float64Array(N * nb);
    for (let n = 0; n < N; n++) {
      for (let m = 0; m < nb; m++) {
        const b = opts[m];
        let s: number;
        if (b < 0) s = rowOwn[n];
        else {
          const bp = positions[b];
          s = rowOwn[n] - ownUtil(a, n, bp.i) - ownUtil(a, n, bp.j);
          s += bsUtil(distTo(run, theta, n, bp.init), R[n]) + bsUtil(distTo(run, theta, n, bp.rcvr), R[n]);
        }
        u[n * nb + m] = s / N;
      }
    }
    const res = scalarPce(
      N,
      nb,
      run.cap,
      (n, m) => u[n * nb + m],
      opt.votingRule,
      opt.victoryProbModel,
      opt.pceModel,
    );
    if (!res.converged) warn(run, `turn ${t}: Markov PCE for a bargain election did not converge`);
    const m = pickOption(res.p, opt.stateTransitions, run.rng);
    const b = opts[m];
    if (b >= 0) {
      const bp = positions[b];
      newX[k] = Float64Array.from(bp.i === k ? bp.init : bp.rcvr);
    }
    const choice: KtabChoice = {
      actor: k,
      options: opts.map((o) => (o < 0 ? -1 : bargains[o].id)),
      probabilities: res.p,
      chosen: b < 0 ? -1 : bargains[b].id,
    };
    if (opt.audit === "full")
      choice.utilities = Array.from({ length: N }, (_, n) => Array.from(u.subarray(n * nb, n * nb + nb)));
    choices.push(choice);
  }
  return { newX, choices };
}

/**
 * New ideals: the new positions without an accommodation matrix; else θ_i ← Σ_j A_ij x_j plus
 * the rest (1 − Σ_j A_ij) of the old ideal.
 */
function updateIdeals(run: SmpRun, newX: Float64Array[], theta: Float64Array[]): Float64Array[] {
  const { A, N, D } = run;
  return newX.map((pos, i) => {
    if (!A) return Float64Array.from(pos);
    const th = new Float64Array(D);
    let si = 0;
    for (let j = 0; j < N; j++) {
      si += A[i][j];
      for (let k = 0; k < D; k++) th[k] += A[i][j] * newX[j][k];
    }
    const lag = 1 - Math.min(1, si);
    for (let k = 0; k < D; k++) th[k] += lag * theta[i][k];
    return th;
  });
}

/**
 * The final summaries over the distinct positions as reported (rounded to 0.1 on 0–100),
 * probabilities renormalised to sum 1 (this is how the reference figures in cases.json were
 * computed): probability-weighted position, most likely position, capability × salience
 * weighted compromise.
 */
function finalSummary(run: SmpRun, last: KtabTurn): KtabResult["final"] {
  const { N, D, cap, sal } = run;
  const key = (p: number[]) => p.map((c) => Math.round(c * 10)).join(",");
  const uniqIdx: number[] = [];
  const seen = new Set<string>();
  last.positions.forEach((p, i) => {
    const kk = key(p);
    if (!seen.has(kk)) {
      seen.add(kk);
      uniqIdx.push(i);
    }
  });
  const probabilityWeighted = new Array<number>(D).fill(0);
  let pSum = 0;
  let best = uniqIdx[0];
  for (const u of uniqIdx) {
    pSum += last.winProb[u];
    if (last.winProb[u] > last.winProb[best]) best = u;
  }
  for (const u of uniqIdx)
    for (let k = 0; k < D; k++) probabilityWeighted[k] += (last.winProb[u] * last.positions[u][k]) / pSum;
  const compromise = new Array<number>(D).fill(0).map((_, k) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < N; i++) {
      num += cap[i] * sal[i][k] * last.positions[i][k];
      den += cap[i] * sal[i][k];
    }
    return den > 0 ? num / den : last.positions.reduce((s, p) => s + p[k], 0) / N;
  });
  return {
    positions: last.positions,
    winProb: last.winProb,
    probabilityWeighted,
    mostLikely: [...last.positions[best]],
    compromise,
  };
}

/** Plain-words account of one turn (for reports). */
export function describeKtabTurn(r: KtabResult, t: number): string[] {
  const s = r.states[t];
  const nm = (i: number) => r.names[i];
  const out: string[] = [];
  for (const c of s.challenges ?? [])
    out.push(
      `Turn ${t}: ${nm(c.initiator)} challenges ${nm(c.target)} (expected gain ${c.gain.toFixed(3)}, ` +
        `P[win] ${c.probInitiator.toFixed(3)} by its own estimate, ${c.probTarget.toFixed(3)} by the target's).`,
    );
  for (const ch of s.choices ?? []) {
    if (ch.chosen < 0) continue;
    const b = s.bargains?.find((x) => x.id === ch.chosen);
    if (!b) continue;
    const pos = b.initiator === ch.actor ? b.initiatorPosition : b.receiverPosition;
    out.push(
      `Turn ${t}: ${nm(ch.actor)} accepts the bargain between ${nm(b.initiator)} and ${nm(b.receiver)} and moves to (${pos.map((v) => v.toFixed(1)).join(", ")}).`,
    );
  }
  return out;
}
