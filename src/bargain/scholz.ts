/**
 * Expected-utility model of Bueno de Mesquita as reconstructed by Scholz, Calbert & Smith (2011),
 * "Unravelling Bueno De Mesquita's group decision model", Journal of Theoretical Politics 23(4): 510–531.
 * Round by round: risk exponents from each actor's danger, expected utilities of challenges, BDM's
 * quadrant classification (confrontation, compromise, capitulation), one offer accepted per actor,
 * simultaneous moves.
 *
 * Defaults reproduce the open replication of Scholz's code (jmckib/bdm-scholz-expected-utility-model,
 * which matches the published EC tables): Scholz's probability denominator over all (voter, a, b) triples,
 * the unreachable capitulation branch, and compromises ranked by the |EU|-weighted mean of the two
 * positions. Each of these is an explicit, named option with the paper's reading as the alternative.
 * Deliberately different: the (1 − Q)[T·U_b + (1 − T)·U_w] term is implemented (the reference code drops
 * it, which is the same when Q = 1); equal dangers give R = 0 instead of a division by zero; an issue on
 * which all actors agree is returned unchanged.
 */
import { weightedMedian } from "./baselines.js";
import { checkIssueActors, type EngineStamp, type IssueActor } from "./types.js";

export const SCHOLZ_VERSION = "scholz-eum/1.0.0";

/**
 * - `scholz-code`: Σ_k [v_k(i,j)]⁺ / Σ_k Σ_a Σ_b |v_k(a,b)| (reproduces the published runs);
 * - `paper`: Σ_k [v_k(i,j)]⁺ / Σ_k |v_k(i,j)| (P_ij + P_ji = 1);
 * - `net-vote`: max(0, Σ_k v_k(i,j)) / Σ_k |v_k(i,j)| (dmasad's replication).
 */
export type ScholzProbability = "scholz-code" | "paper" | "net-vote";

export interface ScholzOptions {
  rounds: number;
  /** Probability that the status quo persists absent a challenge. */
  Q: number;
  /** Probability that a changing status quo moves toward the challenger (used only when Q < 1). */
  T: number;
  probability: ScholzProbability;
  /** `scholz-code`: the capitulation test never fires (as in the reference code); `paper`: it does. */
  capitulation: "scholz-code" | "paper";
  /** `scholz-code`: compromise with the lowest |EU|-weighted mean position; `least-move`: nearest offer. */
  compromiseChoice: "scholz-code" | "least-move";
  /** `scholz`: risk exponents from dangers compared across actors each round; `neutral`: r = 1 always. */
  risk: "scholz" | "neutral";
  /** `moves`: only accepted offers per round; `full`: also every pair's perceived (EU_ij, EU_ji). */
  audit: "moves" | "full";
}

export const SCHOLZ_DEFAULTS: ScholzOptions = {
  rounds: 10,
  Q: 1,
  T: 1,
  probability: "scholz-code",
  capitulation: "scholz-code",
  compromiseChoice: "scholz-code",
  risk: "scholz",
  audit: "moves",
};

export type OfferType = "confrontation" | "compromise" | "capitulation";

export interface ScholzMove {
  /** Actor who accepts the offer and moves. */
  actor: string;
  type: OfferType;
  /** Actor whose position the offer refers to. */
  with: string;
  /** The mover's own estimate of EU(mover challenges other). */
  euSelf: number;
  /** The mover's estimate of EU(other challenges mover). */
  euOther: number;
  from: number;
  to: number;
}

/** Quadrant of BDM's chart, from `actor`'s point of view: x = EU(actor→other), y = EU(other→actor). */
export type Quadrant =
  | "confrontation-lose"
  | "confrontation-win"
  | "compromise-give"
  | "compromise-get"
  | "capitulation-give"
  | "capitulation-get"
  | "stalemate"
  | "none";

export interface ScholzPerception {
  actor: string;
  other: string;
  euSelf: number;
  euOther: number;
  quadrant: Quadrant;
}

export interface ScholzRound {
  round: number;
  /** Risk exponents r_i used in this round. */
  risk: number[];
  /** Dangers Σ_j EU^i(j→i) at r = 1 that produced them. */
  danger: number[];
  moves: ScholzMove[];
  perceptions?: ScholzPerception[];
  /** Positions after the round. */
  positions: number[];
  mean: number;
  median: number;
}

export interface ScholzResult extends EngineStamp {
  method: "scholz-eum";
  options: ScholzOptions;
  names: string[];
  range: number;
  initial: { positions: number[]; mean: number; median: number };
  rounds: ScholzRound[];
  /** Forecast: weighted mean and median after the last round. */
  forecast: { mean: number; median: number };
}

function meanOf(c: number[], s: number[], x: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += c[i] * s[i] * x[i];
    den += c[i] * s[i];
  }
  return den > 0 ? num / den : x.reduce((a, b) => a + b, 0) / x.length;
}

function medianOf(names: string[], c: number[], s: number[], x: number[]): number {
  return weightedMedian(
    x.map((position, i) => ({ name: names[i], clout: c[i], salience: s[i], position })),
    { weightRule: "clout-x-salience", tie: "lower" },
  ).position;
}

/** Runs the Scholz et al. expected-utility model. Positions may be on any scale. */
export function scholzEum(actors: readonly IssueActor[], options: Partial<ScholzOptions> = {}): ScholzResult {
  checkIssueActors(actors);
  const opt: ScholzOptions = { ...SCHOLZ_DEFAULTS, ...options };
  if (!(Number.isInteger(opt.rounds) && opt.rounds >= 0))
    throw new Error("scholzEum: rounds must be an integer ≥ 0");
  if (!(opt.Q >= 0 && opt.Q <= 1 && opt.T >= 0 && opt.T <= 1))
    throw new Error("scholzEum: Q and T must be in [0,1]");
  const n = actors.length;
  const names = actors.map((a) => a.name);
  const c = actors.map((a) => a.clout);
  const s = actors.map((a) => a.salience);
  const x = actors.map((a) => a.position);
  const range = Math.max(...x) - Math.min(...x);
  const initial = { positions: [...x], mean: meanOf(c, s, x), median: medianOf(names, c, s, x) };
  const rounds: ScholzRound[] = [];
  if (range === 0 || n < 2) {
    return {
      engine: "scholz-eum",
      version: SCHOLZ_VERSION,
      method: "scholz-eum",
      options: opt,
      names,
      range,
      initial,
      rounds,
      forecast: { mean: initial.mean, median: initial.median },
    };
  }

  // vote of k for a over b with exponent rk
  const vote = (k: number, xa: number, xb: number, rk: number): number =>
    c[k] * s[k] * ((Math.abs(x[k] - xb) / range) ** rk - (Math.abs(x[k] - xa) / range) ** rk);

  /** Probability machinery for one set of exponents r (Scholz's denominator is cached). */
  const makeProb = (r: number[]) => {
    let allVotes = 0;
    if (opt.probability === "scholz-code") {
      for (let k = 0; k < n; k++)
        for (let a = 0; a < n; a++)
          for (let b = 0; b < n; b++) allVotes += Math.abs(vote(k, x[a], x[b], r[k]));
    }
    const cache = new Map<number, number>();
    return (i: number, j: number): number => {
      if (x[i] === x[j]) return 0;
      const key = i * n + j;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      let pos = 0;
      let abs = 0;
      let net = 0;
      for (let k = 0; k < n; k++) {
        const v = vote(k, x[i], x[j], r[k]);
        pos += Math.max(0, v);
        abs += Math.abs(v);
        net += v;
      }
      let p: number;
      if (opt.probability === "scholz-code") p = allVotes > 0 ? pos / allVotes : 0;
      else if (abs === 0) p = 0.5;
      else p = opt.probability === "paper" ? pos / abs : Math.max(0, net) / abs;
      cache.set(key, p);
      return p;
    };
  };

  /** EU of i challenging j as estimated with exponent rh (the estimator's own). */
  const eu = (
    prob: (i: number, j: number) => number,
    rh: number,
    i: number,
    j: number,
    mu: number,
  ): number => {
    const dij = Math.abs(x[i] - x[j]) / range;
    const p = prob(i, j);
    const us = 2 - 4 * (0.5 - 0.5 * dij) ** rh;
    const uf = 2 - 4 * (0.5 + 0.5 * dij) ** rh;
    const usq = 2 - 4 * 0.5 ** rh;
    const eResist = s[j] * (p * us + (1 - p) * uf);
    const eNotResist = (1 - s[j]) * us;
    let value = eResist + eNotResist - opt.Q * usq;
    if (opt.Q < 1) {
      const m = (Math.abs(x[i] - mu) + dij * range) / range;
      const ub = 2 - 4 * (0.5 - 0.25 * m) ** rh;
      const uw = 2 - 4 * (0.5 + 0.25 * m) ** rh;
      value -= (1 - opt.Q) * (opt.T * ub + (1 - opt.T) * uw);
    }
    return value;
  };

  for (let round = 1; round <= opt.rounds; round++) {
    const mu = medianOf(names, c, s, x);
    // risk exponents: dangers at r = 1
    const ones = new Array<number>(n).fill(1);
    const prob1 = makeProb(ones);
    const danger = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j !== i) danger[i] += eu(prob1, 1, j, i, mu);
    let r = ones;
    if (opt.risk === "scholz") {
      const dMax = Math.max(...danger);
      const dMin = Math.min(...danger);
      r = danger.map((d) => {
        const R = dMax > dMin ? (2 * d - dMax - dMin) / (dMax - dMin) : 0;
        return (1 - R / 3) / (1 + R / 3);
      });
    }
    const prob = makeProb(r);
    const moves: ScholzMove[] = [];
    const perceptions: ScholzPerception[] | undefined = opt.audit === "full" ? [] : undefined;
    const next = [...x];
    for (let i = 0; i < n; i++) {
      let bestConf: { m: ScholzMove; key: number } | undefined;
      let bestComp: { m: ScholzMove; key: number } | undefined;
      let bestCap: { m: ScholzMove; key: number } | undefined;
      for (let j = 0; j < n; j++) {
        if (j === i || x[j] === x[i]) continue;
        const eij = eu(prob, r[i], i, j, mu);
        const eji = eu(prob, r[i], j, i, mu);
        let type: OfferType | undefined;
        let to = x[i];
        if (eji > eij && eij > 0) {
          type = "confrontation";
          to = x[j];
        } else if (eji > 0 && 0 > eij && eji > Math.abs(eij)) {
          type = "compromise";
          to = x[i] + (x[j] - x[i]) * Math.abs(eij / eji);
        } else if (opt.capitulation === "paper" && eji > 0 && 0 > eij && eji < Math.abs(eij)) {
          type = "capitulation";
          to = x[j];
        }
        if (perceptions)
          perceptions.push({
            actor: names[i],
            other: names[j],
            euSelf: eij,
            euOther: eji,
            quadrant: quadrant(eij, eji),
          });
        if (!type) continue;
        const m: ScholzMove = {
          actor: names[i],
          type,
          with: names[j],
          euSelf: eij,
          euOther: eji,
          from: x[i],
          to,
        };
        const move = Math.abs(x[i] - to);
        if (type === "confrontation") {
          if (!bestConf || move < bestConf.key) bestConf = { m, key: move };
        } else if (type === "compromise") {
          const key =
            opt.compromiseChoice === "scholz-code"
              ? (Math.abs(eij) * x[i] + Math.abs(eji) * x[j]) / (Math.abs(eij) + Math.abs(eji))
              : move;
          if (!bestComp || key < bestComp.key) bestComp = { m, key };
        } else if (!bestCap || move < bestCap.key) bestCap = { m, key: move };
      }
      const chosen = bestConf ?? bestComp ?? bestCap;
      if (chosen) {
        moves.push(chosen.m);
        next[i] = chosen.m.to;
      }
    }
    for (let i = 0; i < n; i++) x[i] = next[i];
    rounds.push({
      round,
      risk: r,
      danger,
      moves,
      ...(perceptions ? { perceptions } : {}),
      positions: [...x],
      mean: meanOf(c, s, x),
      median: medianOf(names, c, s, x),
    });
  }
  const last = rounds[rounds.length - 1] ?? { mean: initial.mean, median: initial.median };
  return {
    engine: "scholz-eum",
    version: SCHOLZ_VERSION,
    method: "scholz-eum",
    options: opt,
    names,
    range,
    initial,
    rounds,
    forecast: { mean: last.mean, median: last.median },
  };
}

/** BDM quadrant of the point (EU_self, EU_other) seen by the actor. */
export function quadrant(eSelf: number, eOther: number): Quadrant {
  if (eSelf > 0 && eOther > 0) return eOther > eSelf ? "confrontation-lose" : "confrontation-win";
  if (eOther > 0 && eSelf < 0) return eOther > -eSelf ? "compromise-give" : "capitulation-give";
  if (eSelf > 0 && eOther < 0) return eSelf > -eOther ? "compromise-get" : "capitulation-get";
  if (eSelf < 0 && eOther < 0) return "stalemate";
  return "none";
}

/** Plain-words account of one round (for reports). */
export function describeScholzRound(r: ScholzRound): string[] {
  if (r.moves.length === 0) return [`Round ${r.round}: nobody moves.`];
  return r.moves.map((m) => {
    const verb =
      m.type === "confrontation"
        ? `expects to lose a confrontation with ${m.with} and adopts its position`
        : m.type === "compromise"
          ? `compromises with ${m.with}`
          : `capitulates to ${m.with}`;
    return `Round ${r.round}: ${m.actor} ${verb} (EU self ${m.euSelf.toFixed(3)}, EU other ${m.euOther.toFixed(3)}): ${m.from.toFixed(2)} → ${m.to.toFixed(2)}.`;
  });
}
