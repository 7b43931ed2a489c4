// Stakes and bargaining: winners and losers per scenario and in expectation; bargaining rounds.
import { useEffect, useMemo, useState } from "react";
import { fixed, percent, percentRange, range, signed } from "../../../src/format.js";
import type { ModelCtx } from "../App";
import { type ChartOption, EChart, SERIES_COLORS } from "../charts";
import { RunPanel, useRun } from "../run";
import type { ModelBargainResult, StakesReport } from "../types";
import { RefLabel } from "./names";

const pct = (p: number) => percent(p, 0);
const f1 = (x: number | undefined) => fixed(x, 1);
/** A payoff on the actor's own scale: whole numbers as such, others with one decimal. */
const pay = (x: number) => signed(x, Number.isInteger(x) ? 0 : 1);
type ActorRow = StakesReport["stakes"]["actors"][number];
/** A payoff as a share of the actor's range (0 its worst case, 1 its best), within 0..1. */
const share = (a: ActorRow, x: number) =>
  a.best > a.worst ? Math.min(1, Math.max(0, (x - a.worst) / (a.best - a.worst))) : 0.5;

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
              Payoff of each actor in each consistent scenario, as a share of its own range (0% its worst
              case, 100% its best); green: it gains against{" "}
              {s.reference === "current" ? "the current situation" : "the middle of its range"}, red: it
              loses. Expected: under {s.distribution ?? "equal weights"}, with its 95% interval in the same
              unit (hover for the payoff on the actor's own scale).
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
                            title={`payoff ${pay(p.payoff)} (from ${pay(a.worst)} at worst to ${pay(a.best)} at best)${p.gain !== undefined ? `, ${pay(p.gain)} against now` : ""}, regret ${f1(p.regret)}`}
                          >
                            {pct(p.normalised)}
                            <span className="sr-only"> ({p.outcome})</span>
                          </td>
                        );
                      })}
                      <td className="num expected" title={expectedTitle(a)}>
                        {a.expectedNormalised !== undefined
                          ? percent(a.expectedNormalised, a.expectedInterval ? 1 : 0)
                          : "—"}
                        {a.expectedInterval && (
                          <span className="muted small">
                            {" "}
                            (
                            {percentRange(
                              share(a, a.expectedInterval[0]),
                              share(a, a.expectedInterval[1]),
                              1,
                            )}
                            )
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
                        ? l.levers.slice(0, 3).map((x, i) => (
                            <span key={`${x.factor}=${x.state}`}>
                              {i > 0 && ", "}
                              hold <RefLabel lookup={lookup} id={`${x.factor}=${x.state}`} /> (
                              {signed(x.gain, 1)})
                            </span>
                          ))
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

function expectedTitle(a: ActorRow): string | undefined {
  if (a.expected === undefined) return undefined;
  const iv = a.expectedInterval
    ? `; 95% interval ${range(a.expectedInterval[0], a.expectedInterval[1])}`
    : "";
  return `expected payoff ${signed(a.expected, 1)} on the actor's own scale (worst to best: ${range(a.worst, a.best)})${iv}`;
}

/** "compromise model (clout × salience …)" → "compromise model". */
const methodShort = (name: string) => name.replace(/\s*\(.*$/, "");
const METHOD_COLORS = ["#2e3436", "#8f5902", "#204a87", "#a40000", "#5c3566", "#4e9a06"];
const METHOD_DASHES: (string | number[])[] = ["dashed", "dotted", [8, 3, 2, 3], [2, 2], [12, 4], "dashed"];

function scenarioTitle(ctx: ModelCtx, states: Record<string, string>): string {
  return ctx.lookup.model.factors
    .map((f) => `${f.name}: ${f.states.find((s) => s.id === states[f.id])?.label}`)
    .join("\n");
}

function Bargaining({ ctx, b }: { ctx: ModelCtx; b: ModelBargainResult }) {
  const [sel, setSel] = useState(0);
  const issue = b.issues[Math.min(sel, b.issues.length - 1)];
  const trailKind = issue.trail.eum?.length ? "eum" : issue.trail.smp?.length ? "smp" : null;
  const issueMarks =
    issue.forecasts.filter((f) => f.position !== undefined).length +
    (issue.reversion !== undefined ? 1 : 0) +
    (issue.combined ? 1 : 0);
  const level =
    issue.combined?.level ?? issue.forecasts.find((f) => f.uncertainty)?.uncertainty?.level ?? 0.9;
  const combined = issue.combined;
  const option = useMemo<ChartOption>(() => {
    const rounds =
      trailKind === "eum"
        ? issue.trail.eum!.map((r) => ({ x: r.round, pos: r.positions }))
        : trailKind === "smp"
          ? issue.trail.smp!.map((r) => ({ x: r.turn, pos: r.positions }))
          : [];
    // Where each method forecasts the issue lands: a dashed line each, named in a legend of its
    // own under the chart (labels at the lines' ends overprint when forecasts lie close).
    const marks = issue.forecasts
      .filter((f) => f.position !== undefined)
      .map((f) => ({ name: `${methodShort(f.name)}: ${f1(f.position)}`, y: f.position as number }));
    if (issue.combined)
      marks.unshift({
        name: `combined forecast: ${f1(issue.combined.position)}`,
        y: issue.combined.position,
      });
    if (issue.reversion !== undefined)
      marks.push({ name: `no deal (reversion): ${f1(issue.reversion)}`, y: issue.reversion });
    const actorNames = issue.actors.map((a) => ctx.lookup.actorName(a.id));
    return {
      grid: { left: 48, right: 16, top: 34, bottom: 36 + 20 * Math.ceil(marks.length / 2) },
      tooltip: { trigger: "axis", valueFormatter: (v: number) => fixed(v, 1) },
      legend: [
        { top: 0, type: "scroll", textStyle: { fontSize: 11 }, data: actorNames },
        {
          bottom: 0,
          left: 8,
          right: 8,
          orient: "horizontal",
          itemWidth: 18,
          itemHeight: 2,
          textStyle: { fontSize: 10 },
          data: marks.map((m) => m.name),
          selectedMode: false,
        },
      ],
      xAxis: {
        type: "category",
        data: rounds.map((r) => r.x),
        name: trailKind === "smp" ? "turn" : "round",
        nameLocation: "middle",
        nameGap: 22,
      },
      yAxis: { type: "value", min: issue.min, max: issue.max, name: issue.unit ?? "" },
      series: [
        ...issue.actors.map((a, i) => ({
          name: actorNames[i],
          type: "line",
          data: rounds.map((r) => r.pos[i]),
          color: SERIES_COLORS[i % SERIES_COLORS.length],
          symbolSize: 4,
          lineStyle: { width: 1.5 + 2 * a.salience },
          z: 3,
        })),
        ...marks.map((m, i) => {
          const color = METHOD_COLORS[i % METHOD_COLORS.length];
          const dash = METHOD_DASHES[i % METHOD_DASHES.length];
          return {
            name: m.name,
            type: "line",
            data: [],
            color,
            symbol: "none",
            lineStyle: { color, type: dash, width: 1.5 },
            markLine: {
              symbol: "none",
              silent: true,
              label: { show: false },
              lineStyle: { color, type: dash, width: 1.5 },
              data: [{ yAxis: m.y }],
            },
            z: 2,
          };
        }),
      ],
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
                height={300 + 20 * Math.ceil(issueMarks / 2)}
                label={`Positions of the actors on ${issue.name}, round by round, converging`}
              />
              <p className="muted small">
                Each line is an actor's position{" "}
                {trailKind === "eum"
                  ? "round by round (expected-utility model)"
                  : "turn by turn (spatial model of politics)"}
                ; thicker lines care more. Dashed lines: where each method forecasts the issue lands (named
                under the chart).
              </p>
            </>
          ) : (
            <p className="muted">No dynamic model ran for this issue.</p>
          )}
        </div>
        <div>
          {combined && (
            <div className="bargain-headline">
              <p>
                <strong>
                  Combined forecast: {f1(combined.position)}
                  {issue.unit ? ` ${issue.unit}` : ""}
                </strong>{" "}
                <span>
                  ({percent(combined.level, 0)} interval {range(combined.interval[0], combined.interval[1])})
                </span>
              </p>
              <p className="muted small" title={combined.method}>
                A stacked combination of the methods below, learned on EU legislative negotiations (DEU III),
                with a conformal interval calibrated there. The individual methods stay listed below.
              </p>
              {combined.extrapolation.warnings.map((w) => (
                <p key={w} className="small" role="status">
                  <span className="badge warn">extrapolating</span> {w}
                </p>
              ))}
            </div>
          )}
          <table className="small-table">
            <caption>
              {issue.name} ({issue.min}–{issue.max}
              {issue.unit ? ` ${issue.unit}` : ""})
            </caption>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Forecast</th>
                <th scope="col">{percent(level, 0)} range</th>
              </tr>
            </thead>
            <tbody>
              {combined && (
                <tr key="combined">
                  <th scope="row" title={combined.method}>
                    <strong>combined forecast</strong>
                  </th>
                  <td className="num">
                    <strong>{f1(combined.position)}</strong>
                  </td>
                  <td className="num">{range(combined.interval[0], combined.interval[1])}</td>
                </tr>
              )}
              {issue.forecasts.map((f) => (
                <tr key={f.method}>
                  <th scope="row" title={f.name}>
                    {f.name}
                  </th>
                  <td className="num">{f1(f.position)}</td>
                  <td className="num muted">
                    {f.uncertainty
                      ? range(f.uncertainty.interval[0], f.uncertainty.interval[1])
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
