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

/** Runs KTAB's SMP on a scenario (positions and saliences on 0–100). */
export function ktabSmp(scenario: SpatialScenario, options: Partial<KtabOptions> = {}): KtabResult {
  validate(scenario);
  const opt: KtabOptions = { ...KTAB_DEFAULTS, ...options };
  const N = scenario.actors.length;
  const D = scenario.dimensions.length;
  const cap = Float64Array.from(scenario.actors.map((a) => a.capability));
  const sal = scenario.actors.map((a) => Float64Array.from(a.salience.map((s) => s / 100)));
  const salSq = sal.map((s) => s.reduce((t, v) => t + v * v, 0));
  const S = Float64Array.from(sal.map((s) => s.reduce((t, v) => t + v, 0)));
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
  const rng = makeRng(opt.seed);
  const warnings: string[] = [];
  const warn = (w: string) => {
    if (!warnings.includes(w)) warnings.push(w);
  };

  let x: Float64Array[] = scenario.actors.map((a) => Float64Array.from(a.position.map((p) => p / 100)));
  let theta: Float64Array[] = x.map((p) => Float64Array.from(p));
  const states: KtabTurn[] = [];
  let d1 = 0;
  let stopReason: KtabResult["stopReason"] = "max-turns";
  let nextBargainId = 0;

  const estR = (rh: number, ri: number): number => {
    switch (opt.bigRAdjust) {
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
  };

  // distance of actor i's ideal to a point y
  const distTo = (i: number, y: ArrayLike<number>): number => {
    if (salSq[i] <= 0) return 0;
    let s = 0;
    const th = theta[i];
    const si = sal[i];
    for (let k = 0; k < D; k++) {
      const t = si[k] * (th[k] - y[k]);
      s += t * t;
    }
    return Math.sqrt(s / salSq[i]);
  };

  for (let t = 0; ; t++) {
    // ---- assess the state: distances, risk attitudes, utilities
    const vd = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) vd[i * N + j] = distTo(i, x[j]);
    const riskPce = scalarPce(
      N,
      N,
      cap,
      (k, a) => 1 - vd[k * N + a],
      opt.votingRule,
      opt.victoryProbModel,
      opt.pceModel,
    );
    if (!riskPce.converged)
      warn(`turn ${t}: Markov PCE for risk attitudes did not converge in 1000 iterations`);
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
    } else warn(`turn ${t}: all positions equally likely; risk attitudes set to 0 (KTAB aborts here)`);
    // rhi[h*N+i] = h's estimate of i's risk attitude
    const rhi = new Float64Array(N * N);
    for (let h = 0; h < N; h++) for (let i = 0; i < N; i++) rhi[h * N + i] = estR(R[h], R[i]);
    const U = (h: number, i: number, j: number): number => bsUtil(vd[i * N + j], rhi[h * N + i]);
    const own = (i: number, j: number): number => bsUtil(vd[i * N + j], R[i]);

    // ---- outcome probabilities over unique positions
    const uniq: number[] = [];
    const eq = (a: number, b: number): boolean => {
      let s = 0;
      for (let k = 0; k < D; k++) s += (x[a][k] - x[b][k]) ** 2;
      return Math.sqrt(s) < 1e-3;
    };
    for (let i = 0; i < N; i++) if (!uniq.some((u) => eq(i, u))) uniq.push(i);
    const up = scalarPce(
      N,
      uniq.length,
      cap,
      (k, a) => own(k, uniq[a]),
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
    const turn: KtabTurn = {
      turn: t,
      positions: x.map((v) => Array.from(v, (c) => c * 100)),
      ideals: theta.map((v) => Array.from(v, (c) => c * 100)),
      risk: Array.from(R),
      winProb,
    };
    states.push(turn);

    // ---- stopping rule (evaluated on the state just produced)
    if (t >= 1) {
      let dt = 0;
      const prev = states[t - 1].positions;
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let k = 0; k < D; k++) s += (x[i][k] - prev[i][k] / 100) ** 2;
        dt += Math.sqrt(s);
      }
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

    // ---- challenges
    const probEdu = (h: number, k: number, i: number, j: number): [number, number] => {
      const contribI = vote(opt.votingRule, S[i] * cap[i], U(h, i, i), U(h, i, j));
      const contribJ = vote(opt.votingRule, S[j] * cap[j], U(h, j, i), U(h, j, j));
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
        const wn = S[n] * cap[n];
        const uni = U(h, n, i);
        const unj = U(h, n, j);
        const unn = U(h, n, n);
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
        const vn = vote(opt.votingRule, wn, euJoinI, euJoinJ);
        if (vn > 0) cij += vn;
        if (vn < 0) cji -= vn;
      }
      const phij = cij / (cij + cji);
      const ukI = U(h, k, i);
      const ukJ = U(h, k, j);
      const euSQ = ukI + ukJ;
      const euVict = 2 * ukI;
      const euCntst = phij * 2 * ukI + (1 - phij) * 2 * ukJ;
      const euChlg = (1 - S[j]) * euVict + S[j] * euCntst;
      return [phij, euChlg - euSQ];
    };

    const challenges: KtabChallenge[] = [];
    const bargains: KtabBargain[] = [];
    const queue: number[][] = Array.from({ length: N }, () => []); // bargain indices per actor
    const interp = (i: number, j: number, pI: number, pJ: number): [Float64Array, Float64Array] => {
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
    };
    const bargainPos: { init: Float64Array; rcvr: Float64Array; i: number; j: number }[] = [];
    const addBargain = (
      i: number,
      j: number,
      kind: KtabBargain["kind"],
      bi: Float64Array,
      bj: Float64Array,
    ) => {
      const id = nextBargainId++;
      bargains.push({
        id,
        initiator: i,
        receiver: j,
        kind,
        initiatorPosition: Array.from(bi, (c) => c * 100),
        receiverPosition: Array.from(bj, (c) => c * 100),
      });
      bargainPos.push({ init: bi, rcvr: bj, i, j });
      return bargains.length - 1;
    };
    const pending: { i: number; idx: number[] }[] = [];
    for (let i = 0; i < N; i++) {
      let bestJ = -1;
      let bestEU = -1;
      let bestP = 0;
      for (let j = 0; j < N; j++) {
        if (j === i) continue;
        const [pij, edu] = probEdu(i, i, i, j);
        if (edu > 1e-5 && edu > bestEU) {
          bestJ = j;
          bestEU = edu;
          bestP = pij;
        }
      }
      if (bestJ < 0) continue;
      const j = bestJ;
      const pjiJ = probEdu(j, i, i, j)[0];
      challenges.push({ initiator: i, target: j, gain: bestEU, probInitiator: bestP, probTarget: pjiJ });
      const [iiI, iiJ] = interp(i, j, bestP, 1 - bestP);
      const idx: number[] = [];
      if (opt.bargnModel === "InitOnlyInterp") idx.push(addBargain(i, j, "initiator", iiI, iiJ));
      else {
        const [jiI, jiJ] = interp(i, j, pjiJ, 1 - pjiJ);
        if (opt.bargnModel === "InitRcvrInterp") {
          idx.push(addBargain(i, j, "initiator", iiI, iiJ));
          idx.push(addBargain(i, j, "receiver", jiI, jiJ));
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
          idx.push(addBargain(i, j, "compromise", bi, bj));
        }
      }
      pending.push({ i, idx });
    }
    // queues: SQ first, then bargains by initiator index
    for (const { i, idx } of pending) {
      for (const b of idx) {
        queue[i].push(b);
        queue[bargainPos[b].j].push(b);
      }
    }

    // ---- bargain resolution
    const rowOwn = new Float64Array(N); // Σ_m own(n, m)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let m = 0; m < N; m++) s += own(n, m);
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
            const bp = bargainPos[b];
            s = rowOwn[n] - own(n, bp.i) - own(n, bp.j);
            s += bsUtil(distTo(n, bp.init), R[n]) + bsUtil(distTo(n, bp.rcvr), R[n]);
          }
          u[n * nb + m] = s / N;
        }
      }
      const res = scalarPce(
        N,
        nb,
        cap,
        (n, m) => u[n * nb + m],
        opt.votingRule,
        opt.victoryProbModel,
        opt.pceModel,
      );
      if (!res.converged) warn(`turn ${t}: Markov PCE for a bargain election did not converge`);
      const m = pickOption(res.p, opt.stateTransitions, rng);
      const b = opts[m];
      if (b >= 0) {
        const bp = bargainPos[b];
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
    turn.challenges = challenges;
    turn.bargains = bargains;
    turn.choices = choices;

    // ---- new positions and ideals
    const newTheta = newX.map((pos, i) => {
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
    x = newX;
    theta = newTheta;
  }

  const last = states[states.length - 1];
  // final summaries over the distinct positions as reported (rounded to 0.1 on 0–100), probabilities
  // renormalised to sum 1 (this is how the reference figures in cases.json were computed)
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
    engine: "ktab-smp",
    version: KTAB_VERSION,
    method: "ktab-smp",
    options: opt,
    names: scenario.actors.map((a) => a.name),
    dimensions: [...scenario.dimensions],
    states,
    final: {
      positions: last.positions,
      winProb: last.winProb,
      probabilityWeighted,
      mostLikely: [...last.positions[best]],
      compromise,
    },
    stopReason,
    warnings,
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
