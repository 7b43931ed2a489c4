// The reliability chart of a score, drawn with ECharts' server-side SVG renderer: one dot per
// non-empty bin, the title and subtitle escaped, the same bytes on every call.
import { describe, expect, it } from "vitest";
import { type Outcome, scoreOutcomes } from "../../src/forecast/index.js";
import { reliabilityChart, scoreChart } from "../../src/report/charts.js";

const items = (ps: number[], os: (0 | 1)[]): Outcome[] =>
  ps.map((p, i) => ({ id: `q${i}`, p, outcome: os[i] }));

const ps = Array.from({ length: 60 }, (_, i) => ((i * 37) % 100) / 100);
const summary = scoreOutcomes(
  items(
    ps,
    ps.map((p, i) => (i % 4 === 0 ? 1 - Math.round(p) : Math.round(p)) as 0 | 1),
  ),
);
const dots = (svg: string) => (svg.match(/fill="#1f6feb" fill-opacity="0\.75"/g) ?? []).length;

describe("reliability chart", () => {
  it("draws one dot per non-empty bin, with the title escaped", () => {
    const svg = reliabilityChart(summary.calibration, { title: "calibrated <test>" });
    expect(svg).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
    expect(dots(svg)).toBe(summary.calibration.filter((r) => r.n > 0).length);
    expect(svg).toContain("calibrated &lt;test&gt;");
    expect(svg).toContain("forecast probability");
    expect(svg).toContain("observed frequency");
    expect(svg).not.toMatch(/zr\d+-/); // ids renamed: the same bytes on every call
    expect(reliabilityChart(summary.calibration, { title: "calibrated <test>" })).toBe(svg);
  });

  it("skips empty bins; the score's chart carries the Brier score and its baselines", () => {
    const few = scoreOutcomes(items([0.05, 0.1, 0.93], [0, 1, 1]));
    expect(dots(reliabilityChart(few.calibration))).toBe(few.calibration.filter((r) => r.n > 0).length);
    const svg = scoreChart(summary, "Reliability: v1");
    expect(svg).toContain("Reliability: v1");
    expect(svg).toContain(
      `${summary.n} questions · Brier ${summary.brier!.toFixed(3)} (always 0.5: 0.250, base rate: ${summary.baselines.baseRate.brier!.toFixed(3)})`,
    );
  });
});
