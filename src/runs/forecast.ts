// The forecast run: every question of the model (or the ones named), each a probability with
// its interval, drivers and indicators. Checked options in, the engine's versioned result out.
import { InputError } from "../errors.js";
import { forecastQuestions } from "../forecast/forecast.js";
import { compileModel } from "../model/compile.js";
import type { Model } from "../model/types.js";
import type { RunControl } from "./control.js";
import type { ForecastOptions } from "./options.js";

export function forecastRun(model: Model, o: ForecastOptions, ctl: RunControl = {}) {
  if (!model.questions?.length)
    throw new InputError("the model has no questions to forecast", {
      code: "no-questions",
      path: "questions",
    });
  const cm = compileModel(model);
  return forecastQuestions(model, cm, {
    runs: o.runs,
    seed: o.seed,
    driverRuns: o.driverRuns,
    indicatorRuns: o.indicatorRuns,
    top: o.top,
    drivers: o.drivers,
    uncertainty: o.uncertainty,
    only: o.questions,
    observedUntil: o.observedUntil,
    signal: ctl.signal,
    pool: ctl.pool,
    onProgress: (p) => ctl.onProgress?.({ done: p.done, total: p.total, message: p.phase }),
  });
}
