// Stakes and bargaining: winners and losers per scenario and in expectation; bargaining rounds.
import { useEffect, useMemo, useState } from "react";
import { percent } from "../../../src/format.js";
import type { ModelCtx } from "../App";
import { type ChartOption, EChart, SERIES_COLORS } from "../charts";
import { RunPanel, useRun } from "../run";
import type { ModelBargainResult, StakesReport } from "../types";

const pct = (p: number) => percent(p, 0);
const f1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(1));

export function StakesView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const { model } = lookup;
  const stakes = useRun<StakesReport>(record.id, record.version, "stakes");
  const bargain = useRun<ModelBargainResult>(record.id, record.version, "bargain");
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per version
  useEffect(() => {
    if (model.stakes.length) void stakes.start({});
    if (model.issues.length) void bargain.start({});
  }, [record.version]);
  const s = stakes.run?.status === "done" ? stakes.run.result?.stakes : undefined;
  const levers = stakes.run?.status === "done" ? stakes.run.result?.levers : undefined;
  const b = bargain.run?.status === "done" ? bargain.run.result : undefined;

  return (
    <div className="stakes-view">
      <section className="card">
        <h2>Who wins, who loses</h2>
        {!model.stakes.length && <p className="muted">The model records no stakes.</p>}
        <RunPanel handle={stakes} what="the stakes" />
        {s && (
          <>
            <p className="muted small">
              Payoff of each actor in each consistent scenario, as a share of its own range (0 % its worst
              case, 100 % its best); green: it gains against{" "}
              {s.reference === "current" ? "the current situation" : "the middle of its range"}, red: it
              loses. Expected: under {s.distribution ?? "equal weights"}.
            </p>
            <div className="tableau-wrap">
              <table className="stakes-table">
                <thead>
                  <tr>
                    <th scope="col">Actor</th>
                    {s.scenarios.map((sc, i) => (
                      <th key={sc.label ?? i} scope="col" title={scenarioTitle(ctx, sc.states)}>
                        {sc.label}
                        {sc.name && <span className="scen-name">{sc.name}</span>}
                      </th>
                    ))}
                    <th scope="col">Expected</th>
                    <th scope="col">Verdict</th>
                  </tr>
                </thead>
                <tbody>
                  {s.actors.map((a) => (
                    <tr key={a.actor}>
                      <th scope="row">{lookup.actorName(a.actor)}</th>
                      {s.scenarios.map((sc, i) => {
                        const p = sc.payoffs.find((x) => x.actor === a.actor);
                        if (!p) return <td key={sc.label ?? i}>—</td>;
                        return (
                          <td
                            key={sc.label ?? i}
                            className={`payoff ${p.outcome}`}
                            title={`payoff ${p.payoff}${p.gain !== undefined ? `, ${p.gain >= 0 ? "+" : ""}${p.gain} against now` : ""}, regret ${f1(p.regret)}`}
                          >
                            {pct(p.normalised)}
                            <span className="sr-only"> ({p.outcome})</span>
                          </td>
                        );
                      })}
                      <td className="num">
                        {a.expectedNormalised !== undefined ? pct(a.expectedNormalised) : "—"}
                        {a.expectedInterval && (
                          <span className="muted small">
                            {" "}
                            ({f1(a.expectedInterval[0])}–{f1(a.expectedInterval[1])})
                          </span>
                        )}
                      </td>
                      <td
                        className={
                          a.robustWinner ? "verdict win" : a.robustLoser ? "verdict lose" : "verdict"
                        }
                      >
                        {a.robustWinner
                          ? "wins in every scenario"
                          : a.robustLoser
                            ? "loses in every scenario"
                            : `wins in ${a.winsIn.length}, loses in ${a.losesIn.length}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {levers?.some((l) => l.levers.length) && (
              <details className="levers">
                <summary>
                  Levers: the one-factor interventions that raise each actor's expected payoff most
                </summary>
                <ul className="small">
                  {levers.map((l) => (
                    <li key={l.actor}>
                      <strong>{lookup.actorName(l.actor)}</strong>:{" "}
                      {l.levers.length
                        ? l.levers
                            .slice(0, 3)
                            .map((x) => `${x.factor}=${x.state} (+${x.gain.toFixed(1)})`)
                            .join(", ")
                        : "none"}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </section>
      <section className="card">
        <h2>Bargaining: where each issue lands</h2>
        {!model.issues.length && <p className="muted">The model has no bargaining issues.</p>}
        <RunPanel handle={bargain} what="the bargaining forecasts" />
        {b && <Bargaining ctx={ctx} b={b} />}
      </section>
    </div>
  );
}

function scenarioTitle(ctx: ModelCtx, states: Record<string, string>): string {
  return ctx.lookup.model.factors
    .map((f) => `${f.name}: ${f.states.find((s) => s.id === states[f.id])?.label}`)
    .join("\n");
}

function Bargaining({ ctx, b }: { ctx: ModelCtx; b: ModelBargainResult }) {
  const [sel, setSel] = useState(0);
  const issue = b.issues[Math.min(sel, b.issues.length - 1)];
  const trailKind = issue.trail.eum?.length ? "eum" : issue.trail.smp?.length ? "smp" : null;
  const option = useMemo<ChartOption>(() => {
    const rounds =
      trailKind === "eum"
        ? issue.trail.eum!.map((r) => ({ x: r.round, pos: r.positions }))
        : trailKind === "smp"
          ? issue.trail.smp!.map((r) => ({ x: r.turn, pos: r.positions }))
          : [];
    const marks = issue.forecasts
      .filter((f) => f.position !== undefined)
      .map((f) => ({
        yAxis: f.position,
        name: f.method.toUpperCase(),
        label: { formatter: `${f.method}`, position: "end" },
      }));
    if (issue.reversion !== undefined)
      marks.push({
        yAxis: issue.reversion,
        name: "reversion",
        label: { formatter: "no deal", position: "end" },
      });
    return {
      grid: { left: 48, right: 84, top: 34, bottom: 36 },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => v.toFixed(1) },
      legend: { top: 0, type: "scroll", textStyle: { fontSize: 11 } },
      xAxis: {
        type: "category",
        data: rounds.map((r) => r.x),
        name: trailKind === "smp" ? "turn" : "round",
        nameLocation: "middle",
        nameGap: 22,
      },
      yAxis: { type: "value", min: issue.min, max: issue.max, name: issue.unit ?? "" },
      series: issue.actors.map((a, i) => ({
        name: ctx.lookup.actorName(a.id),
        type: "line",
        data: rounds.map((r) => r.pos[i]),
        color: SERIES_COLORS[i % SERIES_COLORS.length],
        symbolSize: 4,
        lineStyle: { width: 1.5 + 2 * a.salience },
        ...(i === 0
          ? {
              markLine: {
                symbol: "none",
                silent: true,
                lineStyle: { color: "#555", type: "dotted" },
                label: { fontSize: 10 },
                data: marks,
              },
            }
          : {}),
      })),
    };
  }, [issue, trailKind, ctx.lookup]);
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: a segmented control */}
      <div className="segmented" role="group" aria-label="Issue">
        {b.issues.map((x, i) => (
          <button key={x.issue} type="button" aria-pressed={i === sel} onClick={() => setSel(i)}>
            {x.name}
          </button>
        ))}
      </div>
      <div className="grid-2 bargain">
        <div>
          {trailKind ? (
            <>
              <EChart
                option={option}
                height={300}
                label={`Positions of the actors on ${issue.name}, round by round, converging`}
              />
              <p className="muted small">
                Each line is an actor's position{" "}
                {trailKind === "eum"
                  ? "round by round (expected-utility model)"
                  : "turn by turn (spatial model of politics)"}
                ; thicker lines care more. Dotted lines: where each method forecasts the issue lands.
              </p>
            </>
          ) : (
            <p className="muted">No dynamic model ran for this issue.</p>
          )}
        </div>
        <div>
          <table className="small-table">
            <caption>
              {issue.name} ({issue.min}–{issue.max}
              {issue.unit ? ` ${issue.unit}` : ""})
            </caption>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Forecast</th>
                <th scope="col">90 % range</th>
              </tr>
            </thead>
            <tbody>
              {issue.forecasts.map((f) => (
                <tr key={f.method}>
                  <th scope="row" title={f.name}>
                    {f.name}
                  </th>
                  <td className="num">{f.position === undefined ? "—" : f.position.toFixed(1)}</td>
                  <td className="num muted">
                    {f.uncertainty
                      ? `${f.uncertainty.interval[0].toFixed(1)}–${f.uncertainty.interval[1].toFixed(1)}`
                      : (f.note ?? "")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="small-table">
            <thead>
              <tr>
                <th scope="col">Actor</th>
                <th scope="col">Position</th>
                <th scope="col">Salience</th>
                <th scope="col">Clout</th>
              </tr>
            </thead>
            <tbody>
              {issue.actors.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{ctx.lookup.actorName(a.id)}</th>
                  <td className="num">{a.position}</td>
                  <td className="num">{a.salience}</td>
                  <td className="num">{a.clout}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}
