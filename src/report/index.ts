// The report: one self-contained HTML page about a model — summary, cross-impact matrix
// heatmap, scenario tableau, probabilities (basin weights of global succession, and the
// long-run distribution when the model gives every factor a start state), stakes and
// bargaining. Figures are SVG rendered on the server with ECharts' SSR renderer (no browser, no
// script, no external asset), each captioned with the model hash, the seed and the engine
// version so that it can be reproduced. The numbers come from the engines' exported functions
// (the same the CLI and the API call); this module only lays them out. A PDF is printed from
// the HTML by Chromium (pdf.ts), which the HTML path never needs.
import type * as echarts from "echarts";
import { forecastModel, MODEL_FORECAST_VERSION, type ModelBargainResult } from "../bargain/model.js";
import { successionBasins } from "../cib/succession.js";
import { compileModel } from "../model/compile.js";
import type { CompiledModel } from "../model/compiled.js";
import type { Model } from "../model/types.js";
import { ENGINE_VERSION as PROB_VERSION } from "../prob/run.js";
import { type StationaryResult, stationary } from "../prob/stationary.js";
import {
  CIB_ENGINE_VERSION,
  type ScenariosReport,
  scenariosReport,
  statesRecord,
} from "../runs/scenarios.js";
import { stakesReport } from "../runs/stakes.js";
import { modelCounts } from "../runs/summary.js";
import { STAKES_VERSION } from "../stakes/index.js";
import { renderSvg } from "./charts.js";

export interface ReportOptions {
  /** Seed of every seeded computation in the report (default 1). */
  seed?: number;
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
] as const;

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

function tryRun<T>(f: () => T): { value?: T; error?: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

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

function tableau(cm: CompiledModel, r: ScenariosReport, weights?: Map<string, number>): string {
  if (r.scenarios.length === 0) return "<p>No consistent scenario.</p>";
  const shown = r.scenarios.slice(0, 30);
  const head = shown.map((_, i) => `<th>S${i + 1}</th>`).join("");
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
  const foot = [
    `<tr class="num"><th>TIS</th>${shown.map((s) => `<td>${s.tis}</td>`).join("")}</tr>`,
    `<tr class="num"><th>CV</th>${shown.map((s) => `<td>${s.consistencyValue}</td>`).join("")}</tr>`,
    weights
      ? `<tr class="num"><th>basin</th>${shown.map((s) => `<td>${((weights.get(JSON.stringify(s.states)) ?? 0) * 100).toFixed(1)}%</td>`).join("")}</tr>`
      : "",
  ].join("");
  const more =
    r.scenarios.length > shown.length ? `<p>… and ${r.scenarios.length - shown.length} more.</p>` : "";
  return `<div class="wide"><table class="tableau"><thead><tr><th></th>${head}</tr></thead><tbody>${rows}${foot}</tbody></table></div>${more}`;
}

function stakesSection(model: Model, cm: CompiledModel, stamp: string): string {
  const r = tryRun(() => stakesReport(model, cm, { levers: false }));
  if (!r.value) return `<p class="note">Stakes not computed: ${esc(r.error)}</p>`;
  const s = r.value.stakes;
  const names = new Map(model.actors.map((a) => [a.id, a.name]));
  const actors = s.actors.map((a) => a.actor);
  const bar = svgChart(
    {
      grid: { left: 140, right: 30, top: 20, bottom: 40 },
      xAxis: { type: "value", name: "expected payoff", nameLocation: "middle", nameGap: 25 },
      yAxis: { type: "category", data: actors.map((a) => names.get(a) ?? a), axisLabel: { fontSize: 10 } },
      series: [
        {
          type: "bar",
          data: s.actors.map((a) => ({
            value: a.expected ?? 0,
            itemStyle: { color: a.robustWinner ? "#1a9850" : a.robustLoser ? "#d73027" : "#4575b4" },
          })),
          label: {
            show: true,
            position: "right",
            fontSize: 9,
            formatter: (p: { value: number }) => p.value.toFixed(1),
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
        data: s.scenarios.map((sc, i) => sc.label ?? `S${i + 1}`),
        axisLabel: { fontSize: 9 },
      },
      yAxis: { type: "category", data: actors.map((a) => names.get(a) ?? a), axisLabel: { fontSize: 10 } },
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
  const robust = s.actors.filter((a) => a.robustWinner).map((a) => names.get(a.actor) ?? a.actor);
  return [
    figure(
      bar,
      `Expected payoff per actor ${s.distribution ? `(${s.distribution})` : ""}; green: wins in every consistent scenario, red: loses in every one.`,
      `${stamp} · ${STAKES_VERSION}`,
    ),
    figure(
      heat,
      "Each actor's payoff in each consistent scenario, as a share of its own range (0 % worst, 100 % best).",
      `${stamp} · ${STAKES_VERSION}`,
    ),
    `<p>Robust winners: ${robust.length ? esc(robust.join(", ")) : "none (no actor gains in every consistent scenario)"}.</p>`,
  ].join("\n");
}

function bargainingSection(model: Model, cm: CompiledModel, seed: number, stamp: string): string {
  if (model.issues.length === 0) return `<p class="note">The model has no bargaining issues.</p>`;
  const r = tryRun<ModelBargainResult>(() => forecastModel(model, cm.hash, { seed }));
  if (!r.value) return `<p class="note">Bargaining not computed: ${esc(r.error)}</p>`;
  const out: string[] = [];
  for (const iss of r.value.issues) {
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
          series: iss.actors.map((a, k) => ({
            type: "line",
            name: a.id,
            data: trail.map((p) => Number(p[k]?.toFixed(2))),
            showSymbol: false,
          })),
        },
        760,
        320,
      );
      out.push(
        figure(svg, `${iss.name}: positions converging (${kind}).`, `${stamp} · ${MODEL_FORECAST_VERSION}`),
      );
    }
    const svg = svgChart(
      {
        grid: { left: 260, right: 40, top: 20, bottom: 40 },
        xAxis: { type: "value", min: iss.min, max: iss.max, name: iss.unit ?? "" },
        yAxis: { type: "category", data: iss.forecasts.map((f) => f.name), axisLabel: { fontSize: 9 } },
        series: [
          {
            type: "bar",
            data: iss.forecasts.map((f) => Number((f.position ?? 0).toFixed(2))),
            label: { show: true, position: "right", fontSize: 9 },
          },
        ],
      },
      760,
      Math.max(160, 50 + iss.forecasts.length * 28),
    );
    out.push(
      figure(
        svg,
        `${iss.name}: where each method says the negotiation lands (scale ${iss.min}–${iss.max}${iss.reversion !== undefined ? `, reversion ${iss.reversion}` : ""}).`,
        `${stamp} · ${MODEL_FORECAST_VERSION}`,
      ),
    );
  }
  return out.join("\n");
}

function probabilitiesSection(
  cm: CompiledModel,
  seed: number,
  stamp: string,
): { html: string; weights?: Map<string, number> } {
  const out: string[] = [];
  const basins = tryRun(() =>
    successionBasins(cm, { rule: "global", method: "auto", seed, maxExact: 5_000_000, samples: 50_000 }),
  );
  let weights: Map<string, number> | undefined;
  if (basins.value) {
    const b = basins.value;
    weights = new Map(b.attractors.map((a) => [JSON.stringify(statesRecord(cm, a.states)), a.share]));
    const top = b.attractors.slice(0, 20);
    const svg = svgChart(
      {
        grid: { left: 60, right: 30, top: 20, bottom: 40 },
        xAxis: { type: "category", data: top.map((_, i) => `A${i + 1}`) },
        yAxis: { type: "value", name: "share of starts", max: 1 },
        series: [
          {
            type: "bar",
            data: top.map((a) => Number(a.share.toFixed(4))),
            label: {
              show: true,
              position: "top",
              fontSize: 8,
              formatter: (p: { value: number }) => `${(p.value * 100).toFixed(1)}%`,
            },
          },
        ],
      },
      760,
      300,
    );
    const key = top
      .map(
        (a, i) =>
          `<li><b>A${i + 1}</b> ${esc(
            Array.from(a.states, (k, j) => `${cm.factorShort[j]}=${cm.stateShort[j][k]}`).join(" "),
          )}</li>`,
      )
      .join("");
    out.push(
      figure(
        svg,
        `Basin weights: the share of all starting scenarios whose global succession ends in each consistent scenario (${b.estimate ? `estimate from ${b.samples} sampled starts` : `exact over ${b.spaceSize} starts`}; ${b.cycleStarts} starts end in cycles).`,
        `${stamp} · ${CIB_ENGINE_VERSION}`,
      ),
      `<ol class="key">${key}</ol>`,
    );
  } else out.push(`<p class="note">Basin weights not computed: ${esc(basins.error)}</p>`);
  const st = tryRun<StationaryResult>(() => stationary(cm, { seed }));
  if (st.value) {
    const top = st.value.scenarios.slice(0, 15);
    const svg = svgChart(
      {
        grid: { left: 60, right: 30, top: 20, bottom: 40 },
        xAxis: { type: "category", data: top.map((_, i) => `P${i + 1}`) },
        yAxis: { type: "value", name: "long-run probability" },
        series: [{ type: "bar", data: top.map((s) => Number(s.p.toFixed(4))) }],
      },
      760,
      300,
    );
    out.push(
      figure(
        svg,
        `Long-run (stationary) probabilities of the stochastic succession (${st.value.method}).`,
        `${stamp} · prob/${PROB_VERSION}`,
      ),
      `<ol class="key">${top
        .map(
          (s, i) =>
            `<li><b>P${i + 1}</b> ${esc(
              Object.entries(s.states)
                .map(([f, v]) => `${f}=${v}`)
                .join(" "),
            )}</li>`,
        )
        .join("")}</ol>`,
    );
  } else out.push(`<p class="note">Long-run probabilities not computed: ${esc(st.error)}</p>`);
  return { html: out.join("\n"), weights };
}

/** Builds the report page for a valid model. */
export function buildReport(model: Model, opts: ReportOptions = {}): string {
  const seed = opts.seed ?? 1;
  figureCount = 0;
  const cm = compileModel(model);
  const stamp = `model ${cm.hash.slice(0, 16)} · seed ${seed}`;
  const counts = modelCounts(model);
  const scen = tryRun(() => scenariosReport(model, { maxInconsistency: 0 }));
  const prob = probabilitiesSection(cm, seed, stamp);
  const sections: Record<(typeof REPORT_SECTIONS)[number], { title: string; body: string }> = {
    summary: {
      title: "Model",
      body: `<p>${esc(model.description ?? "")}</p>
<table class="facts"><tbody>
<tr><th>Model</th><td>${esc(model.id)} — ${esc(model.title)}</td></tr>
<tr><th>As of</th><td>${esc(model.asOf)}</td></tr>
<tr><th>Model hash</th><td><code>${esc(cm.hash)}</code></td></tr>
<tr><th>Size</th><td>${counts.actors} actors, ${counts.factors} factors, ${counts.states} states (${counts.scenarios} scenarios), ${counts.impacts} judgments, ${counts.stakes} stakes, ${counts.issues} bargaining issues, ${counts.evidence} evidence locators</td></tr>
</tbody></table>
<h3>Actors</h3><ul>${model.actors.map((a) => `<li><b>${esc(a.name)}</b> (${esc(a.id)}${a.kind ? `, ${esc(a.kind)}` : ""})</li>`).join("")}</ul>
<h3>Factors and states</h3><table class="facts"><tbody>${model.factors
        .map(
          (f) =>
            `<tr><th>${esc(f.name)} <small>(${esc(f.short)})</small></th><td>${f.states.map((s) => `${esc(s.label)}${f.current === s.id ? " <b>(current)</b>" : ""}`).join(" · ")}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    },
    matrix: {
      title: "Cross-impact matrix",
      body: matrixFigure(model, cm, `${stamp} · ${CIB_ENGINE_VERSION}`),
    },
    scenarios: {
      title: "Consistent scenarios",
      body: scen.value
        ? `<p>${esc(scen.value.count)} consistent scenario${scen.value.count === "1" ? "" : "s"} out of ${esc(scen.value.space)} (columns; factors as rows; a dimmed cell repeats its left neighbour).</p>${tableau(cm, scen.value, prob.weights)}<p class="stamp">${esc(`${stamp} · ${CIB_ENGINE_VERSION}`)}</p>`
        : `<p class="note">Scenarios not computed: ${esc(scen.error)}</p>`,
    },
    probabilities: { title: "Probabilities", body: prob.html },
    stakes: { title: "Stakes: who wins and who loses", body: stakesSection(model, cm, stamp) },
    bargaining: { title: "Bargaining", body: bargainingSection(model, cm, seed, stamp) },
  };
  const body = REPORT_SECTIONS.map(
    (id) => `<section id="${id}"><h2>${esc(sections[id].title)}</h2>\n${sections[id].body}\n</section>`,
  ).join("\n");
  const toc = REPORT_SECTIONS.map((id) => `<a href="#${id}">${esc(sections[id].title)}</a>`).join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="muscat-model-hash" content="${esc(cm.hash)}"><meta name="muscat-seed" content="${seed}">
<title>${esc(model.title)} — Muscat report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:1120px;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{border-bottom:2px solid #334;padding-bottom:.2rem;margin-top:2rem}
nav{margin:.5rem 0 1rem;color:#555}figure{margin:1rem 0;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:12px;color:#444}.stamp{color:#777;font-family:ui-monospace,monospace;font-size:11px}
table{border-collapse:collapse}.facts th{text-align:left;padding:2px 10px 2px 0;vertical-align:top}.facts td{padding:2px 0}
.tableau th,.tableau td{border:1px solid #ddd;padding:2px 5px;font-size:11px;text-align:center}.tableau td.same{color:#aaa}
.tableau tr.num td{font-family:ui-monospace,monospace}.wide{overflow-x:auto}.note{color:#8a5a00}
.key{columns:2;font-size:11px}section{break-before:auto}
@media print{body{max-width:none;margin:0}h2{break-after:avoid}}
</style></head>
<body>
<h1>${esc(model.title)}</h1>
<div class="stamp">${esc(opts.file ?? model.id)} · as of ${esc(model.asOf)} · model hash ${esc(cm.hash)} · seed ${seed} · generated ${esc(opts.generatedAt ?? new Date().toISOString())}${opts.version ? ` · muscat ${esc(opts.version)}` : ""}</div>
<nav>${toc}</nav>
${body}
<footer><p class="stamp">Every figure is reproducible from the model file with this hash and seed (muscat report --seed ${seed}).</p></footer>
</body></html>
`;
}
