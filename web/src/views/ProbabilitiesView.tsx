// Probabilities and timelines: Monte Carlo succession from the current situation.
import { useEffect, useMemo, useState } from "react";
import { percent, percentRange } from "../../../src/format.js";
import { addSteps, modelStep } from "../../../src/model/step.js";
import type { Model } from "../../../src/model/types.js";
import type { OutlookResult } from "../../../src/runs/outlook.js";
import type { ScenariosReport } from "../../../src/runs/scenarios.js";
import type { ModelCtx } from "../App";
import { type ChartOption, EChart, stateColor } from "../charts";
import type { Lookup } from "../lookup";
import { bounds, defaultOf, optionProblem } from "../options";
import { RunPanel, useRun } from "../run";
import type { SimulationResult } from "../types";
import { refPlain, StateLabel, stateTitle } from "./names";

const pct = (p: number, d = 1) => percent(p, d);

/** The calendar date of step k (the model's date plus k of its steps). */
const dateOf = (model: Model, k: number) => addSteps(model.asOf, modelStep(model), k);
/** The dates of steps 0…n−1, for time axes. */
const axisDates = (model: Model, n: number) => Array.from({ length: n }, (_, k) => dateOf(model, k));
const interval = (lo: number, hi: number) => `95% interval ${percentRange(lo, hi, 1)}`;

export function ProbabilitiesView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const { model } = lookup;
  const sim = useRun<SimulationResult>(record.id, record.version, "simulate");
  const kernel = useRun<ScenariosReport>(record.id, record.version, "scenarios");
  const defaultCond = useMemo(() => {
    const f = model.factors.find((x) => x.id === "region") ?? model.factors[0];
    return { factor: f.id, state: f.states[f.states.length - 1].id };
  }, [model]);
  const [cond, setCond] = useState(defaultCond);
  const [runs, setRuns] = useState(defaultOf<number>("simulate", "runs"));
  const [steps, setSteps] = useState(defaultOf<number>("simulate", "steps"));
  const [seed, setSeed] = useState(defaultOf<number>("simulate", "seed"));
  // Factors without a current state need a start state for the run: the analyst picks it here
  // (default: the middle state, e.g. talks dragging on).
  const missing = useMemo(() => model.factors.filter((x) => x.current === undefined), [model]);
  const [start, setStart] = useState<Record<string, string>>(() =>
    Object.fromEntries(missing.map((x) => [x.id, x.states[Math.floor((x.states.length - 1) / 2)].id])),
  );
  const condText = `${cond.factor}=${cond.state}`;
  const given = missing.map((x) => `${x.id}=${start[x.id] ?? x.states[0].id}`);
  // With the model's uncertainty drawn (judgments, rates, β), as the outlook and the forecasts:
  // the view's numbers are the same quantities, not a judged-matrix-only variant.
  const options: Record<string, unknown> = {
    runs,
    steps,
    seed,
    query: [condText],
    uncertainty: true,
    runsPerMatrix: 25,
  };
  if (given.length) options.given = given;
  // The same check (bounds and message) as the CLI and the API: a bad value is named, not sent.
  const problem = optionProblem("simulate", options);

  // biome-ignore lint/correctness/useExhaustiveDependencies: run with the defaults once per version
  useEffect(() => {
    void kernel.start({ basins: true });
    void sim.start(options);
  }, [record.version]);

  const r = sim.last?.result;
  const kernelNames = useMemo(() => {
    const m = new Map<string, string>();
    const res = kernel.run?.status === "done" ? kernel.run.result : undefined;
    res?.scenarios.forEach((s) =>
      m.set(model.factors.map((f) => s.states[f.id]).join(","), s.name ? `${s.id} (${s.name})` : s.id),
    );
    return m;
  }, [kernel.run, model]);
  const fIndex = Math.max(
    0,
    model.factors.findIndex((x) => x.id === cond.factor),
  );
  const f = model.factors[fIndex];
  const condIndex = f.states.findIndex((s) => s.id === cond.state);

  return (
    <div className="prob-view">
      <form
        noValidate
        className="controls inline"
        onSubmit={(e) => {
          e.preventDefault();
          void sim.start(options, { force: true });
        }}
      >
        <label>
          Condition to watch
          <select
            value={cond.factor}
            onChange={(e) => {
              const nf = model.factors.find((x) => x.id === e.target.value)!;
              setCond({ factor: nf.id, state: nf.states[nf.states.length - 1].id });
            }}
          >
            {model.factors.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          is
          <select
            value={cond.state}
            onChange={(e) => setCond({ ...cond, state: e.target.value })}
            aria-label="State"
          >
            {f.states.map((s) => (
              <option key={s.id} value={s.id}>
                {s.short} — {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Runs
          <input
            type="number"
            {...bounds("simulate", "runs")}
            step={1}
            value={runs}
            onChange={(e) => setRuns(Number(e.target.value))}
          />
        </label>
        <label>
          Horizon: steps of {model.step ?? "P1M"}, to{" "}
          {Number.isInteger(steps) && steps >= 0 ? dateOf(model, steps) : "…"}
          <input
            type="number"
            {...bounds("simulate", "steps")}
            value={steps}
            onChange={(e) => setSteps(Number(e.target.value))}
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            {...bounds("simulate", "seed")}
            value={seed}
            onChange={(e) => setSeed(Number(e.target.value))}
          />
        </label>
        <button type="submit" className="primary" disabled={sim.busy || problem !== null}>
          Run simulation
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
              {missing.length === 1 ? "" : "s"}; start them in:
            </span>
            {missing.map((x) => (
              <label key={x.id} className="inline-label" title={x.name}>
                {x.short}
                <select
                  value={start[x.id]}
                  onChange={(e) => setStart({ ...start, [x.id]: e.target.value })}
                  aria-label={`Start state of ${x.name}`}
                >
                  {x.states.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.short} — {s.label}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        )}
      </form>
      <RunPanel handle={sim} what="the simulation" />
      {r && (
        <div className={sim.busy ? "stale" : undefined} aria-busy={sim.busy}>
          <p className="summary">
            {r.runs.toLocaleString("en")} simulated futures from the current situation on {model.asOf} to{" "}
            {dateOf(model, r.steps)} ({r.steps} steps of {model.step ?? "P1M"})
            {r.partial ? " (stopped early: partial results)" : ""}
            {r.uncertainty
              ? `; judgments, rates and β drawn every ${r.uncertainty.runsPerMatrix} runs; intervals are 95%, cluster-robust.`
              : "; intervals are 95%."}
          </p>
          <div className="grid-2">
            <section className="card">
              <h2>Scenario probabilities on {dateOf(model, r.steps)}</h2>
              <EndsBars lookup={lookup} r={r} names={kernelNames} />
            </section>
            <section className="card">
              <h2>
                When does <span title={f.name}>{f.short}</span> become{" "}
                {condIndex >= 0 ? <StateLabel name={lookup.stateName(fIndex, condIndex)} /> : cond.state}?
              </h2>
              <FirstPassage lookup={lookup} r={r} />
              <PathsTable lookup={lookup} r={r} />
            </section>
          </div>
          <section className="card">
            <h2>State probabilities over time (fan charts)</h2>
            <p className="muted small">
              Each line is the share of simulated futures in which the factor is in that state on each date;
              the shaded band around it is its 95% interval ({r.runs.toLocaleString("en")} runs: the more
              runs, the narrower the band).
            </p>
            <div className="fans">
              {r.factors.map((fx) => (
                <Fan key={fx.id} lookup={lookup} fx={fx} />
              ))}
            </div>
          </section>
        </div>
      )}
      <OutlookCard
        ctx={ctx}
        condition={condText}
        horizon={Number.isInteger(steps) ? dateOf(model, steps) : ""}
      />
    </div>
  );
}

function describe(lookup: Lookup, rec: Record<string, string>): string {
  return lookup.model.factors
    .map((f) => `${f.name}: ${f.states.find((s) => s.id === rec[f.id])?.label}`)
    .join("\n");
}
function shortStates(lookup: Lookup, rec: Record<string, string>): string {
  return lookup.model.factors.map((f) => f.states.find((s) => s.id === rec[f.id])?.short).join(" · ");
}

function EndsBars({ lookup, r, names }: { lookup: Lookup; r: SimulationResult; names: Map<string, string> }) {
  const top = r.ends.slice(0, 8);
  const shown = top.reduce((a, e) => a + e.p, 0);
  return (
    <>
      <ul className="bars" aria-label="Scenario probabilities with 95% intervals">
        {top.map((e) => {
          const key = lookup.model.factors.map((f) => e.states[f.id]).join(",");
          const name = names.get(key);
          return (
            <li key={key}>
              <span className="bar-label" title={describe(lookup, e.states)}>
                {name ? <strong>{name}</strong> : <span className="muted">not consistent</span>}{" "}
                <span className="muted small">{shortStates(lookup, e.states)}</span>
              </span>
              <span className="bar-track">
                <span className="bar-fill" style={{ width: `${100 * e.p}%` }} />
                <span
                  className="whisker"
                  style={{ left: `${100 * e.lo}%`, width: `${100 * (e.hi - e.lo)}%` }}
                />
              </span>
              <span className="num" title={interval(e.lo, e.hi)}>
                {pct(e.p)}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        {r.distinctEnds} distinct end scenarios; the {top.length} shown cover {pct(shown, 0)}. S1, S2… are the
        consistent scenarios of the Scenarios view.
      </p>
    </>
  );
}

function FirstPassage({ lookup, r }: { lookup: Lookup; r: SimulationResult }) {
  const c = r.conditions[0];
  const option = useMemo<ChartOption | null>(() => {
    if (!c) return null;
    const x = axisDates(lookup.model, c.byStep.length);
    return {
      grid: { left: 44, right: 12, top: 24, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => pct(v) },
      legend: { top: 0, data: ["reached by the date", "holds on the date"], textStyle: { fontSize: 11 } },
      xAxis: { type: "category", data: x, axisLabel: { fontSize: 10 } },
      yAxis: {
        type: "value",
        min: 0,
        max: (v: { max: number }) => Math.min(1, Math.max(0.05, Math.ceil(v.max * 20) / 20)),
        axisLabel: { formatter: (v: number) => percent(v, 0) },
      },
      series: [
        {
          name: "lo",
          type: "line",
          data: c.byStep.map((e) => e.lo),
          stack: "band",
          lineStyle: { opacity: 0 },
          symbol: "none",
          tooltip: { show: false },
        },
        {
          name: "band",
          type: "line",
          data: c.byStep.map((e) => e.hi - e.lo),
          stack: "band",
          lineStyle: { opacity: 0 },
          areaStyle: { color: "rgba(192,57,43,0.18)" },
          symbol: "none",
          tooltip: { show: false },
        },
        {
          name: "reached by the date",
          type: "line",
          data: c.byStep.map((e) => e.p),
          color: "#c0392b",
          symbol: "none",
          lineStyle: { width: 2 },
        },
        {
          name: "holds on the date",
          type: "line",
          data: c.atStep.map((e) => e.p),
          color: "#3465a4",
          symbol: "none",
          lineStyle: { width: 1.5, type: "dashed" },
        },
      ],
    };
  }, [c, lookup.model]);
  if (!c || !option) return <p className="muted">No condition was watched.</p>;
  return (
    <>
      <EChart
        option={option}
        height={200}
        label={`First-passage curve of ${refPlain(lookup, c.condition)}: the share of futures that have reached it by each date, with its 95% band`}
      />
      <p className="small">
        Reached in {pct(c.reached / r.runs)} of futures by {dateOf(lookup.model, r.steps)}
        {c.meanFirstPassage !== null
          ? `; those that reach it do so on average after ${c.meanFirstPassage.toFixed(1)} steps (around ${dateOf(lookup.model, Math.round(c.meanFirstPassage))})`
          : ""}
        .
      </p>
    </>
  );
}

function PathsTable({ lookup, r }: { lookup: Lookup; r: SimulationResult }) {
  const c = r.conditions[0];
  // Paths grouped by their set of changes (a cascade in several orders is one path).
  const rows = c?.pathSets ?? c?.paths ?? [];
  if (!c || rows.length === 0) return null;
  const name = (f: string, s: string) => {
    const ff = lookup.model.factors.find((x) => x.id === f);
    return `${ff?.short ?? f}→${ff?.states.find((x) => x.id === s)?.short ?? s}`;
  };
  return (
    <>
      <h3>Main paths there</h3>
      <p className="small muted">The same changes in any order count as one path.</p>
      <ol className="paths">
        {rows.slice(0, 5).map((p) => (
          <li key={p.changes.map((x) => `${x.factor}=${x.state}`).join(">")}>
            <span className="path-steps">
              {p.changes.length === 0 ? (
                <span className="muted">already there</span>
              ) : (
                p.changes.map((x, i) => {
                  const n = lookup.refName(`${x.factor}=${x.state}`);
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a path may revisit a state
                    <span key={i} className="chip small" title={n ? `moves to ${stateTitle(n)}` : undefined}>
                      {name(x.factor, x.state)}
                    </span>
                  );
                })
              )}
            </span>
            <span className="num" title={interval(p.lo, p.hi)}>
              {pct(p.p)}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}

function Fan({ lookup, fx }: { lookup: Lookup; fx: SimulationResult["factors"][number] }) {
  const j = lookup.model.factors.findIndex((x) => x.id === fx.id);
  const f = j < 0 ? undefined : lookup.model.factors[j];
  const option = useMemo<ChartOption>(() => {
    const n = fx.states.length;
    const steps = axisDates(lookup.model, fx.states[0]?.p.length ?? 0);
    const label = (id: string) => f?.states.find((x) => x.id === id)?.short ?? id;
    const byName = new Map(fx.states.map((s) => [label(s.id), s]));
    return {
      grid: { left: 40, right: 8, top: 26, bottom: 20 },
      tooltip: {
        trigger: "axis",
        // each state's probability at the step with its 95% interval
        formatter: (ps: { seriesName: string; marker: string; dataIndex: number; axisValue: string }[]) => {
          const rows = ps
            .filter((q) => byName.has(q.seriesName))
            .map((q) => {
              const s = byName.get(q.seriesName)!;
              const i = q.dataIndex;
              return `${q.marker}${q.seriesName}: <b>${pct(s.p[i])}</b> (${percentRange(s.lo[i], s.hi[i], 1)})`;
            });
          return [String(ps[0]?.axisValue ?? ""), ...rows].join("<br>");
        },
      },
      legend: {
        top: 0,
        textStyle: { fontSize: 10 },
        itemWidth: 10,
        itemHeight: 8,
        // the legend in the states' colours (the lines themselves are dark inside their bands)
        data: fx.states.map((s, k) => ({
          name: label(s.id),
          itemStyle: { color: stateColor(k, n) },
          lineStyle: { color: stateColor(k, n), opacity: 1, width: 2 },
        })),
      },
      xAxis: { type: "category", data: steps, axisLabel: { fontSize: 9 } },
      yAxis: {
        type: "value",
        min: 0,
        max: 1,
        interval: 0.25,
        axisLabel: { fontSize: 9, formatter: (v: number) => percent(v, 0) },
      },
      // The 95% band of each state: its lower bound (edge only) stacked with the band's width
      // (filled), so the fill runs from lo to hi; thin edges keep a narrow band visible.
      series: fx.states.flatMap((s, k) => {
        const color = stateColor(k, n);
        const edge = { color, width: 0.6, opacity: 0.9 };
        return [
          {
            name: `${label(s.id)} lower`,
            type: "line",
            data: s.lo,
            stack: `b${k}`,
            color,
            lineStyle: edge,
            symbol: "none",
            tooltip: { show: false },
            silent: true,
            z: 1,
          },
          {
            name: `${label(s.id)} band`,
            type: "line",
            data: s.hi.map((h, i) => h - s.lo[i]),
            stack: `b${k}`,
            color,
            lineStyle: edge,
            areaStyle: { color, opacity: 0.35 },
            symbol: "none",
            tooltip: { show: false },
            silent: true,
            z: 1,
          },
          {
            name: label(s.id),
            type: "line",
            data: s.p,
            color,
            symbol: "none",
            lineStyle: { width: 1, color: "#1d2327", opacity: 0.55 },
            z: 2,
          },
        ];
      }),
    };
  }, [fx, f, lookup.model]);
  return (
    <div className="fan">
      <h3 title={f?.name}>{f?.name ?? fx.id}</h3>
      <EChart
        option={option}
        height={170}
        label={`Probability of each state of ${f?.name ?? fx.id} by date, with 95% interval bands`}
      />
    </div>
  );
}

/**
 * The outlook of the watched condition (engine `outlook`): by and on the horizon and in the long
 * run, each with its Monte Carlo interval, its judgment-and-tempo range and what it means. These
 * are the numbers to quote: the same machinery as the Forecasts view, with the model's
 * uncertainty drawn.
 */
function OutlookCard({ ctx, condition, horizon }: { ctx: ModelCtx; condition: string; horizon: string }) {
  const { record, lookup } = ctx;
  const out = useRun<OutlookResult>(record.id, record.version, "outlook");
  const r = out.run?.status === "done" ? out.run.result : undefined;
  const rows: [string, OutlookResult["byHorizon"]][] = r
    ? [
        [`by ${r.horizon.date}`, r.byHorizon],
        [`on ${r.horizon.date}`, r.onHorizon],
        [`in the long run (${r.longRun.date})`, r.longRun],
      ]
    : [];
  return (
    <section className="card outlook">
      <h2>Outlook of {refPlain(lookup, condition)}: the numbers to quote</h2>
      <p className="muted small">
        One model of time for all three: by the horizon, on it, and in the long run, with the judgments, each
        factor's rate and β drawn from their priors. Beside each: its Monte Carlo interval (95%) and its
        judgment-and-tempo range (90%, the spread over those draws).
      </p>
      <button
        type="button"
        onClick={() => void out.start({ condition, horizon })}
        disabled={out.busy || !horizon}
      >
        Compute the outlook
      </button>
      <RunPanel handle={out} what="the outlook" />
      {r && (
        <>
          <table className="outlook-table">
            <thead>
              <tr>
                <th>{refPlain(lookup, r.condition)}</th>
                <th className="num">p</th>
                <th>Monte Carlo 95%</th>
                <th>judgment and tempo 90%</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, f]) => (
                <tr key={label} title={f.means}>
                  <th scope="row">{label}</th>
                  <td className="num">{pct(f.p)}</td>
                  <td>{percentRange(f.mc.lo, f.mc.hi, 1)}</td>
                  <td>{percentRange(f.range.lo, f.range.hi, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="muted small">
            {r.assumes.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
