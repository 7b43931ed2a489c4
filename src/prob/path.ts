// One simulated future in continuous time: the start scenario and every change after it, in
// time order. Times are in days from the model's `asOf` (a date horizon is an exact instant:
// daysBetween(asOf, date)). The stepwise succession modes give paths too, with their changes
// at the days of the step grid, so every question is evaluated the same way on both.

/** A trajectory: the state of factor f at time t is start[f] after every change at time ≤ t. */
export interface Path {
  /** State index per factor at t = 0. */
  start: Int32Array;
  /** Change times (days from asOf), non-decreasing; only the first `length` entries are used. */
  times: Float64Array;
  /** Factor index of each change. */
  factors: Int32Array;
  /** New state index of each change. */
  states: Int32Array;
  length: number;
  /** Days simulated: the path is known on [0, end]. */
  end: number;
}

/** The scenario at time t (changes at exactly t included), written into `out`. */
export function stateAt(
  path: Path,
  t: number,
  out: Int32Array = new Int32Array(path.start.length),
): Int32Array {
  out.set(path.start);
  for (let e = 0; e < path.length && path.times[e] <= t; e++) out[path.factors[e]] = path.states[e];
  return out;
}

/** A path from a list of changes (for tests and hand-made examples). */
export function pathOf(
  start: ArrayLike<number>,
  changes: { t: number; factor: number; state: number }[],
  end: number,
): Path {
  const sorted = [...changes].sort((a, b) => a.t - b.t);
  return {
    start: Int32Array.from(start),
    times: Float64Array.from(sorted.map((c) => c.t)),
    factors: Int32Array.from(sorted.map((c) => c.factor)),
    states: Int32Array.from(sorted.map((c) => c.state)),
    length: sorted.length,
    end,
  };
}
