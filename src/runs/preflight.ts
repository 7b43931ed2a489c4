// Checking a run's options against the model before the run is queued. The options' own schema
// (options.ts) checks types and bounds; what only the model can tell — a factor or state id in
// `given`, a question id, a date after the model's asOf, an issue, a quorum of authors — is
// checked here with the engines' own parsers, so a bad option is refused at submission with
// the same message and path the engine would give, instead of failing later in a worker.
//
//   preflight(engine, model, options)   throws InputError { path: the option } or returns
//
// Each check is cheap (ids and dates, no search); an engine with nothing model-specific in its
// options has no entry.

import { selectIssues } from "../bargain/model.js";
import { InputError } from "../errors.js";
import { selectForecast } from "../forecast/forecast.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import { parseCondition } from "../prob/spec.js";
import { horizonOf } from "./beliefs.js";
import type { OptionsOf } from "./fields.js";
import type { EngineName, OPTIONS } from "./options.js";
import { horizonDate } from "./outlook.js";
import { assignmentsOf } from "./prob.js";
import { at, checkEnsemble, optionError, parseFilters, scenarioFrom } from "./scenarios.js";
import { fullScenario } from "./stakes.js";

type Checks = {
  [K in EngineName]?: (model: Model, cm: CompiledModel, o: OptionsOf<(typeof OPTIONS)[K]>) => void;
};

const conditions = (cm: CompiledModel, list: string[] | undefined, path: string) => {
  for (const q of list ?? []) at(path, () => parseCondition(cm, q), "option");
};

const CHECKS: Checks = {
  scenarios: (_m, cm, o) => {
    if (o.fix) assignmentsOf(cm, [o.fix], "fix");
    at("require", () => parseFilters(cm, o.require));
    at("forbid", () => parseFilters(cm, o.forbid));
    if (o.ensemble) checkEnsemble(cm, o);
  },
  succession: (m, cm, o) => {
    if (!o.basins) scenarioFrom(m, cm, o.from, "from");
  },
  explain: (m, cm, o) => {
    if (o.scenario) scenarioFrom(m, cm, o.scenario, "scenario");
  },
  simulate: (_m, cm, o) => {
    conditions(cm, o.query, "query");
    assignmentsOf(cm, o.given, "given");
    assignmentsOf(cm, o.fix, "fix");
  },
  beliefs: (m, cm, o) => {
    horizonOf(m, o);
    assignmentsOf(cm, o.given, "given");
  },
  outlook: (m, cm, o) => {
    if (!o.condition) throw optionError("condition", "the outlook needs a condition, e.g. region=war");
    try {
      parseCondition(cm, o.condition);
    } catch (e) {
      throw optionError("condition", e instanceof Error ? e.message : String(e));
    }
    horizonDate(m, o.horizon ?? "12");
  },
  stationary: (_m, cm, o) => {
    assignmentsOf(cm, o.given, "given");
    assignmentsOf(cm, o.fix, "fix");
  },
  stakes: (_m, cm, o) => {
    if (o.scenario) fullScenario(cm, o.scenario);
  },
  bargain: (m, _cm, o) => {
    if (m.issues.length === 0)
      throw new InputError("the model has no bargaining issues", { code: "no-issues", path: "issues" });
    try {
      selectIssues(m, o.issue);
    } catch (e) {
      throw optionError("issue", (e as Error).message.replace(/^--issue: /, ""));
    }
  },
  forecast: (m, cm, o) => {
    if (!m.questions?.length)
      throw new InputError("the model has no questions to forecast", {
        code: "no-questions",
        path: "questions",
      });
    at(
      "questions",
      () => selectForecast(m, cm, { only: o.questions, observedUntil: o.observedUntil }),
      "option",
    );
  },
};

/** Checks `options` (already checked against the engine's schema, defaults filled) against the model. */
export function preflight(engine: EngineName, model: Model, options: Record<string, unknown>): void {
  const check = CHECKS[engine] as ((m: Model, cm: CompiledModel, o: unknown) => void) | undefined;
  if (!check) return;
  check(model, compileModel(model), options);
}
