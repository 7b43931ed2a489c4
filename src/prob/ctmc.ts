// Continuous-time dynamics of a cross-impact model: asynchronous logit dynamics in calendar time.
//
// Each movable factor j has a clock that ticks at its rate λ_j (revisits per day, set in the
// model's `dynamics.tempo`): when it ticks, the factor's owner reconsiders it and picks state l
// with the logit (Gibbs) probability
//
//     π_j(l | z) = exp(β_j θ_jl(z)) / Σ_m exp(β_j θ_jm(z)),   θ_jl(z) = Σ_{i≠j} C[(i, z_i), (j, l)],
//
// θ being the CIB impact balance of state l given the other factors' states. So the chain moves
// from z to z with j set to l ≠ z_j at rate λ_j π_j(l | z): a continuous-time Markov chain
// (Blume 1993, "The statistical mechanics of strategic interaction", Games Econ. Behav. 5:387–424,
// asynchronous logit dynamics; the CIB succession's "one factor at a time" in calendar time). As
// β → ∞ a tick moves a factor to its best response only, and the absorbing scenarios are the CIB
// consistent ones (Weimer-Jehle 2006, Technol. Forecast. Soc. Change 73:334–361).
//
// Simulation is exact (no time step): the clocks together tick at the constant total rate
// Λ = Σ_j λ_j, so the waiting time to the next tick is exponential with rate Λ and the tick
// belongs to factor j with probability λ_j / Λ; a tick that picks the current state changes
// nothing. This is the uniformised form of the chain (Jensen 1953; Gillespie 1977's direct
// method on the same chain gives the same law). Shocks with a per-step probability p become
// Poisson events of rate −ln(1 − p) / (days of a step); shocks `at` step k happen at that
// step's date.
//
// Uncertainty is integrated: every `runsPerMatrix` runs (one cluster) draw the judgments (as the
// stepwise engine does), each factor's rate and β from their stated priors: a split log-normal
// with median at the stated value whose 5 % and 95 % quantiles are the stated range's ends.
// Results are tallied on the reporting grid (the dates of the model's steps) exactly: the state
// at each grid instant, and the first instant each condition holds.
import { fromState, type Rng } from "../random.js";
import { type ChunkResult, type ChunkTask, factorSpread, runChunk, sampleMatrix } from "./chunk.js";
import { ClusterTally } from "./cluster.js";
import type { Path } from "./path.js";
import type { ChainSpec } from "./spec.js";

/** z of the 95 % quantile of the standard normal: a stated 90 % range's ends are at ±Z90. */
const Z90 = 1.6448536269514722;

/**
 * A draw from the split log-normal with median `mid` and 5 %/95 % quantiles `lo`/`hi`
 * (lo ≤ mid ≤ hi, all > 0): mid · (lo/mid)^(−u/Z90) below the median, (hi/mid)^(u/Z90) above,
 * u standard normal.
 */
export function drawPositive(mid: number, lo: number, hi: number, g: Rng): number {
  const u = g.normal();
  return u < 0 ? mid * (mid / lo) ** (u / Z90) : mid * (hi / mid) ** (u / Z90);
}

/**
 * The state factor j takes when its owner reconsiders it in scenario z: l with probability
 * ∝ exp(β θ_jl(z)) (θ: impact balance from the other factors); β = ∞ picks among the best
 * responses with equal probability. `w` is scratch space (at least the factor's state count).
 */
export function logitChoice(
  spec: Pick<ChainSpec, "nFactors" | "counts" | "offsets" | "size">,
  matrix: Int32Array,
  beta: number,
  j: number,
  z: Int32Array,
  w: Float64Array,
  g: Rng,
): number {
  const sum = logitWeights(spec, matrix, beta, j, z, w);
  let v = g.next() * sum;
  let l = 0;
  while (l < spec.counts[j] - 1 && v >= w[l]) v -= w[l++];
  return l;
}

/**
 * The unnormalised logit weights exp(β (θ_jl(z) − max θ)) of factor j's states into `w`
 * (β = ∞: 1 for the best responses, 0 otherwise), and their sum.
 */
export function logitWeights(
  spec: Pick<ChainSpec, "nFactors" | "counts" | "offsets" | "size">,
  matrix: Int32Array,
  beta: number,
  j: number,
  z: ArrayLike<number>,
  w: Float64Array,
): number {
  const { nFactors: n, counts, offsets, size: m } = spec;
  const a = offsets[j];
  let best = Number.NEGATIVE_INFINITY;
  for (let l = 0; l < counts[j]; l++) {
    let th = 0;
    for (let i = 0; i < n; i++) if (i !== j) th += matrix[(offsets[i] + z[i]) * m + a + l];
    w[l] = th;
    if (th > best) best = th;
  }
  let sum = 0;
  for (let l = 0; l < counts[j]; l++) {
    w[l] = Number.isFinite(beta) ? Math.exp(beta * (w[l] - best)) : w[l] === best ? 1 : 0;
    sum += w[l];
  }
  return sum;
}

/** Index of the first grid point ≥ t (grid ascending; grid.length when t is past the end). */
function gridIndex(grid: Float64Array, t: number): number {
  let lo = 0;
  let hi = grid.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function runCtmcChunk(task: ChunkTask): ChunkResult {
  const { spec, runs } = task;
  const g = fromState(task.stream);
  const { nFactors: n, offsets, counts, size: m, steps: K, fixed, start, movable } = spec;
  const grid = spec.grid as Float64Array;
  const T = grid[K];
  const conds = spec.conditions;
  const nq = conds.length;

  const stateCounts = new Float64Array((K + 1) * m);
  const firstHit = conds.map(() => new Float64Array(K + 1));
  const holds = conds.map(() => new Float64Array(K + 1));
  const pathMaps = conds.map(() => new Map<string, number>());
  const endMap = new Map<string, number>();
  const paths: Path[] | undefined = spec.recordPaths ? [] : undefined;
  const records = spec.record ? new Int8Array(runs * (K + 1) * n) : undefined;
  const clusters = spec.runsPerMatrix > 0 && hasDraws(spec) ? new ClusterTally(K, m, nq) : null;

  const base = spec.matrix;
  let matrix = base;
  const drawn = spec.spread ? new Int32Array(base.length) : null;
  const rates = Float64Array.from(spec.rates as Float64Array);
  const beta = Float64Array.from(spec.beta);
  let matrices = 0;
  let moves = 0;

  // Shocks: Poisson clocks (per-step probability → rate per day) and scheduled ones.
  const stepDays = K > 0 ? T / K : 30.436875;
  const poisson = spec.shocks
    .map((s, q) => ({ q, rate: s.at === undefined ? -Math.log(1 - (s.probability ?? 0)) / stepDays : 0 }))
    .filter((x) => x.rate > 0 && Number.isFinite(x.rate));
  const scheduled = spec.shocks
    .map((s, q) => ({ q, t: s.at !== undefined ? grid[Math.min(K, s.at)] : Number.NaN }))
    .filter((x) => Number.isFinite(x.t) && x.t <= T)
    .sort((a, b) => a.t - b.t || a.q - b.q);

  const z = new Int32Array(n);
  const w = new Float64Array(Math.max(...counts));
  const hitAt = new Int32Array(nq);
  // Loop-erased path to each condition's first hit: stack of (factor, state, scenario key).
  const stack: { f: number; s: number; key: string }[] = [];
  const scenarioKey = () => z.join(",");
  let pTimes: number[] = [];
  let pFactors: number[] = [];
  let pStates: number[] = [];

  const conditionHolds = (q: number) => {
    const c = conds[q];
    for (let p = 0; p < c.factors.length; p++) if (z[c.factors[p]] !== c.states[p]) return false;
    return true;
  };
  const pathKey = () => stack.map((e) => `${e.f}:${e.s}`).join(">");
  const pushPath = (f: number, s: number) => {
    const key = scenarioKey();
    const at = stack.findIndex((e) => e.key === key);
    if (at >= 0) stack.length = at + 1;
    else if (start.join(",") === key) stack.length = 0;
    else stack.push({ f, s, key });
  };
  const checkFirst = (k: number) => {
    for (let q = 0; q < nq; q++) {
      if (hitAt[q] >= 0 || !conditionHolds(q)) continue;
      hitAt[q] = k;
      firstHit[q][k]++;
      if (clusters) clusters.first[q][k]++;
      if (spec.paths) {
        const key = pathKey();
        pathMaps[q].set(key, (pathMaps[q].get(key) ?? 0) + 1);
      }
    }
  };
  // The impact balance θ of every state, kept up to date as factors change (O(M) per change),
  // and per factor a table of exp(−β_j d) for the integer shortfalls d a state can have behind
  // the best one: a tick then costs a few look-ups. Exactly the numbers logitChoice computes.
  const theta = new Int32Array(m);
  const fillTheta = () => {
    theta.fill(0);
    for (let i = 0; i < n; i++) {
      const row = (offsets[i] + z[i]) * m;
      for (let c = 0; c < m; c++) theta[c] += matrix[row + c];
    }
  };
  let tabs: (Float64Array | null)[] = [];
  const setTables = () => {
    tabs = Array.from({ length: n }, (_, j) => {
      if (!movable[j] || !Number.isFinite(beta[j])) return null;
      // The largest spread of θ over j's states (its own rows excluded, as in logitChoice).
      const d = factorSpread(spec, matrix, j, true);
      if (beta[j] * d > 700 || d > 100_000) return null;
      return Float64Array.from({ length: d + 1 }, (_, k) => Math.exp(-beta[j] * k));
    });
  };
  const tick = (j: number): number => {
    const tab = tabs[j];
    if (!tab) return logitChoice(spec, matrix, beta[j], j, z, w, g);
    const a = offsets[j];
    const own = (a + z[j]) * m + a;
    let best = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < counts[j]; l++) {
      const v = theta[a + l] - matrix[own + l];
      w[l] = v;
      if (v > best) best = v;
    }
    let sum = 0;
    for (let l = 0; l < counts[j]; l++) {
      w[l] = tab[best - w[l]];
      sum += w[l];
    }
    let v = g.next() * sum;
    let l = 0;
    while (l < counts[j] - 1 && v >= w[l]) v -= w[l++];
    return l;
  };

  const change = (t: number, f: number, s: number, bySuccession: boolean) => {
    const from = (offsets[f] + z[f]) * m;
    const to = (offsets[f] + s) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[to + c] - matrix[from + c];
    z[f] = s;
    if (bySuccession) moves++;
    if (spec.paths && nq > 0) pushPath(f, s);
    if (paths) {
      pTimes.push(t);
      pFactors.push(f);
      pStates.push(s);
    }
    if (nq > 0) checkFirst(gridIndex(grid, t));
  };

  let totalRate = 0;
  const setRates = () => {
    totalRate = 0;
    for (let j = 0; j < n; j++) if (movable[j]) totalRate += rates[j];
    for (const p of poisson) totalRate += p.rate;
  };
  setRates();
  setTables();

  for (let r = 0; r < runs; r++) {
    // A new cluster: draw the judgments, the rates and β.
    if (clusters && r % spec.runsPerMatrix === 0) {
      if (r > 0) clusters.flush();
      if (drawn) {
        matrix = sampleMatrix(base, spec.spread as Float64Array, spec.scale, g, drawn);
        matrices++;
      }
      if (spec.rateRange)
        for (let j = 0; j < n; j++)
          rates[j] = drawPositive(
            (spec.rates as Float64Array)[j],
            spec.rateRange[2 * j],
            spec.rateRange[2 * j + 1],
            g,
          );
      if (spec.betaRange)
        for (let j = 0; j < n; j++)
          beta[j] = drawPositive(spec.beta[j], spec.betaRange[2 * j], spec.betaRange[2 * j + 1], g);
      setRates();
      setTables();
    }
    z.set(start);
    fillTheta();
    stack.length = 0;
    if (paths) {
      pTimes = [];
      pFactors = [];
      pStates = [];
    }
    if (nq > 0) {
      hitAt.fill(-1);
      checkFirst(0);
    }
    let k = 0; // next grid point to record
    let next = 0; // next scheduled shock
    let t = 0;
    const record = (until: number) => {
      // Record the state at every grid instant < until (the state holds up to the next change).
      while (k <= K && grid[k] < until) {
        const row = k * m;
        for (let i = 0; i < n; i++) stateCounts[row + offsets[i] + z[i]]++;
        if (records) records.set(z, (r * (K + 1) + k) * n);
        if (clusters) for (let i = 0; i < n; i++) clusters.state[row + offsets[i] + z[i]]++;
        for (let q = 0; q < nq; q++)
          if (conditionHolds(q)) {
            holds[q][k]++;
            if (clusters) clusters.holds[q][k]++;
          }
        k++;
      }
    };
    for (;;) {
      const dt = totalRate > 0 ? -Math.log(1 - g.next()) / totalRate : Number.POSITIVE_INFINITY;
      const tShock = next < scheduled.length ? scheduled[next].t : Number.POSITIVE_INFINITY;
      if (tShock <= t + dt && tShock <= T) {
        // A scheduled shock comes first: the exponential clocks are memoryless, so the next
        // tick is drawn afresh from the shock's instant.
        record(tShock);
        t = tShock;
        const sh = spec.shocks[scheduled[next].q];
        next++;
        if (fixed[sh.factor] < 0 && z[sh.factor] !== sh.state) change(t, sh.factor, sh.state, false);
        continue;
      }
      if (t + dt > T) break;
      t += dt;
      record(t);
      // Whose clock ticked?
      let u = g.next() * totalRate;
      let j = -1;
      for (let i = 0; i < n && j < 0; i++) {
        if (!movable[i]) continue;
        if (u < rates[i]) j = i;
        else u -= rates[i];
      }
      if (j < 0) {
        // A Poisson shock.
        for (const p of poisson) {
          if (u < p.rate) {
            const sh = spec.shocks[p.q];
            if (fixed[sh.factor] < 0 && z[sh.factor] !== sh.state) change(t, sh.factor, sh.state, false);
            break;
          }
          u -= p.rate;
        }
        continue;
      }
      // Factor j reconsiders: logit choice over its states by impact balance.
      const l = tick(j);
      if (l !== z[j]) change(t, j, l, true);
    }
    record(Number.POSITIVE_INFINITY);
    const key = scenarioKey();
    endMap.set(key, (endMap.get(key) ?? 0) + 1);
    if (paths)
      paths.push({
        start: Int32Array.from(start),
        times: Float64Array.from(pTimes),
        factors: Int32Array.from(pFactors),
        states: Int32Array.from(pStates),
        length: pTimes.length,
        end: T,
      });
    if (clusters) clusters.runs++;
  }
  if (clusters) clusters.flush();
  return {
    chunk: task.chunk,
    runs,
    stateCounts,
    firstHit,
    holds,
    paths: pathMaps.map((mp) => [...mp.entries()]),
    ends: [...endMap.entries()],
    matrices,
    moves,
    records,
    cluster: clusters?.sums(),
    pathRecords: paths,
  };
}

/** Whether runs are drawn in clusters (judgment, rate or β uncertainty). */
export function hasDraws(spec: ChainSpec): boolean {
  return spec.spread !== null || !!spec.rateRange || !!spec.betaRange;
}

/** One chunk of runs in the spec's mode: continuous time, or the stepwise succession. */
export function simulateChunk(task: ChunkTask): ChunkResult {
  return task.spec.mode === "continuous" ? runCtmcChunk(task) : runChunk(task);
}
