// The one set of number formatters every adapter uses (the CLI, the report, the app), so that a
// probability or a score reads the same everywhere. A value that does not exist (null,
// undefined, NaN, ±Infinity) is shown as an em dash.

const missing = (x: number | null | undefined): x is null | undefined =>
  x === null || x === undefined || !Number.isFinite(x);

/**
 * A share as a percentage: 0.034 → "3.4%", 0.25 → "25%". With no `digits`, one decimal below
 * 10 % (where it matters) and none above; 0 and 1 are "0%" and "100%".
 */
export function percent(p: number | null | undefined, digits?: number): string {
  if (missing(p)) return "—";
  const d = digits ?? (p > 0 && p < 0.1 ? 1 : 0);
  return `${(100 * p).toFixed(d)}%`;
}

/** A number with fixed decimals (default 3): 0.25 → "0.250". */
export function fixed(x: number | null | undefined, digits = 3): string {
  return missing(x) ? "—" : x.toFixed(digits);
}

/** A signed whole or decimal number with a true minus: 3 → "+3", −2 → "−2", 0 → "0". */
export function signed(x: number | null | undefined, digits = 0): string {
  if (missing(x)) return "—";
  const t = Math.abs(x).toFixed(digits);
  if (Number(t) === 0) return t;
  return `${x > 0 ? "+" : "−"}${t}`;
}

/** A range of two values: "3.4–7.1", or "−3.4 to −3.3" when a bound is negative. */
export function range(lo: number | null | undefined, hi: number | null | undefined, digits = 1): string {
  if (missing(lo) || missing(hi)) return "—";
  const a = lo < 0 ? `−${Math.abs(lo).toFixed(digits)}` : lo.toFixed(digits);
  const b = hi < 0 ? `−${Math.abs(hi).toFixed(digits)}` : hi.toFixed(digits);
  return lo < 0 || hi < 0 ? `${a} to ${b}` : `${a}–${b}`;
}

/** A share range as percentages: "3.4–7.1%". */
export function percentRange(
  lo: number | null | undefined,
  hi: number | null | undefined,
  digits?: number,
): string {
  if (missing(lo) || missing(hi)) return "—";
  const d = digits ?? (hi > 0 && hi < 0.1 ? 1 : 0);
  return `${(100 * lo).toFixed(d)}–${(100 * hi).toFixed(d)}%`;
}
