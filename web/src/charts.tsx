// A small React wrapper over ECharts (tree-shaken, SVG renderer: crisp at any zoom).
import { BarChart, CustomChart, LineChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  MarkAreaComponent,
  TitleComponent,
  AriaComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export function EChart({
  option,
  height = 260,
  label,
  className,
}: {
  option: ChartOption;
  height?: number;
  /** What the chart shows, for screen readers. */
  label: string;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: "svg" });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true }, ...option }, true);
  }, [option]);
  return <div ref={ref} className={className ?? "chart"} style={{ height }} role="img" aria-label={label} />;
}

/** Colours for a factor's states: from the first state (cool) to the last (hot). */
export function stateColor(k: number, n: number): string {
  const pal3 = ["#2f7d5b", "#c9a227", "#b8412f"];
  const pal2 = ["#2f7d5b", "#b8412f"];
  if (n === 2) return pal2[k];
  if (n === 3) return pal3[k];
  const t = n <= 1 ? 0 : k / (n - 1);
  const hue = 150 - 140 * t;
  return `hsl(${hue} 45% 42%)`;
}

export const SERIES_COLORS = [
  "#3465a4",
  "#c4472b",
  "#4e9a06",
  "#75507b",
  "#c17d11",
  "#06989a",
  "#a40000",
  "#5c6b73",
  "#8f5902",
  "#204a87",
  "#ce5c00",
  "#2e3436",
];
