// Belief bars, as in GeNIe: every factor's distribution over its states at a chosen horizon,
// from the `beliefs` engine (simulated runs). Clicking a state clamps it (evidence): every bar is
// recomputed at once in the browser by conditioning the run's sample (condition() in
// src/prob/beliefs.ts: keep the runs in the clamped states at the horizon). Conditioning, not an
// intervention; the run's own words on what the bars assume are shown under them.
import { useEffect, useMemo, useState } from "react";
import { percent } from "../../../src/format.js";
import { addSteps, modelStep, stepsUntil } from "../../../src/model/step.js";
import { type Belief, condition } from "../../../src/prob/beliefs.js";
import type { BeliefsResult } from "../../../src/runs/beliefs.js";
import type { ModelCtx } from "../App";
import { bounds, defaultOf, optionProblem } from "../options";
import { RunPanel, useRun } from "../run";
import type { Model } from "../types";
import "./beliefs.css";

type Factor = Model["factors"][number];
type Evidence = ReadonlyMap<number, number>;

const pct = (p: number) => percent(p, 1);

export function BeliefsView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const { model } = lookup;
  const handle = useRun<BeliefsResult>(record.id, record.version, "beliefs");
  const [runs, setRuns] = useState(defaultOf<number>("beliefs", "runs"));
  const [steps, setSteps] = useState(defaultOf<number>("beliefs", "steps"));
  const [seed, setSeed] = useState(defaultOf<number>("beliefs", "seed"));
  // The horizon as a date instead of steps ("" = in steps).
  const [date, setDate] = useState("");
  // Factors without a current state need a start state (default: the middle one).
  const missing = useMemo(() => model.factors.filter((x) => x.current === undefined), [model]);
  const [start, setStart] = useState<Record<string, string>>(() =>
    Object.fromEntries(missing.map((x) => [x.id, x.states[Math.floor((x.states.length - 1) / 2)].id])),
  );
  const given = missing.map((x) => `${x.id}=${start[x.id] ?? x.states[0].id}`);
  const options: Record<string, unknown> = date ? { runs, seed, date } : { runs, seed, steps };
  if (given.length) options.given = given;
  const problem = optionProblem("beliefs", options);

  // The horizon's date (or the step a date falls on), as the engine will compute it.
  const step = modelStep(model);
  const horizonText = date
    ? date >= model.asOf
      ? `step ${stepsUntil(model.asOf, step, date)}, ${addSteps(model.asOf, step, stepsUntil(model.asOf, step, date))}`
      : "before the model's date"
    : Number.isInteger(steps) && steps >= 0 && steps <= 1000
      ? addSteps(model.asOf, step, steps)
      : "";

  // Evidence: factor index (in the result's order) → clamped state index. Kept across runs of
  // the same model version; a new version starts without.
  const [evidence, setEvidence] = useState<Evidence>(new Map());
  // biome-ignore lint/correctness/useExhaustiveDependencies: run with the defaults once per version
  useEffect(() => {
    setEvidence(new Map());
    void handle.start(options);
  }, [record.version]);

  const r = handle.last?.result;
  // Evidence that this result can hold (a factor and state it has).
  const usable = useMemo(() => {
    if (!r) return new Map<number, number>();
    return new Map([...evidence].filter(([f, s]) => f < r.sample.sizes.length && s < r.sample.sizes[f]));
  }, [r, evidence]);
  const cond = useMemo(() => (r ? condition(r.sample, usable) : null), [r, usable]);
  const factorOf = useMemo(() => new Map(model.factors.map((f) => [f.id, f])), [model]);

  const toggle = (f: number, s: number) => {
    const next = new Map(evidence);
    if (next.get(f) === s) next.delete(f);
    else next.set(f, s);
    setEvidence(next);
  };
  const unclamp = (f: number) => {
    const next = new Map(evidence);
    next.delete(f);
    setEvidence(next);
  };

  return (
    <div className="beliefs-view">
      <form
        noValidate
        className="controls inline"
        onSubmit={(e) => {
          e.preventDefault();
          void handle.start(options, { force: true });
        }}
      >
        <label>
          Horizon, steps{model.step ? ` (${model.step})` : ""}
          <input
            type="number"
            {...bounds("beliefs", "steps")}
            step={1}
            value={steps}
            disabled={date !== ""}
            onChange={(e) => setSteps(Number(e.target.value))}
          />
        </label>
        <label>
          or date
          <span className="beliefs-date">
            <input
              type="date"
              min={model.asOf}
              value={date}
              onChange={(e) => setDate(e.target.value)}
              aria-label="Horizon as a date (overrides steps)"
            />
            {date && (
              <button type="button" onClick={() => setDate("")} title="Give the horizon in steps instead">
                ×
              </button>
            )}
          </span>
        </label>
        <span className="muted small beliefs-horizon" aria-live="polite">
          {horizonText && `= ${horizonText}`}
        </span>
        <label>
          Runs
          <input
            type="number"
            {...bounds("beliefs", "runs")}
            step={1000}
            value={runs}
            onChange={(e) => setRuns(Number(e.target.value))}
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            {...bounds("beliefs", "seed")}
            value={seed}
            onChange={(e) => setSeed(Number(e.target.value))}
          />
        </label>
        <button type="submit" className="primary" disabled={handle.busy || problem !== null}>
          Compute beliefs
        </button>
        {problem && (
          <span className="error-msg" role="alert">
            {problem.path}: {problem.message}
          </span>
        )}
        {missing.length > 0 && (
          <div className="start-row">
            <span className="muted small">
              Start: the current situation. The model gives no current state for {missing.length} factor
              {missing.length === 1 ? "" : "s"}; start {missing.length === 1 ? "it" : "them"} in:
            </span>
            {missing.map((x) => (
              <label key={x.id} className="inline-label">
                {x.short}
                <select
                  value={start[x.id]}
                  onChange={(e) => setStart({ ...start, [x.id]: e.target.value })}
                  aria-label={`Start state of ${x.name}`}
                >
                  {x.states.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        )}
      </form>
      <RunPanel handle={handle} what="the belief bars" />
      {r && cond && (
        <div className={handle.busy ? "stale" : undefined} aria-busy={handle.busy}>
          <div className="beliefs-evidence">
            <span className="summary">
              {usable.size === 0 ? (
                <>
                  {r.runs.toLocaleString("en")} simulated runs at step {r.steps} ({r.horizon.date})
                  {r.partial ? " (stopped early: partial)" : ""}. Click a state to clamp it.
                </>
              ) : (
                <>
                  <strong className="count">{cond.n.toLocaleString("en")}</strong> of{" "}
                  {r.runs.toLocaleString("en")} runs match the evidence at step {r.steps} ({r.horizon.date}):
                </>
              )}
            </span>
            {[...usable].map(([f, s]) => {
              const rf = r.factors[f];
              const mf = factorOf.get(rf.id);
              const ms = mf?.states.find((x) => x.id === rf.states[s].id);
              return (
                <span
                  key={rf.id}
                  className="chip beliefs-pill"
                  title={`${mf?.name ?? rf.id}: ${ms?.label ?? ""}`}
                >
                  {mf?.short ?? rf.id} = {ms?.short ?? rf.states[s].id}
                  <button
                    type="button"
                    onClick={() => unclamp(f)}
                    aria-label={`Unclamp ${mf?.name ?? rf.id}`}
                  >
                    ×
                  </button>
                </span>
              );
            })}
            {usable.size > 1 && (
              <button type="button" className="beliefs-clear" onClick={() => setEvidence(new Map())}>
                Clear all
              </button>
            )}
          </div>
          {cond.warning && (
            <p className="beliefs-warning" role="status">
              {cond.warning}
            </p>
          )}
          <div className="beliefs-grid">
            {r.factors.map((rf, f) => (
              <FactorBars
                key={rf.id}
                factor={factorOf.get(rf.id)}
                result={rf}
                bars={cond.marginals[f]}
                clamped={usable.get(f)}
                showPrior={usable.size > 0}
                onClick={(s) => toggle(f, s)}
              />
            ))}
          </div>
          <section className="card beliefs-assumes">
            <h2>What these bars assume</h2>
            {r.assumes.split("\n").map((line) => (
              <p key={line} className="small">
                {line}
              </p>
            ))}
          </section>
        </div>
      )}
    </div>
  );
}

function FactorBars({
  factor,
  result,
  bars,
  clamped,
  showPrior,
  onClick,
}: {
  factor: Factor | undefined;
  result: BeliefsResult["factors"][number];
  bars: Belief[];
  clamped: number | undefined;
  showPrior: boolean;
  onClick: (state: number) => void;
}) {
  const name = factor?.name ?? result.id;
  return (
    <section className={clamped === undefined ? "card belief-factor" : "card belief-factor clamped"}>
      <h3 title={name}>{name}</h3>
      <ul className="belief-bars" aria-label={`Distribution of ${name}`}>
        {result.states.map((st, s) => {
          const b = bars[s];
          const ms = factor?.states.find((x) => x.id === st.id);
          const label = ms?.label ?? st.id;
          const on = clamped === s;
          const interval =
            clamped === undefined
              ? `95 % interval ${pct(b.lo)}–${pct(b.hi)}`
              : on
                ? "clamped"
                : "not the clamped state";
          return (
            <li key={st.id}>
              <button
                type="button"
                className={on ? "belief-row on" : "belief-row"}
                aria-pressed={on}
                onClick={() => onClick(s)}
                title={`${label}: ${pct(b.p)} (${interval}; ${b.count.toLocaleString("en")} runs)${showPrior ? `; without evidence ${pct(st.p)}` : ""}\nClick to ${on ? "unclamp" : "clamp"} this state.`}
              >
                <span className="belief-label">{ms?.short ?? st.id}</span>
                <span className="bar-track">
                  <span className="bar-fill" style={{ width: `${Number.isFinite(b.p) ? 100 * b.p : 0}%` }} />
                  {clamped === undefined && Number.isFinite(b.p) && (
                    <span
                      className="whisker"
                      style={{ left: `${100 * b.lo}%`, width: `${100 * (b.hi - b.lo)}%` }}
                    />
                  )}
                  {showPrior && clamped === undefined && (
                    <span className="belief-prior" style={{ left: `${100 * st.p}%` }} />
                  )}
                </span>
                <span className="num">{pct(b.p)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
