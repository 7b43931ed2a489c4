// The report renders without a browser, is self-contained, and has every section with its
// figures stamped with the model hash and the seed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import { buildReport, REPORT_SECTIONS } from "../../src/report/index.js";
import { seedModelPath } from "../helpers/paths.js";

describe("report", () => {
  const model = parseModelText(readFileSync(seedModelPath, "utf8")).model!;
  const hash = compileModel(model).hash;
  const html = buildReport(model, { seed: 7, generatedAt: "2025-01-01T00:00:00Z" });

  it("contains every section, each with content", () => {
    for (const id of REPORT_SECTIONS) {
      const m = new RegExp(`<section id="${id}"><h2>[^<]+</h2>([\\s\\S]*?)</section>`).exec(html);
      expect(m, id).not.toBeNull();
      expect(m![1].replace(/<[^>]+>/g, "").trim().length, id).toBeGreaterThan(20);
    }
    expect(html).toContain('<table class="tableau">');
    for (const a of model.actors.filter((a) => model.stakes.some((s) => s.actor === a.id)))
      expect(html).toContain(a.name);
    for (const i of model.issues) expect(html).toContain(i.name);
  });

  it("draws the figures as inline SVG, each captioned with the model hash and seed", () => {
    const figures = html.match(/<figure>[\s\S]*?<\/figure>/g) ?? [];
    expect(figures.length).toBeGreaterThanOrEqual(5);
    for (const f of figures) {
      expect(f).toMatch(/^<figure><svg /);
      expect(f).toContain(`model ${hash.slice(0, 16)} · seed 7`);
    }
    expect(html).toMatch(/<section id="matrix">[\s\S]*?<svg/);
    expect(html).toMatch(/<section id="stakes">[\s\S]*?<svg/);
    expect(html).toMatch(/<section id="bargaining">[\s\S]*?<svg/);
    expect(html).toMatch(/<section id="probabilities">[\s\S]*?<svg/);
  });

  it("needs nothing from outside: no scripts, stylesheets, images or fonts fetched", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it("is the same for the same model and seed", () => {
    expect(buildReport(model, { seed: 7, generatedAt: "2025-01-01T00:00:00Z" })).toBe(html);
  });
});
