// Muscat probability engine — how likely each scenario is, and how the cascade unfolds.
//
// Method.
// 1. Judgment uncertainty (uncertainty.ts): every judged cell is drawn as round(C + σ·Z),
//    Z ~ N(0, 1), σ from the impact's confidence code (model `uncertainty.spread`, documented
//    defaults 1.5/1/0.75/0.5/0.25 scale points for codes 1–5), clipped to the scale; for each
//    sample the exact kernel comes from the CIB engine (Weimer-Jehle 2006, TFSC 73:334–361;
//    findKernel); P(consistent) per scenario with a Wilson (1927) interval; robust ≥ 95 %.
// 2. Stochastic succession (chunk.ts, simulate.ts): the Markov-chain CIB of
//    /shared/design/cib-method.md — from A, move to a neighbour B (A itself or a scenario that
//    differs in one factor) with probability ∝ exp(β·(S_A(B) − S_A(A))), S_A(B) = Σ_j θ_{j,B_j}(A),
//    i.e. exp(β_j·(θ_{j,l}(A) − θ_{j,A_j}(A))) for changing factor j to l, 1 for staying.
//    In the spirit of Schweizer & Jamieson-Lane (PLOS ONE 2023) and their StochasticCIB, but
//    deliberately different: one chain step changes at most one factor (plus shocks), it
//    is a softmax over all single changes rather than a random factor followed by its own
//    update, β may differ per factor, exogenous factors move only by shocks, and
//    interventions hold factors fixed. One step is the model's `step` (e.g. P1M).
// 3. Long run (stationary.ts, exact.ts): exact on the sparse transition matrix (Float64, pull
//    layout) over the factors that can move in the long run (fixed and shock-free exogenous
//    factors are held, which shrinks the space), when it fits: by default iterative
//    aggregation–disaggregation (Koury–McAllister–Stewart; Stewart 1994, "Introduction to the
//    Numerical Solution of Markov Chains", ch. 6) with aggregates = basins of attraction of the
//    β → ∞ dynamics, coupling matrix solved by GTH, Gauss–Seidel smoothing — deliberately
//    point sweeps instead of exact block solves; with probability shocks, GMRES(m) (Saad &
//    Schultz 1986) preconditioned by a symmetric Gauss–Seidel sweep; plain Gauss–Seidel kept
//    for comparison. Stops at ‖πT − π‖₁ < tolerance (default 1e-12). MCMC with Gelman–Rubin
//    R-hat otherwise.
// 4. Combined: with `uncertainty`, every `runsPerMatrix` runs draw a new matrix first.
// Reproducible: chunk c uses stream c (xoroshiro128+ jumped c times) of the seed; results
// merge in chunk order, so they are identical with any number of worker threads.

export { createPool, type Pool } from "../workers/pool.js";
export { type ChunkResult, runChunk, sampleMatrix } from "./chunk.js";
export { type ConsistencyResult, consistency } from "./consistency.js";
export { type ExactMethod, type ExactSolution, gth, solveExact } from "./exact.js";
export { type Control, ENGINE_VERSION } from "./run.js";
export {
  type ConditionResult,
  type SimulateOptions,
  type SimulationResult,
  simulate,
} from "./simulate.js";
export { buildSpec, type ChainSpec, type Condition, parseCondition, SpecError } from "./spec.js";
export { exactStationary, mcmcStationary, type StationaryResult, stationary } from "./stationary.js";
export { rhat, rhatFromCounts, wilson } from "./stats.js";
