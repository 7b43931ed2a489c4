// Charts drawn outside the report page, with ECharts' server-side SVG renderer (no DOM, no
// browser, no script), the same way the report draws its figures: the reliability chart of a
// vintage's score (a calibration plot). ECharts is heavy: callers on a start-up-sensitive path
// (the CLI, the server's routes) load this module with a dynamic import when they draw.
import * as echarts from "echarts";
import type { CalibrationRow, ScoreSummary } from "../forecast/scoring.js";
import { fixed } from "../format.js";

/**
 * Renders an ECharts option to a standalone SVG string (server-side). zrender names ids and
 * classes after a process-wide instance counter: they are renamed after `prefix`, so that the
 * same chart gives the same bytes on every call.
 */
export function renderSvg(
  option: echarts.EChartsCoreOption,
  width: number,
  height: number,
  prefix = "chart",
): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      textStyle: { fontFamily: "sans-serif" },
      ...option,
    });
    const classes = new Map<string, number>();
    return `${chart
      .renderToSVGString()
      .replace(/\bzr\d+-cls-(\d+)/g, (_, n: string) => {
        if (!classes.has(n)) classes.set(n, classes.size);
        return `${prefix}-cls-${classes.get(n)}`;
      })
      .replace(/\bzr\d+-/g, `${prefix}-`)}\n`;
  } finally {
    chart.dispose();
  }
}

const BLUE = "#1f6feb";
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export interface ReliabilityChartOptions {
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

/**
 * Reliability chart: forecast probability on x, observed frequency on y, one dot per non-empty
 * bin (area ∝ count) with its Wilson 95 % interval, the diagonal of perfect calibration, and
 * the number of forecasts in each bin along the bottom.
 */
export function reliabilityChart(rows: CalibrationRow[], opts: ReliabilityChartOptions = {}): string {
  const width = opts.width ?? 480;
  const height = opts.height ?? 480;
  const top = opts.title ? (opts.subtitle ? 64 : 44) : 16;
  const histH = 48;
  const gap = 56; // between the plot and the histogram: the x axis' labels and name
  const plotH = height - top - gap - histH - 14;
  const maxN = Math.max(1, ...rows.map((r) => r.n));
  const filled = rows.filter(
    (r): r is CalibrationRow & { meanForecast: number; observed: number } =>
      r.n > 0 && r.meanForecast !== null && r.observed !== null,
  );
  const left = 56;
  const right = 16;
  const axis = (name: string) => ({
    type: "value" as const,
    min: 0,
    max: 1,
    interval: 0.2,
    name,
    nameLocation: "middle" as const,
    nameGap: 30,
    splitLine: { lineStyle: { color: "#eeeeee" } },
    axisLine: { show: true, lineStyle: { color: "#999999" } },
    axisLabel: { formatter: (v: number) => v.toFixed(1) },
  });
  return renderSvg(
    {
      title: opts.title
        ? {
            text: opts.title,
            subtext: opts.subtitle,
            left: left - 8,
            top: 6,
            textStyle: { fontSize: 14, fontWeight: 600 },
            subtextStyle: { fontSize: 11, color: "#555555" },
          }
        : undefined,
      grid: [
        { left, right, top, height: plotH },
        { left, right, top: top + plotH + gap, height: histH },
      ],
      xAxis: [
        { ...axis("forecast probability"), gridIndex: 0 },
        {
          type: "category",
          gridIndex: 1,
          data: rows.map((r) => `${r.from.toFixed(1)}–${r.to.toFixed(1)}`),
          axisLabel: { show: false },
          axisTick: { show: false },
          axisLine: { lineStyle: { color: "#999999" } },
        },
      ],
      yAxis: [
        { ...axis("observed frequency"), gridIndex: 0, nameGap: 36 },
        {
          type: "value",
          gridIndex: 1,
          min: 0,
          max: maxN * 1.35, // room for the counts above the bars
          name: "n",
          nameLocation: "middle",
          nameGap: 20,
          nameRotate: 0,
          axisLabel: { show: false },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          name: "perfect calibration",
          type: "line",
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: [
            [0, 0],
            [1, 1],
          ],
          symbol: "none",
          silent: true,
          lineStyle: { color: "#888888", type: "dashed", width: 1 },
        },
        // One vertical segment per bin: its Wilson 95 % interval.
        ...filled.map((r) => ({
          name: `interval ${r.from.toFixed(1)}–${r.to.toFixed(1)}`,
          type: "line" as const,
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: [
            [r3(r.meanForecast), r3(r.lo ?? 0)],
            [r3(r.meanForecast), r3(r.hi ?? 1)],
          ],
          symbol: "none",
          silent: true,
          lineStyle: { color: BLUE, width: 1.5 },
        })),
        {
          name: "bins",
          type: "scatter",
          xAxisIndex: 0,
          yAxisIndex: 0,
          symbol: "circle",
          data: filled.map((r) => ({
            value: [r3(r.meanForecast), r3(r.observed)],
            symbolSize: 2 * (3 + 9 * Math.sqrt(r.n / maxN)),
          })),
          itemStyle: { color: BLUE, opacity: 0.75 },
        },
        {
          name: "forecasts per bin",
          type: "bar",
          xAxisIndex: 1,
          yAxisIndex: 1,
          barCategoryGap: "8%",
          data: rows.map((r) => r.n),
          itemStyle: { color: "#9bb7e0" },
          label: {
            show: true,
            position: "top",
            fontSize: 9,
            color: "#555555",
            formatter: (p: { value: number }) => (p.value > 0 ? String(p.value) : ""),
          },
        },
      ],
    },
    width,
    height,
    "reliability",
  );
}

/** The reliability chart of a score summary, titled, with the Brier score and its baselines. */
export function scoreChart(summary: ScoreSummary, title: string): string {
  return reliabilityChart(summary.calibration, {
    title,
    subtitle: `${summary.n} questions · Brier ${fixed(summary.brier)} (always 0.5: ${fixed(summary.baselines.half.brier)}, base rate: ${fixed(summary.baselines.baseRate.brier)})`,
  });
}
