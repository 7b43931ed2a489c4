// The true window of a forecast question, in calendar dates, which scoring compares
// resolution dates with (vintage.ts). Browser-safe (no Node imports).
//
// - The window ends on the horizon exactly as the question gives it: a date horizon is that
//   date (not the last whole step on or before it, which is what the forecast counts steps
//   to), a horizon in steps is the date of that step (src/model/step.ts addSteps). The end is
//   inclusive: an outcome on the end date is inside the window.
// - The window starts on the model's date (asOf), or on the question's own window start when it
//   gives one that is later: a model question's `from` (a date on or after asOf), which a
//   vintage's question carries too (makeVintage records it), or a `window: [from, to]` (each end
//   a date, or steps from asOf). A question without a window start is asked from asOf on.
// - Dates are whole days here, as resolution dates are (the day an outcome became known). The
//   model reads a date as an instant, its start (00:00); a resolution dated on the end date is
//   taken as inside the window (it may report an event of the evening before: a day's
//   resolution cannot tell), one dated the day after as outside.
import { addSteps, isCalendarDate, modelStep } from "../model/step.js";

/** A horizon or window end: steps from the model's date, or a date YYYY-MM-DD. */
export type WindowEnd = number | string;

/**
 * A question as far as its window goes: a model question (horizon: steps or a date) or a
 * question's forecast in a vintage (horizon: { given, steps, date }), with an optional window
 * [from, to] (or { from, to }).
 */
export interface WindowedQuestion {
  horizon: WindowEnd | { given: WindowEnd; steps: number; date: string };
  /** The window's start, as a model question gives it (absent: asOf). */
  from?: WindowEnd;
  window?: readonly WindowEnd[] | { from?: WindowEnd; to?: WindowEnd };
}

export interface QuestionWindow {
  /** The first day of the window, YYYY-MM-DD. */
  from: string;
  /** The last day of the window (inclusive), YYYY-MM-DD. */
  to: string;
}

/** A window end as a date: steps from asOf counted with the model's step, or the date itself. */
function endDate(model: { asOf: string; step?: string }, end: WindowEnd): string | undefined {
  if (typeof end === "number")
    return Number.isInteger(end) && end >= 0 ? addSteps(model.asOf, modelStep(model), end) : undefined;
  return isCalendarDate(end) ? end : undefined;
}

/**
 * The question's window {from, to} in dates (see the top of this file). `model` is the model, or
 * a vintage's `model` ({ asOf, step }). An end that cannot be read (not a date, not a whole
 * number of steps) is ignored: the window falls back to asOf and the horizon.
 */
export function questionWindow(model: { asOf: string; step?: string }, q: WindowedQuestion): QuestionWindow {
  const h = q.horizon;
  const given = typeof h === "object" ? h.given : h;
  let to = endDate(model, given) ?? (typeof h === "object" ? h.date : model.asOf);
  let from = model.asOf;
  const start = q.from === undefined ? undefined : endDate(model, q.from);
  if (start && start > from) from = start;
  const w = q.window;
  if (w) {
    const [wFrom, wTo] = Array.isArray(w)
      ? [w[0], w[1]]
      : [(w as { from?: WindowEnd }).from, (w as { to?: WindowEnd }).to];
    const f = wFrom === undefined ? undefined : endDate(model, wFrom);
    const t = wTo === undefined ? undefined : endDate(model, wTo);
    if (f && f > from) from = f;
    if (t) to = t;
  }
  return { from, to };
}
