// Calendar arithmetic for a model's time step (`step`, an ISO 8601 duration such as P1M or
// P2W, counted from `asOf`): the date of step k, and the number of whole steps to a date.
// Months and years are calendar months (the day is clamped to the month's end: 31 Jan + P1M
// is 28/29 Feb); weeks and days are days. Dates are plain YYYY-MM-DD, computed in UTC.

/** The step used when a model gives none. */
export const DEFAULT_STEP = "P1M";

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

/** Parses an ISO 8601 date duration (P1M, P2W, P1Y6M, P10D); undefined if it is not one. */
export function parseDuration(text: string): Duration | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(text.trim());
  if (!m || text.trim() === "P") return undefined;
  const d = {
    years: Number(m[1] ?? 0),
    months: Number(m[2] ?? 0),
    weeks: Number(m[3] ?? 0),
    days: Number(m[4] ?? 0),
  };
  if (d.years + d.months + d.weeks + d.days === 0) return undefined;
  return d;
}

function parseDate(date: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`'${date}' is not a date YYYY-MM-DD`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function fmt(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Whether a text is a real calendar date YYYY-MM-DD (not 2025-02-30). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** `date` + k·duration: calendar months (day clamped to the month's end) then days. */
export function addSteps(date: string, step: Duration, k: number): string {
  const { y, m, d } = parseDate(date);
  const months = (step.years * 12 + step.months) * k;
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  const t = Date.UTC(ny, nm - 1, nd) + (step.weeks * 7 + step.days) * k * 86_400_000;
  return fmt(t);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  const pa = parseDate(a);
  const pb = parseDate(b);
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000);
}

/** The model's step as a Duration (DEFAULT_STEP when the model gives none or an unreadable one). */
export function modelStep(model: { step?: string }): Duration {
  return parseDuration(model.step ?? DEFAULT_STEP) ?? (parseDuration(DEFAULT_STEP) as Duration);
}

/**
 * Whole steps from `asOf` to `date`: the last step whose date is on or before `date` (so a
 * forecast never covers time after the date). 0 when the date comes before the first step.
 */
export function stepsUntil(asOf: string, step: Duration, date: string): number {
  if (date <= asOf) return 0;
  // An estimate from the mean step length, then exact correction on calendar dates.
  const mean = (step.years * 12 + step.months) * 30.436875 + step.weeks * 7 + step.days;
  let k = Math.max(0, Math.floor(daysBetween(asOf, date) / mean) - 1);
  while (addSteps(asOf, step, k + 1) <= date) k++;
  while (k > 0 && addSteps(asOf, step, k) > date) k--;
  return k;
}

/** A question's horizon (steps, or a date) as steps and as the date of that step. */
export function resolveHorizon(
  model: { asOf: string; step?: string },
  horizon: number | string,
): { steps: number; date: string } {
  const step = modelStep(model);
  const steps = typeof horizon === "number" ? horizon : stepsUntil(model.asOf, step, horizon);
  return { steps, date: addSteps(model.asOf, step, steps) };
}

/** Calendar months from a to b, fractional by days (for "within 18 months" checks). */
export function monthsBetween(a: string, b: string): number {
  const pa = parseDate(a);
  const pb = parseDate(b);
  const whole = (pb.y - pa.y) * 12 + (pb.m - pa.m);
  return whole + (pb.d - pa.d) / 31;
}

/** Days from `asOf` of steps 0..K of the model's step: the reporting grid of calendar time. */
export function gridDays(model: { asOf: string; step?: string }, K: number): Float64Array {
  const step = modelStep(model);
  return Float64Array.from({ length: K + 1 }, (_, k) =>
    daysBetween(model.asOf, addSteps(model.asOf, step, k)),
  );
}
