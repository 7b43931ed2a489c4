// Forecasts: the model's questions with probabilities, drivers and indicators; scores and a
// reliability chart once resolutions are recorded.
import { useEffect, useMemo } from "react";
import type { ModelCtx } from "../App";
import { type ChartOption, EChart } from "../charts";
import { RunPanel, useRun } from "../run";
import type { ForecastResult, QuestionForecast, ScoreSummary } from "../types";

const pct = (p: number | null | undefined, d = 0) =>
  p === null || p === undefined || Number.isNaN(p) ? "—" : `${(100 * p).toFixed(d)} %`;

type WithScores = ForecastResult & { scores?: ScoreSummary; resolutions?: { id: string; outcome: 0 | 1 }[] };

export function ForecastsView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const questions = lookup.model.questions ?? [];
  const fc = useRun<WithScores>(record.id, record.version, "forecast");
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per version
  useEffect(() => {
    if (questions.length) void fc.start({});
  }, [record.version]);
  const r = fc.run?.status === "done" || fc.run?.status === "cancelled" ? fc.run.result : undefined;

  if (!questions.length)
    return (
      <p className="note">
        This model asks no forecast questions yet. Add a <code>questions:</code> section to the model file
        (see docs/model-format.md) to get probabilities here.
      </p>
    );

  return (
    <div className="forecast-view">
      <div className="toolbar">
        <button type="button" onClick={() => void fc.start({}, { force: true })} disabled={fc.busy}>
          Recompute forecasts
        </button>
        {r && (
          <span className="muted small">
            {r.runs.toLocaleString("en")} runs per question, seed {r.seed}
            {r.uncertainty ? ", judgments drawn around their values" : ""}; {r.interval}
          </span>
        )}
      </div>
      <RunPanel handle={fc} what="the forecasts" />
      {r?.scores ? (
        <Scores s={r.scores} />
      ) : (
        r && (
          <p className="muted small">
            No resolutions are recorded for these questions yet: scores and a reliability chart appear once
            outcomes are known (<code>muscat forecast --save</code>, then{" "}
            <code>muscat score --resolutions FILE</code>).
          </p>
        )
      )}
      {r?.start?.inferred && r.start.inferred.length > 0 && (
        <p className="muted small">
          The model gives no current state for {r.start.inferred.join(", ")}: the runs start them in the state
          the rest of the current situation favours most.
        </p>
      )}
      <div className="questions">
        {(r?.questions ?? []).map((q) => (
          <QuestionCard
            key={q.id}
            q={q}
            ctx={ctx}
            outcome={r?.resolutions?.find((x) => x.id === q.id)?.outcome}
          />
        ))}
        {!r &&
          questions.map((q) => (
            <article key={q.id} className="card question">
              <h3>{q.text}</h3>
              <p className="muted small">
                {q.mode === "by" ? "by" : "at"} {String(q.horizon)}
              </p>
            </article>
          ))}
      </div>
    </div>
  );
}

function QuestionCard({ q, ctx, outcome }: { q: QuestionForecast; ctx: ModelCtx; outcome?: 0 | 1 }) {
  const { model } = ctx.lookup;
  const sname = (f: string, s: string) => {
    const ff = model.factors.find((x) => x.id === f);
    return `${ff?.short ?? f}=${ff?.states.find((x) => x.id === s)?.short ?? s}`;
  };
  return (
    <article className="card question">
      <div className="q-head">
        <div className="q-prob">{pct(q.p)}</div>
        <div>
          <h3>{q.text}</h3>
          <p className="muted small">
            {q.mode === "by" ? "at any step up to" : "at"} step {q.horizon.steps} ({q.horizon.date}) ·
            interval {pct(q.interval.lo)}–{pct(q.interval.hi)} from judgment uncertainty
            {q.given.length ? ` · given ${q.given.join(", ")}` : ""}
            {outcome !== undefined && (
              <span className={`badge ${outcome ? "appear" : "vanish"}`}>
                resolved {outcome ? "yes" : "no"}
              </span>
            )}
          </p>
          <div className="q-bar">
            <span className="bar-track">
              <span className="bar-fill" style={{ width: `${100 * q.p}%` }} />
              <span
                className="whisker"
                style={{
                  left: `${100 * q.interval.lo}%`,
                  width: `${100 * (q.interval.hi - q.interval.lo)}%`,
                }}
              />
            </span>
          </div>
        </div>
      </div>
      <div className="grid-2 tight">
        <div>
          <h4>Drivers</h4>
          {q.drivers?.length ? (
            <ul className="small">
              {q.drivers.map((d) =>
                d.kind === "impact" ? (
                  <li key={`i${d.impact}`}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => ctx.go("model", { path: `impacts[${d.impact}]` })}
                    >
                      {d.from} → {d.to}
                    </button>{" "}
                    {d.strength} → {d.changedTo}: {d.effect > 0 ? "+" : ""}
                    {(100 * d.effect).toFixed(1)} pts
                  </li>
                ) : (
                  <li key={`c${d.factor}${d.to}`}>
                    if {sname(d.factor, d.to)} now (not {d.from}): {d.effect > 0 ? "+" : ""}
                    {(100 * d.effect).toFixed(1)} pts
                  </li>
                ),
              )}
            </ul>
          ) : (
            <p className="muted small">none computed</p>
          )}
        </div>
        <div>
          <h4>Indicators to watch</h4>
          {q.indicators?.length ? (
            <ul className="small">
              {q.indicators.map((x) => (
                <li key={`${x.factor}=${x.state}`}>
                  {x.label}: {pct(x.p)} ({x.shift > 0 ? "+" : ""}
                  {(100 * x.shift).toFixed(1)} pts)
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">none computed</p>
          )}
        </div>
      </div>
    </article>
  );
}

function Scores({ s }: { s: ScoreSummary }) {
  const option = useMemo<ChartOption>(() => {
    const pts = s.calibration.filter((c) => c.n > 0 && c.meanForecast !== null && c.observed !== null);
    return {
      grid: { left: 44, right: 12, top: 12, bottom: 36 },
      xAxis: { type: "value", min: 0, max: 1, name: "forecast", nameLocation: "middle", nameGap: 22 },
      yAxis: { type: "value", min: 0, max: 1, name: "observed" },
      tooltip: { trigger: "item" },
      series: [
        {
          type: "line",
          data: [
            [0, 0],
            [1, 1],
          ],
          lineStyle: { type: "dashed", color: "#999" },
          symbol: "none",
          silent: true,
        },
        {
          type: "scatter",
          data: pts.map((c) => [c.meanForecast, c.observed, c.n]),
          symbolSize: (v: number[]) => 6 + Math.sqrt(v[2]) * 3,
          color: "#3465a4",
        },
      ],
    };
  }, [s]);
  return (
    <section className="card grid-2">
      <div>
        <h2>Scores ({s.n} resolved questions)</h2>
        <table className="small-table">
          <tbody>
            <tr>
              <th scope="row">Brier score</th>
              <td className="num">{s.brier.toFixed(3)}</td>
              <td className="muted small">0 is perfect; always saying 50 % scores 0.25</td>
            </tr>
            <tr>
              <th scope="row">Log score</th>
              <td className="num">{s.log.toFixed(3)}</td>
              <td />
            </tr>
            <tr>
              <th scope="row">Skill vs base rate</th>
              <td className="num">{pct(s.skill.brierVsBaseRate)}</td>
              <td />
            </tr>
          </tbody>
        </table>
        {s.decompositionNote && <p className="muted small">{s.decompositionNote}</p>}
      </div>
      <div>
        <h2>Reliability</h2>
        <EChart
          option={option}
          height={200}
          label="Reliability diagram: forecast probability against observed frequency"
        />
      </div>
    </section>
  );
}
