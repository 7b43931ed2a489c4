// The report is a renderer of the full analysis: it renders without a browser, is
// self-contained, has every section with its figures stamped with the model hash, the seed and
// the engine's version, and shows the analysis' own scenario ids and names and numbers.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";
import { REPORT_SECTIONS, renderReport } from "../../src/report/index.js";
import { type AnalysisResult, analysisRun } from "../../src/runs/analysis.js";
import { checkOptions } from "../../src/runs/fields.js";
import { analysisOptions } from "../../src/runs/options.js";
import { seedModelPath } from "../helpers/paths.js";

/** The analysis spec's defaults with fewer runs (the report does not depend on how many). */
function analyse(model: Model, seed: number): Promise<AnalysisResult> {
  const o = checkOptions(analysisOptions, { seed, runs: 2000, stakesRuns: 300, forecastRuns: 300 });
  if (!o.ok) throw new Error(JSON.stringify(o.problems));
  return analysisRun(model, o.value);
}
const at = "2025-01-01T00:00:00Z";
const section = (html: string, id: string) =>
  new RegExp(`<section id="${id}"><h2>[^<]+</h2>([\\s\\S]*?)</section>`).exec(html)?.[1];
const text = (html: string) => html.replace(/<svg[\s\S]*?<\/svg>/g, "").replace(/<[^>]+>/g, " ");

describe("report", async () => {
  const model = parseModelText(readFileSync(seedModelPath, "utf8")).model!;
  const hash = compileModel(model).hash;
  const analysis = await analyse(model, 7);
  const html = renderReport(analysis, model, { generatedAt: at });

  it("contains every section, each with content", () => {
    expect(REPORT_SECTIONS.at(-1)).toBe("forecast");
    for (const id of REPORT_SECTIONS) {
      const body = section(html, id);
      expect(body, id).toBeDefined();
      expect(body!.replace(/<[^>]+>/g, "").trim().length, id).toBeGreaterThan(20);
    }
    expect(html).toContain('<table class="tableau">');
    for (const a of model.actors.filter((a) => model.stakes.some((s) => s.actor === a.id)))
      expect(html).toContain(a.name);
    for (const i of model.issues) expect(html).toContain(i.name);
  });

  it("shows the analysis' scenario ids and names and its numbers", () => {
    const scen = section(html, "scenarios")!;
    for (const s of analysis.scenarios.scenarios) {
      expect(scen).toContain(`>${s.id}</th>`);
      expect(scen).toContain(s.name);
    }
    const prob = section(html, "probabilities")!;
    for (const s of analysis.longRun!.scenarios) expect(prob).toContain(`<b>${s.id}</b> ${s.name}`);
    expect(prob).toContain(`within ${analysis.steps} steps`);
    const stakes = section(html, "stakes")!;
    for (const s of analysis.stakes!.stakes.scenarios)
      expect(stakes).toContain(`<b>${s.label}</b> ${s.name}`);
    expect(stakes).toContain("Levers");
    const bargaining = section(html, "bargaining")!;
    for (const iss of analysis.bargain!.issues) {
      const c = iss.combined!;
      expect(bargaining).toContain(`<strong>${iss.name}: ${c.position.toFixed(1)}`);
      expect(bargaining).toContain(`interval ${c.interval[0].toFixed(1)}–${c.interval[1].toFixed(1)}`);
    }
    const forecast = section(html, "forecast")!;
    expect(analysis.forecast!.questions.length).toBeGreaterThan(0);
    for (const q of analysis.forecast!.questions) expect(forecast).toContain(`<b>${q.id}</b>`);
    expect(text(html)).not.toMatch(/\bNaN\b|\bundefined\b|\bnull\b|Infinity/);
  });

  it("draws the figures as inline SVG, each captioned with the model hash, seed and engine version", () => {
    const figures = html.match(/<figure>[\s\S]*?<\/figure>/g) ?? [];
    expect(figures.length).toBeGreaterThanOrEqual(8);
    for (const f of figures) {
      expect(f).toMatch(/^<figure><svg /);
      const stamp = /<span class="stamp">([^<]*)<\/span><\/figcaption><\/figure>$/.exec(f)?.[1];
      expect(stamp).toContain(`model ${hash.slice(0, 16)} · seed 7 · `);
      expect(stamp).toMatch(/\d+\.\d+\.\d+$/);
    }
    for (const id of ["matrix", "probabilities", "stakes", "bargaining", "forecast"])
      expect(section(html, id), id).toMatch(/<svg/);
  });

  it("needs nothing from outside: no scripts, stylesheets, images or fonts fetched", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it("is the same for the same model and seed", async () => {
    expect(renderReport(analysis, model, { generatedAt: at })).toBe(html);
    expect(renderReport(await analyse(model, 7), model, { generatedAt: at })).toBe(html);
  });

  it("refuses the analysis of another model", () => {
    expect(() => renderReport(analysis, { ...model, impacts: model.impacts.slice(1) })).toThrow(
      /not of this one/,
    );
  });

  it("leaves out, with a note, what the model cannot support", async () => {
    const bare: Model = {
      ...model,
      factors: model.factors.map(({ current: _current, ...f }) => f),
      questions: [],
      issues: [],
    };
    const a = await analyse(bare, 7);
    expect(a.simulation).toBeUndefined();
    expect(a.longRun).toBeUndefined();
    expect(a.stakes?.stakes.distribution).toMatch(/uniform/);
    const page = renderReport(a, bare, { generatedAt: at });
    expect(section(page, "probabilities")).toMatch(/no long-run distribution/);
    expect(section(page, "bargaining")).toMatch(/no bargaining issues/);
    expect(section(page, "forecast")).toMatch(/no forecast questions/);
    expect(section(page, "stakes")).toMatch(/<svg/);
    expect(text(page)).not.toMatch(/\bNaN\b|\bundefined\b|\bnull\b|Infinity/);
  }, 60_000);
});
