// Exact transient probabilities of the continuous-time dynamics (ctmc.ts) on small models, by
// uniformization (Jensen 1953, "Markoff chains as an aid in the study of Markoff processes",
// Skand. Aktuarietidskr. 36:87–91; Grassmann 1977, Oper. Res. 25:1000–1014):
//
//     p(t) = Σ_{k≥0} e^{−Λt} (Λt)^k / k! · p(0) P^k,   P = I + Q/Λ,   Λ ≥ max_z |Q(z, z)|,
//
// with the sum cut where the remaining Poisson mass is below `tol`. Q is the generator over all
// scenarios: z → z with j set to l ≠ z_j at rate λ_j π_j(l | z) (logit choice, ctmc.ts). The
// probability that a condition has held by t comes from the same chain with the condition's
// scenarios made absorbing. The state space is the product of the factors' state counts, so
// this is for checks and small models only (`maxScenarios`).
import { scenarioIndex, scenarioAt as scenarioStates } from "../cib/core.js";
import type { ChainSpec } from "./spec.js";

export interface TransientResult {
  /** Scenario probabilities at each grid time: p[k][index], index in mixed radix (factor 0 slowest). */
  p: Float64Array[];
  /** Per condition, P(it has held at some instant ≤ t_k). */
  reached: number[][];
  /** Per condition, P(it holds at t_k). */
  holds: number[][];
  scenarios: number;
}

/** The generator as a sparse list of off-diagonal rates per scenario, and the exit rates. */
export function generator(
  spec: ChainSpec,
  rates: Float64Array,
  beta: Float64Array,
  matrix: Int32Array = spec.matrix,
): { to: Int32Array[]; rate: Float64Array[]; exit: Float64Array; count: number } {
  const { nFactors: n, counts, offsets, size: m, movable } = spec;
  let count = 1;
  for (let i = 0; i < n; i++) count *= counts[i];
  const to: Int32Array[] = [];
  const rate: Float64Array[] = [];
  const exit = new Float64Array(count);
  const z = new Int32Array(n);
  const w = new Float64Array(Math.max(...counts));
  for (let x = 0; x < count; x++) {
    scenarioStates(counts, x, z);
    const ts: number[] = [];
    const rs: number[] = [];
    for (let j = 0; j < n; j++) {
      if (!movable[j]) continue;
      let best = Number.NEGATIVE_INFINITY;
      for (let l = 0; l < counts[j]; l++) {
        let th = 0;
        for (let i = 0; i < n; i++) if (i !== j) th += matrix[(offsets[i] + z[i]) * m + offsets[j] + l];
        w[l] = th;
        if (th > best) best = th;
      }
      let sum = 0;
      for (let l = 0; l < counts[j]; l++) {
        w[l] = Number.isFinite(beta[j]) ? Math.exp(beta[j] * (w[l] - best)) : w[l] === best ? 1 : 0;
        sum += w[l];
      }
      const cur = z[j];
      for (let l = 0; l < counts[j]; l++) {
        if (l === cur || w[l] === 0) continue;
        z[j] = l;
        ts.push(scenarioIndex(counts, z));
        rs.push((rates[j] * w[l]) / sum);
        exit[x] += (rates[j] * w[l]) / sum;
      }
      z[j] = cur;
    }
    to.push(Int32Array.from(ts));
    rate.push(Float64Array.from(rs));
  }
  return { to, rate, exit, count };
}

/** p(0)·e^{Qt} for each t in `times` (ascending), by uniformization with Poisson cut-off `tol`. */
function evolve(
  g: { to: Int32Array[]; rate: Float64Array[]; exit: Float64Array; count: number },
  p0: Float64Array,
  times: ArrayLike<number>,
  absorbing: Uint8Array | null,
  tol: number,
): Float64Array[] {
  const N = g.count;
  let L = 0;
  for (let x = 0; x < N; x++) if (!absorbing?.[x] && g.exit[x] > L) L = g.exit[x];
  if (L === 0) return Array.from(times, () => Float64Array.from(p0));
  const out: Float64Array[] = [];
  // Step through the times: p(t_k) = p(t_{k−1}) e^{Q(t_k − t_{k−1})}.
  let p: Float64Array = Float64Array.from(p0);
  let prev = 0;
  for (let k = 0; k < times.length; k++) {
    const dt = times[k] - prev;
    prev = times[k];
    if (dt > 0) p = uniformize(g, p, L * dt, L, absorbing, tol);
    out.push(Float64Array.from(p));
  }
  return out;
}

function uniformize(
  g: { to: Int32Array[]; rate: Float64Array[]; exit: Float64Array; count: number },
  p0: Float64Array,
  lt: number,
  L: number,
  absorbing: Uint8Array | null,
  tol: number,
): Float64Array {
  const N = g.count;
  const acc = new Float64Array(N);
  let v = Float64Array.from(p0);
  // Poisson weights in log space (no overflow for large Λt).
  let logw = -lt;
  let mass = 0;
  for (let k = 0; ; k++) {
    const wk = Math.exp(logw);
    for (let x = 0; x < N; x++) acc[x] += wk * v[x];
    mass += wk;
    if (1 - mass < tol && k > lt) break;
    if (k > lt + 50 * Math.sqrt(lt + 1) + 100) break;
    // v ← v P, P = I + Q/Λ.
    const next = new Float64Array(N);
    for (let x = 0; x < N; x++) {
      const vx = v[x];
      if (vx === 0) continue;
      if (absorbing?.[x]) {
        next[x] += vx;
        continue;
      }
      next[x] += vx * (1 - g.exit[x] / L);
      const ts = g.to[x];
      const rs = g.rate[x];
      for (let e = 0; e < ts.length; e++) next[ts[e]] += (vx * rs[e]) / L;
    }
    v = next;
    logw += Math.log(lt) - Math.log(k + 1);
  }
  return acc;
}

/**
 * Exact transient probabilities of the spec's continuous-time chain on its grid (spec.grid),
 * with the given rates and β (default the spec's). Shocks are not supported here.
 */
export function transient(
  spec: ChainSpec,
  opts: {
    rates?: Float64Array;
    beta?: Float64Array;
    matrix?: Int32Array;
    maxScenarios?: number;
    tol?: number;
  } = {},
): TransientResult {
  if (!spec.grid || !spec.rates) throw new Error("transient() needs a continuous-time spec (grid and rates)");
  if (spec.shocks.length) throw new Error("transient() does not model shocks");
  const counts = spec.counts;
  let count = 1;
  for (let i = 0; i < spec.nFactors; i++) count *= counts[i];
  if (count > (opts.maxScenarios ?? 20_000))
    throw new Error(`${count} scenarios: too many for exact transient probabilities`);
  const g = generator(spec, opts.rates ?? spec.rates, opts.beta ?? spec.beta, opts.matrix ?? spec.matrix);
  const tol = opts.tol ?? 1e-13;
  const p0 = new Float64Array(count);
  p0[scenarioIndex(counts, spec.start)] = 1;
  const p = evolve(g, p0, spec.grid, null, tol);
  const z = new Int32Array(spec.nFactors);
  const inCond = spec.conditions.map((c) => {
    const a = new Uint8Array(count);
    for (let x = 0; x < count; x++) {
      scenarioStates(counts, x, z);
      a[x] = c.factors.every((f, q) => z[f] === c.states[q]) ? 1 : 0;
    }
    return a;
  });
  const holds = inCond.map((a) => p.map((pk) => pk.reduce((s, v, x) => s + (a[x] ? v : 0), 0)));
  const reached = inCond.map((a) => {
    // Absorb on hitting: P(hit by t) = mass in the absorbing set at t.
    const pa = evolve(g, p0, spec.grid as Float64Array, a, tol);
    return pa.map((pk) => pk.reduce((s, v, x) => s + (a[x] ? v : 0), 0));
  });
  return { p, reached, holds, scenarios: count };
}

/**
 * p0·e^{Q·dt}: a distribution over scenarios (indexed as scenarioIndex) carried dt days forward
 * by the spec's continuous-time chain (no shocks), for the exact filtering checks.
 */
export function propagate(
  spec: ChainSpec,
  p0: Float64Array,
  dt: number,
  opts: { rates?: Float64Array; beta?: Float64Array; matrix?: Int32Array; tol?: number } = {},
): Float64Array {
  if (!spec.rates) throw new Error("propagate() needs a continuous-time spec (rates)");
  const g = generator(spec, opts.rates ?? spec.rates, opts.beta ?? spec.beta, opts.matrix ?? spec.matrix);
  return evolve(g, p0, [dt], null, opts.tol ?? 1e-13)[0];
}
