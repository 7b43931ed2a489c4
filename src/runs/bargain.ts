// The bargaining run: every method on the model's issues (or one), with Monte Carlo draws
// over perturbed inputs when `runs` > 0. Checked options in, the engine's versioned result out.
import { forecastModel } from "../bargain/model.js";
import { InputError } from "../errors.js";
import { compileModel } from "../model/compile.js";
import type { Model } from "../model/types.js";
import { type RunControl, RunStopped, stopper } from "./control.js";
import type { BargainOptions } from "./options.js";

/** Stopped (between methods or draws), the run ends with no result: see RunStopped. */
export function bargainRun(model: Model, o: BargainOptions, ctl: RunControl = {}) {
  const stop = stopper(ctl);
  if (model.issues.length === 0)
    throw new InputError("the model has no bargaining issues", { code: "no-issues", path: "issues" });
  const cm = compileModel(model);
  return forecastModel(model, cm.hash, {
    issue: o.issue,
    methods: o.methods as never,
    rounds: o.rounds,
    maxTurns: o.maxTurns,
    runs: o.runs,
    seed: o.seed,
    poll: () => {
      if (stop()) throw new RunStopped("bargain");
    },
  });
}
