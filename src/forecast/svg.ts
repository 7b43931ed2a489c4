// Reliability chart (a calibration plot) as a self-contained SVG: forecast probability on x,
// observed frequency on y, one dot per bin (area ∝ count) with its Wilson 95 % interval, the
// diagonal of perfect calibration, and a histogram of the forecasts along the bottom.
import type { CalibrationRow, ScoreSummary } from "./scoring.js";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f = (x: number) => (Math.round(x * 100) / 100).toString();

export function reliabilitySvg(
  rows: CalibrationRow[],
  opts: { title?: string; subtitle?: string; width?: number; height?: number } = {},
): string {
  const W = opts.width ?? 480;
  const H = opts.height ?? 460;
  const m = { l: 56, r: 16, t: 52, b: 96 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const x = (p: number) => m.l + p * pw;
  const y = (p: number) => m.t + (1 - p) * ph;
  const maxN = Math.max(1, ...rows.map((r) => r.n));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
  );
  if (opts.title)
    out.push(`<text x="${m.l}" y="20" font-size="14" font-weight="600">${esc(opts.title)}</text>`);
  if (opts.subtitle) out.push(`<text x="${m.l}" y="38" fill="#555">${esc(opts.subtitle)}</text>`);
  // Grid and axes.
  for (let k = 0; k <= 10; k++) {
    const t = k / 10;
    out.push(
      `<line x1="${f(x(t))}" y1="${m.t}" x2="${f(x(t))}" y2="${m.t + ph}" stroke="#eee"/>`,
      `<line x1="${m.l}" y1="${f(y(t))}" x2="${m.l + pw}" y2="${f(y(t))}" stroke="#eee"/>`,
    );
    if (k % 2 === 0)
      out.push(
        `<text x="${f(x(t))}" y="${m.t + ph + 14}" text-anchor="middle">${t.toFixed(1)}</text>`,
        `<text x="${m.l - 6}" y="${f(y(t) + 4)}" text-anchor="end">${t.toFixed(1)}</text>`,
      );
  }
  out.push(
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#888" stroke-dasharray="4 4"><title>perfect calibration</title></line>`,
    `<text x="${m.l + pw / 2}" y="${m.t + ph + 30}" text-anchor="middle">forecast probability</text>`,
    `<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">observed frequency</text>`,
  );
  // Bins: interval, dot.
  for (const r of rows) {
    if (r.n === 0 || r.meanForecast === null || r.observed === null) continue;
    const cx = x(r.meanForecast);
    const rad = 3 + 9 * Math.sqrt(r.n / maxN);
    out.push(
      `<line x1="${f(cx)}" y1="${f(y(r.lo ?? 0))}" x2="${f(cx)}" y2="${f(y(r.hi ?? 1))}" stroke="#1f6feb" stroke-width="1.5"/>`,
      `<circle cx="${f(cx)}" cy="${f(y(r.observed))}" r="${f(rad)}" fill="#1f6feb" fill-opacity="0.75"><title>${esc(
        `forecasts ${r.from.toFixed(1)}–${r.to.toFixed(1)}: n=${r.n}, mean forecast ${r.meanForecast.toFixed(3)}, observed ${r.observed.toFixed(3)} (95% ${(r.lo ?? 0).toFixed(2)}–${(r.hi ?? 1).toFixed(2)})`,
      )}</title></circle>`,
    );
  }
  // Histogram of forecasts.
  const hy = m.t + ph + 44;
  const hh = 36;
  out.push(`<text x="${m.l - 6}" y="${hy + hh / 2 + 4}" text-anchor="end" fill="#555">n</text>`);
  for (const r of rows) {
    const h = (r.n / maxN) * hh;
    out.push(
      `<rect x="${f(x(r.from) + 1)}" y="${f(hy + hh - h)}" width="${f((r.to - r.from) * pw - 2)}" height="${f(h)}" fill="#9bb7e0"><title>${r.n}</title></rect>`,
    );
    if (r.n > 0)
      out.push(
        `<text x="${f(x((r.from + r.to) / 2))}" y="${f(hy + hh - h - 2)}" text-anchor="middle" fill="#555" font-size="9">${r.n}</text>`,
      );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** The chart for a score summary, titled with the Brier score and its baselines. */
export function scoreChart(summary: ScoreSummary, title: string): string {
  return reliabilitySvg(summary.calibration, {
    title,
    subtitle: `${summary.n} questions · Brier ${summary.brier.toFixed(3)} (always 0.5: ${summary.baselines.half.brier.toFixed(3)}, base rate: ${summary.baselines.baseRate.brier.toFixed(3)})`,
  });
}
