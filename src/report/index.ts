// The report: one self-contained HTML page about a model — summary, cross-impact matrix
// heatmap, scenario tableau, probabilities (basin weights of global succession, how likely each
// scenario is within the analysis' horizon, and the long-run distribution when the model gives
// every factor a start state), stakes, bargaining and the forecast questions. It is a renderer
// of the full analysis (src/runs/analysis.ts): the adapter runs analysisRun with the analysis
// spec's defaults and passes the result, and this module only lays it out, so that the report,
// `muscat analyze` and the API's `analyze` show the same numbers. Figures are SVG rendered on
// the server with ECharts' SSR renderer (no browser, no script, no external asset), each
// captioned with the model hash, the seed and the engine version so that it can be reproduced.
// A PDF is printed from the HTML by Chromium (pdf.ts), which the HTML path never needs.
import type * as echarts from "echarts";
import { fixed, percent, percentRange } from "../format.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import type { AnalysisResult } from "../runs/analysis.js";
import type { ScenariosReport } from "../runs/scenarios.js";
import { renderSvg } from "./charts.js";
export interface ReportOptions {
  /** Shown as the report's source. */
  file?: string;
  /** Timestamp shown in the footer (default now). */
  generatedAt?: string;
  version?: string;
}

/** The sections every report has, in order (ids of the page's <section> elements). */
export const REPORT_SECTIONS = [
  "summary",
  "matrix",
  "scenarios",
  "probabilities",
  "stakes",
  "bargaining",
  "forecast",
] as const;

type SectionId = (typeof REPORT_SECTIONS)[number];

const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

let figureCount = 0;

/**
 * Renders an ECharts option to an SVG string (server-side, no DOM), its ids and classes named
 * after the figure's number, so that the page is the same on every run and ids stay unique.
 */
export function svgChart(option: echarts.EChartsCoreOption, width: number, height: number): string {
  figureCount++;
  return renderSvg(option, width, height, `fig${figureCount}`).trimEnd();
}

function figure(svg: string, caption: string, stamp: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)} <span class="stamp">${esc(stamp)}</span></figcaption></figure>`;
}

const note = (text: string) => `<p class="note">${esc(text)}</p>`;
const r4 = (x: number) => Number(x.toFixed(4));
/** A bar's label as a percentage (ECharts hands the formatter the bar's value). */
const percentLabel = (p: { value: number }) => percent(p.value);
/** Scenario ids with their names, as a key under a figure. */
const scenarioKey = (rows: { id: string; name: string }[]) =>
  `<ol class="key">${rows.map((r) => `<li><b>${esc(r.id)}</b> ${esc(r.name)}</li>`).join("")}</ol>`;

function matrixFigure(model: Model, cm: CompiledModel, stamp: string): string {
  const labels: string[] = [];
  cm.factorIds.forEach((_, i) => {
    cm.stateShort[i].forEach((s) => {
      labels.push(`${cm.factorShort[i]}:${s}`);
    });
  });
  const M = cm.size;
  const data: [number, number, number][] = [];
  for (let r = 0; r < M; r++)
    for (let c = 0; c < M; c++) {
      const v = cm.matrix[r * M + c];
      if (v !== 0) data.push([c, M - 1 - r, v]);
    }
  const lim = Math.max(1, Math.abs(model.scale.min), Math.abs(model.scale.max));
  const size = Math.max(520, Math.min(1100, 140 + M * 22));
  const svg = svgChart(
    {
      grid: { left: 130, right: 80, top: 20, bottom: 130 },
      xAxis: {
        type: "category",
        data: labels,
        axisLabel: { rotate: 70, fontSize: 9, interval: 0 },
        splitArea: { show: true },
        name: "impact on",
      },
      yAxis: {
        type: "category",
        data: [...labels].reverse(),
        axisLabel: { fontSize: 9, interval: 0 },
        splitArea: { show: true },
        name: "if",
      },
      visualMap: {
        min: -lim,
        max: lim,
        calculable: false,
        orient: "vertical",
        right: 0,
        top: "middle",
        inRange: { color: ["#b2182b", "#f7f7f7", "#2166ac"] },
      },
      series: [{ type: "heatmap", data, label: { show: M <= 40, fontSize: 8 } }],
    },
    size,
    size,
  );
  return figure(
    svg,
    `Cross-impact matrix: rows are the states that act, columns the states acted on; blue promotes, red restricts (scale ${model.scale.min}…${model.scale.max}).`,
    stamp,
  );
}

function tableau(cm: CompiledModel, r: ScenariosReport): string {
  if (r.scenarios.length === 0) return "<p>No consistent scenario.</p>";
  const shown = r.scenarios.slice(0, 30);
  const head = shown.map((s) => `<th title="${esc(s.name)}">${esc(s.id)}</th>`).join("");
  const names = shown.map((s) => `<td>${esc(s.name)}</td>`).join("");
  const rows = cm.factorIds
    .map((fid, j) => {
      const cells = shown
        .map((s, i) => {
          const st = s.states[fid];
          const k = cm.stateIds[j].indexOf(st);
          const same = i > 0 && shown[i - 1].states[fid] === st;
          return `<td class="${same ? "same" : ""}" title="${esc(cm.stateLabels[j][k])}">${esc(cm.stateShort[j][k])}</td>`;
        })
        .join("");
      return `<tr><th title="${esc(cm.factorNames[j])}">${esc(cm.factorShort[j])}</th>${cells}</tr>`;
    })
    .join("");
  const starts = r.basins?.starts;
  const foot = [
    `<tr class="num"><th>TIS</th>${shown.map((s) => `<td>${s.tis}</td>`).join("")}</tr>`,
    `<tr class="num"><th>CV</th>${shown.map((s) => `<td>${s.consistencyValue}</td>`).join("")}</tr>`,
    starts
      ? `<tr class="num"><th>basin</th>${shown.map((s) => `<td>${percent((s.basinWeight ?? 0) / starts, 1)}</td>`).join("")}</tr>`
      : "",
  ].join("");
  const more =
    r.scenarios.length > shown.length ? `<p>… and ${r.scenarios.length - shown.length} more.</p>` : "";
  return `<div class="wide"><table class="tableau"><thead><tr><th></th>${head}</tr><tr class="name"><th>name</th>${names}</tr></thead><tbody>${rows}${foot}</tbody></table></div>${more}`;
}

function scenariosSection(cm: CompiledModel, r: ScenariosReport, stamp: string): string {
  return `<p>${esc(r.count)} consistent scenario${r.count === "1" ? "" : "s"} out of ${esc(r.space)} (columns, each with its id and the states that set it apart; factors as rows; a dimmed cell repeats its left neighbour).${r.complete ? "" : " The search did not finish: the list is partial."}</p>${tableau(cm, r)}<p class="stamp">${esc(`${stamp} · ${r.version}`)}</p>`;
}

/** Basin weights: the share of all starts whose global succession ends in each scenario. */
function basinsFigure(r: ScenariosReport, stamp: string): string {
  const b = r.basins;
  if (!b) return note("Basin weights not computed.");
  if (r.scenarios.length === 0) return "";
  const shown = r.scenarios.slice(0, 30);
  const svg = svgChart(
    {
      grid: { left: 60, right: 30, top: 20, bottom: 40 },
      xAxis: { type: "category", data: shown.map((s) => s.id) },
      yAxis: { type: "value", name: "share of starts", max: 1 },
      series: [
        {
          type: "bar",
          data: shown.map((s) => r4((s.basinWeight ?? 0) / b.starts)),
          label: { show: true, position: "top", fontSize: 8, formatter: percentLabel },
        },
      ],
    },
    760,
    300,
  );
  return figure(
    svg,
    `Basin weights: the share of all starting scenarios whose global succession ends in each consistent scenario (${b.estimate ? `estimate from ${b.starts} sampled starts` : `exact over ${b.starts} starts`}; ${b.cycleStarts} starts end in cycles).`,
    `${stamp} · ${r.version}`,
  );
}

/** How likely each consistent scenario is within the horizon, from the current situation. */
function simulationPart(a: AnalysisResult, model: Model, stamp: string): string {
  const sim = a.simulation;
  if (!sim) return "";
  const K = a.steps;
  const names = new Map(a.scenarios.scenarios.map((s) => [s.id, s.name]));
  const rows = sim.conditions;
  const svg = svgChart(
    {
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      legend: { top: 0, textStyle: { fontSize: 10 } },
      xAxis: { type: "category", data: rows.map((c) => c.condition) },
      yAxis: { type: "value", name: "probability", max: 1 },
      series: [
        {
          type: "bar",
          name: `reached within ${K} steps`,
          data: rows.map((c) => r4(c.byStep[K].p)),
          label: { show: true, position: "top", fontSize: 8, formatter: percentLabel },
        },
        {
          type: "bar",
          name: `holds at step ${K}`,
          data: rows.map((c) => r4(c.atStep[K].p)),
          label: { show: true, position: "top", fontSize: 8, formatter: percentLabel },
        },
      ],
    },
    760,
    300,
  );
  const table = `<table class="grid"><thead><tr><th>scenario</th><th>reached within ${K} steps</th><th>holds at step ${K}</th><th>mean first step</th><th>main path</th></tr></thead><tbody>${rows
    .map((c) => {
      const path = c.pathSets.find((p) => p.changes.length > 0);
      return `<tr><th><b>${esc(c.condition)}</b> ${esc(names.get(c.condition) ?? "")}</th><td class="n">${percent(c.byStep[K].p)} <small>(${percentRange(c.byStep[K].lo, c.byStep[K].hi)})</small></td><td class="n">${percent(c.atStep[K].p)} <small>(${percentRange(c.atStep[K].lo, c.atStep[K].hi)})</small></td><td class="n">${fixed(c.meanFirstPassage, 1)}</td><td><small>${path ? `${esc(path.changes.map((x) => `${x.factor}=${x.state}`).join(", "))} (${percent(path.p)})` : "—"}</small></td></tr>`;
    })
    .join("")}</tbody></table>`;
  return [
    `<h3>Within ${K} steps from the current situation</h3>`,
    figure(
      svg,
      `How likely each consistent scenario is to be reached within ${K} steps (${model.step ?? "P1M"} each) of the stochastic succession from the current situation, and to hold at step ${K}; ${sim.runs} runs, 95% Wilson intervals in the table.${sim.partial ? " Stopped early: partial." : ""}`,
      `${stamp} · ${sim.engine.name} ${sim.engine.version}`,
    ),
    `<div class="wide">${table}</div>`,
  ].join("\n");
}

/** The long-run (stationary) distribution's most probable scenarios. */
function longRunPart(a: AnalysisResult, stamp: string): string {
  const lr = a.longRun;
  if (!lr) return "";
  const top = lr.scenarios;
  const svg = svgChart(
    {
      grid: { left: 60, right: 30, top: 20, bottom: 40 },
      xAxis: { type: "category", data: top.map((s) => s.id), axisLabel: { fontSize: 9, interval: 0 } },
      yAxis: { type: "value", name: "long-run probability", max: 1 },
      series: [
        {
          type: "bar",
          data: top.map((s) => ({
            value: r4(s.p),
            itemStyle: { color: s.id.startsWith("S") ? "#4575b4" : "#9bb7e0" },
          })),
          label: { show: true, position: "top", fontSize: 8, formatter: percentLabel },
        },
      ],
    },
    760,
    300,
  );
  const how = lr.exact
    ? `exact over ${lr.exact.states} scenarios, ${lr.exact.solver}, residual ${lr.exact.residual.toExponential(1)}`
    : lr.mcmc
      ? `MCMC estimate: ${lr.mcmc.chains} chains of ${lr.mcmc.samples} samples after ${lr.mcmc.burnIn} burn-in, worst R-hat ${fixed(lr.mcmc.maxRhat, 4)}${lr.mcmc.converged ? "" : " (not converged)"}`
      : lr.method;
  return [
    "<h3>In the long run</h3>",
    figure(
      svg,
      `Long-run (stationary) probabilities of the stochastic succession, the ${top.length} most probable scenarios (${how}). Dark: consistent scenarios (S…); light: others (N…), named by the states that set them apart.${lr.partial ? " Stopped early: partial." : ""}`,
      `${stamp} · ${lr.engine.name} ${lr.engine.version}`,
    ),
    scenarioKey(top),
  ].join("\n");
}

function probabilitiesSection(a: AnalysisResult, model: Model, stamp: string): string {
  const out = [basinsFigure(a.scenarios, stamp)];
  if (a.simulation) out.push(simulationPart(a, model, stamp), longRunPart(a, stamp));
  else
    out.push(
      note(
        "Not every factor has a current state: no simulation from the current situation and no long-run distribution.",
      ),
    );
  return out.filter(Boolean).join("\n");
}

function stakesSection(a: AnalysisResult, model: Model, stamp: string): string {
  if (!a.stakes) return note("The model has no stakes.");
  const s = a.stakes.stakes;
  const names = new Map(model.actors.map((x) => [x.id, x.name]));
  const name = (id: string) => names.get(id) ?? id;
  const actors = s.actors.map((x) => x.actor);
  const bar = svgChart(
    {
      grid: { left: 140, right: 40, top: 20, bottom: 40 },
      xAxis: { type: "value", name: "expected payoff", nameLocation: "middle", nameGap: 25 },
      yAxis: { type: "category", data: actors.map(name), axisLabel: { fontSize: 10 } },
      series: [
        {
          type: "bar",
          data: s.actors.map((x) => ({
            value: Number((x.expected ?? 0).toFixed(2)),
            itemStyle: { color: x.robustWinner ? "#1a9850" : x.robustLoser ? "#d73027" : "#4575b4" },
          })),
          label: {
            show: true,
            position: "right",
            fontSize: 9,
            formatter: (p: { value: number }) => fixed(p.value, 1),
          },
        },
      ],
    },
    760,
    Math.max(200, 60 + actors.length * 26),
  );
  const data: [number, number, number][] = [];
  s.scenarios.forEach((sc, i) => {
    sc.payoffs.forEach((p) => {
      data.push([i, actors.indexOf(p.actor), Math.round(p.normalised * 100)]);
    });
  });
  const heat = svgChart(
    {
      grid: { left: 140, right: 80, top: 20, bottom: 40 },
      xAxis: {
        type: "category",
        data: s.scenarios.map((sc) => sc.label ?? ""),
        axisLabel: { fontSize: 9 },
      },
      yAxis: { type: "category", data: actors.map(name), axisLabel: { fontSize: 10 } },
      visualMap: {
        min: 0,
        max: 100,
        right: 0,
        top: "middle",
        inRange: { color: ["#d73027", "#ffffbf", "#1a9850"] },
      },
      series: [{ type: "heatmap", data, label: { show: s.scenarios.length <= 20, fontSize: 8 } }],
    },
    Math.min(1100, 260 + s.scenarios.length * 40),
    Math.max(220, 60 + actors.length * 26),
  );
  const robust = s.actors.filter((x) => x.robustWinner).map((x) => name(x.actor));
  const out = [
    figure(
      bar,
      `Expected payoff per actor${s.distribution ? ` under ${s.distribution}` : ""}; green: wins in every consistent scenario, red: loses in every one.`,
      `${stamp} · ${s.version}`,
    ),
    figure(
      heat,
      "Each actor's payoff in each consistent scenario, as a share of its own range (0 % worst, 100 % best).",
      `${stamp} · ${s.version}`,
    ),
    scenarioKey(s.scenarios.map((sc) => ({ id: sc.label ?? "", name: sc.name ?? "" }))),
    `<p>Robust winners: ${robust.length ? esc(robust.join(", ")) : "none (no actor gains in every consistent scenario)"}.</p>`,
  ];
  const levers = a.stakes.levers;
  if (levers?.length)
    out.push(
      "<h3>Levers</h3><p>The one-factor interventions that raise each actor's expected payoff most (gain in expected payoff).</p>",
      `<table class="grid"><thead><tr><th>actor</th><th>expected</th><th>best levers</th></tr></thead><tbody>${levers
        .map(
          (l) =>
            `<tr><th>${esc(name(l.actor))}</th><td class="n">${fixed(l.baseline, 1)}</td><td>${
              l.levers.length
                ? esc(
                    l.levers
                      .slice(0, 3)
                      .map((x) => `${x.factor}=${x.state} (+${fixed(x.gain, 1)})`)
                      .join(", "),
                  )
                : "no single intervention raises its expectation"
            }</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  return out.join("\n");
}

function bargainingSection(a: AnalysisResult, stamp: string): string {
  const r = a.bargain;
  if (!r) return note("The model has no bargaining issues.");
  const out: string[] = [];
  for (const iss of r.issues) {
    const c = iss.combined;
    if (c) {
      const unit = iss.unit ? ` ${iss.unit}` : "";
      out.push(
        `<p><strong>${esc(iss.name)}: ${esc(c.position.toFixed(1))}${esc(unit)}</strong>, ${esc(Math.round(100 * c.level))} % interval ${esc(c.interval[0].toFixed(1))}–${esc(c.interval[1].toFixed(1))} (combined forecast: ${esc(c.method)}; ${esc(c.version)}).</p>`,
      );
      for (const w of c.extrapolation.warnings) out.push(note(`Extrapolating: ${w}`));
    }
    const trail = iss.trail.smp?.length
      ? iss.trail.smp.map((t) => t.positions)
      : iss.trail.eum?.map((t) => t.positions);
    const kind = iss.trail.smp?.length
      ? "KTAB spatial model, turn by turn"
      : "expected-utility model, round by round";
    if (trail?.length) {
      const svg = svgChart(
        {
          grid: { left: 50, right: 150, top: 30, bottom: 40 },
          legend: { type: "plain", orient: "vertical", right: 0, top: 20, textStyle: { fontSize: 9 } },
          xAxis: {
            type: "category",
            data: trail.map((_, i) => String(i)),
            name: "round",
            nameLocation: "middle",
            nameGap: 25,
          },
          yAxis: { type: "value", min: iss.min, max: iss.max, name: iss.unit ?? "" },
          series: iss.actors.map((x, k) => ({
            type: "line",
            name: x.id,
            data: trail.map((p) => Number(p[k]?.toFixed(2))),
            showSymbol: false,
          })),
        },
        760,
        320,
      );
      out.push(figure(svg, `${iss.name}: positions converging (${kind}).`, `${stamp} · ${r.version}`));
    }
    const svg = svgChart(
      {
        grid: { left: 260, right: 40, top: 20, bottom: 40 },
        xAxis: { type: "value", min: iss.min, max: iss.max, name: iss.unit ?? "" },
        yAxis: {
          type: "category",
          data: [...(c ? ["combined forecast"] : []), ...iss.forecasts.map((f) => f.name)],
          axisLabel: { fontSize: 9 },
        },
        series: [
          {
            type: "bar",
            data: [
              ...(c ? [Number(c.position.toFixed(2))] : []),
              ...iss.forecasts.map((f) => Number((f.position ?? 0).toFixed(2))),
            ],
            label: { show: true, position: "right", fontSize: 9 },
          },
        ],
      },
      760,
      Math.max(160, 50 + (iss.forecasts.length + (c ? 1 : 0)) * 28),
    );
    out.push(
      figure(
        svg,
        `${iss.name}: where each method says the negotiation lands (scale ${iss.min}–${iss.max}${iss.reversion !== undefined ? `, reversion ${iss.reversion}` : ""}).`,
        `${stamp} · ${r.version}`,
      ),
    );
  }
  return out.join("\n");
}

/** The forecast questions: each one's probability with its interval, and the table. */
function forecastSection(a: AnalysisResult, stamp: string): string {
  const f = a.forecast;
  if (!f) return note("The model has no forecast questions.");
  if (f.questions.length === 0) return note("No forecast question was run.");
  const qs = f.questions;
  // The interval drawn: over judgment draws when the run has them, else the Monte Carlo one.
  const iv = (q: (typeof qs)[number]) => (f.uncertainty ? q.interval : q.mc);
  const ivName = f.uncertainty
    ? `${percent(qs[0].interval.level)} judgment interval`
    : "95% Monte Carlo interval";
  const ids = qs.map((q) => q.id).reverse();
  const at = (i: number) => qs.length - 1 - i;
  const svg = svgChart(
    {
      grid: { left: 220, right: 40, top: 30, bottom: 40 },
      legend: { top: 0, textStyle: { fontSize: 10 }, data: [ivName, "probability"] },
      xAxis: {
        type: "value",
        min: 0,
        max: 1,
        name: "probability",
        nameLocation: "middle",
        nameGap: 25,
        axisLabel: { formatter: (v: number) => percent(v, 0) },
      },
      yAxis: { type: "category", data: ids, axisLabel: { fontSize: 9 } },
      series: [
        {
          type: "bar",
          name: "from",
          stack: "interval",
          silent: true,
          itemStyle: { color: "transparent" },
          data: qs.map((_, i) => r4(iv(qs[at(i)]).lo)),
        },
        {
          type: "bar",
          name: ivName,
          stack: "interval",
          barWidth: 8,
          itemStyle: { color: "#9bb7e0" },
          data: qs.map((_, i) => r4(iv(qs[at(i)]).hi - iv(qs[at(i)]).lo)),
        },
        {
          type: "scatter",
          name: "probability",
          symbolSize: 9,
          itemStyle: { color: "#1f3a93" },
          data: qs.map((_, i) => [r4(qs[at(i)].p), i]),
          label: {
            show: true,
            position: "top",
            distance: 3,
            fontSize: 9,
            formatter: (p: { value: [number, number] }) => percent(p.value[0]),
          },
        },
      ],
    },
    760,
    Math.max(160, 80 + qs.length * 30),
  );
  const table = `<table class="grid"><thead><tr><th>question</th><th>p</th><th>${f.uncertainty ? esc(ivName) : ""}</th><th>MC 95%</th><th>horizon</th></tr></thead><tbody>${qs
    .map(
      (q) =>
        `<tr><th><b>${esc(q.id)}</b><br><small>${esc(q.text)}</small></th><td class="n"><b>${percent(q.p)}</b></td><td class="n">${f.uncertainty ? percentRange(q.interval.lo, q.interval.hi) : ""}</td><td class="n">${percentRange(q.mc.lo, q.mc.hi)}</td><td class="n">${esc(q.mode)} ${esc(q.horizon.date)}<br><small>(${q.horizon.steps} steps)</small></td></tr>`,
    )
    .join("")}</tbody></table>`;
  return [
    figure(
      svg,
      `Forecast questions: the probability of each (dot) with its ${ivName} (bar); ${f.runs} runs per question${f.uncertainty ? `, ${f.runsPerMatrix} runs per drawn judgment matrix` : ""}, from ${f.start.inferred.length ? `the current situation (inferred: ${f.start.inferred.join(", ")})` : "the current situation"}.`,
      `${stamp} · ${f.engine.name} ${f.engine.version}`,
    ),
    `<div class="wide">${table}</div>`,
    "<p>(muscat forecast: the drivers and indicators to watch; --save keeps a vintage to score later.)</p>",
  ].join("\n");
}

/**
 * Lays out a full analysis of `model` (analysisRun's result) as the report page. The model
 * gives the text (names, descriptions) and the matrix; every number comes from the result.
 */
export function renderReport(a: AnalysisResult, model: Model, opts: ReportOptions = {}): string {
  const cm = compileModel(model);
  if (cm.hash !== a.hash)
    throw new Error(
      `the analysis is of model ${a.hash.slice(0, 16)}, not of this one (${cm.hash.slice(0, 16)})`,
    );
  figureCount = 0;
  const seed = a.seed;
  const stamp = `model ${a.hash.slice(0, 16)} · seed ${seed}`;
  const counts = a.counts;
  const sections: Record<SectionId, { title: string; body: string }> = {
    summary: {
      title: "Model",
      body: `<p>${esc(model.description ?? "")}</p>
<table class="facts"><tbody>
<tr><th>Model</th><td>${esc(model.id)} — ${esc(model.title)}</td></tr>
<tr><th>As of</th><td>${esc(model.asOf)}</td></tr>
<tr><th>Model hash</th><td><code>${esc(a.hash)}</code></td></tr>
<tr><th>Size</th><td>${counts.actors} actors, ${counts.factors} factors, ${counts.states} states (${counts.scenarios} scenarios), ${counts.impacts} judgments, ${counts.stakes} stakes, ${counts.issues} bargaining issues, ${counts.evidence} evidence locators</td></tr>
<tr><th>Analysis</th><td>${esc(a.version)}, seed ${seed}, horizon ${a.steps} steps of ${esc(model.step ?? "P1M")}</td></tr>
</tbody></table>
<h3>Actors</h3><ul>${model.actors.map((x) => `<li><b>${esc(x.name)}</b> (${esc(x.id)}${x.kind ? `, ${esc(x.kind)}` : ""})</li>`).join("")}</ul>
<h3>Factors and states</h3><table class="facts"><tbody>${model.factors
        .map(
          (f) =>
            `<tr><th>${esc(f.name)} <small>(${esc(f.short)})</small></th><td>${f.states.map((s) => `${esc(s.label)}${f.current === s.id ? " <b>(current)</b>" : ""}`).join(" · ")}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    },
    matrix: {
      title: "Cross-impact matrix",
      body: matrixFigure(model, cm, `${stamp} · ${a.scenarios.version}`),
    },
    scenarios: { title: "Consistent scenarios", body: scenariosSection(cm, a.scenarios, stamp) },
    probabilities: { title: "Probabilities", body: probabilitiesSection(a, model, stamp) },
    stakes: { title: "Stakes: who wins and who loses", body: stakesSection(a, model, stamp) },
    bargaining: { title: "Bargaining", body: bargainingSection(a, stamp) },
    forecast: { title: "Forecast questions", body: forecastSection(a, stamp) },
  };
  const body = REPORT_SECTIONS.map(
    (id) => `<section id="${id}"><h2>${esc(sections[id].title)}</h2>\n${sections[id].body}\n</section>`,
  ).join("\n");
  const toc = REPORT_SECTIONS.map((id) => `<a href="#${id}">${esc(sections[id].title)}</a>`).join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="muscat-model-hash" content="${esc(a.hash)}"><meta name="muscat-seed" content="${seed}">
<title>${esc(model.title)} — Muscat report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:1120px;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{border-bottom:2px solid #334;padding-bottom:.2rem;margin-top:2rem}
nav{margin:.5rem 0 1rem;color:#555}figure{margin:1rem 0;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:12px;color:#444}.stamp{color:#777;font-family:ui-monospace,monospace;font-size:11px}
table{border-collapse:collapse}.facts th{text-align:left;padding:2px 10px 2px 0;vertical-align:top}.facts td{padding:2px 0}
.tableau th,.tableau td{border:1px solid #ddd;padding:2px 5px;font-size:11px;text-align:center}.tableau td.same{color:#aaa}
.tableau tr.num td{font-family:ui-monospace,monospace}.tableau tr.name td{font-size:10px;color:#555}
.grid th,.grid td{border-bottom:1px solid #e4e4e4;padding:3px 8px;font-size:12px;text-align:left;vertical-align:top}
.grid thead th{border-bottom:1px solid #999}.grid tbody th{font-weight:normal}.grid td.n{white-space:nowrap}.wide{overflow-x:auto}.note{color:#8a5a00}
.key{columns:2;font-size:11px}section{break-before:auto}
@media print{body{max-width:none;margin:0}h2{break-after:avoid}}
</style></head>
<body>
<h1>${esc(model.title)}</h1>
<div class="stamp">${esc(opts.file ?? model.id)} · as of ${esc(model.asOf)} · model hash ${esc(a.hash)} · seed ${seed} · ${esc(a.version)} · generated ${esc(opts.generatedAt ?? new Date().toISOString())}${opts.version ? ` · muscat ${esc(opts.version)}` : ""}</div>
<nav>${toc}</nav>
${body}
<footer><p class="stamp">Every figure is reproducible from the model file with this hash and seed (muscat report --seed ${seed}, or muscat analyze --seed ${seed} for the numbers).</p></footer>
</body></html>
`;
}
