// Browser tests of the UI: build web/, start the real server on a fresh data directory, drive
// Debian's Chromium with playwright-core. Screenshots of every view (1280×800) are saved under
// test-results/screenshots/. Skipped when /usr/bin/chromium is missing (apt-get install chromium)
// or with MUSCAT_BROWSER_TESTS=0.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enabled, SHOTS, startUi, type Ui } from "./harness.js";

/** The seed model's article texts, when this machine has them (the project ships none). */
const SEED_TEXTS = process.env.MUSCAT_SEED_SOURCES ?? "/work/shared/seeds";
const SEED_FILES = ["000_6cfeaa24f288d15b.txt", "001_145ff31df8d6d8be.txt"];

describe.skipIf(!enabled)("browser UI", () => {
  let ui: Ui;
  let page: Page;
  let base: string;
  let pageErrors: string[];
  const api = <T>(method: string, path: string, body?: unknown) => ui.api<T>(method, path, body);
  const shot = (name: string) => ui.shot(name);
  const openView = (title: string) => ui.openView(title);

  beforeAll(async () => {
    ui = await startUi();
    ({ page, base, pageErrors } = ui);
  }, 90_000);

  afterAll(async () => ui?.close());

  it("opens the seed model: title, hash, matrix heatmap, validation", async () => {
    await page.goto(base);
    await expect
      .poll(() => page.locator("h1").textContent(), { timeout: 15_000 })
      .toContain("US–Iran talks in Muscat");
    const { data: rec } = await api<{ hash: string }>("GET", "/api/models/oman-2025");
    expect(await page.locator(".model-meta").textContent()).toContain(rec.hash.slice(0, 12));
    await page.locator("table.matrix").waitFor();
    // 38 states: a 38 × 38 grid of cells, judged ones coloured
    expect(await page.locator("table.matrix td[role=gridcell]").count()).toBe(38 * 38);
    await expect.poll(() => page.locator(".problems").textContent()).toMatch(/valid|warning|error/);
    await shot("model-matrix");
    // long names
    await page.getByLabel("Long names").check();
    expect(await page.locator("table.matrix thead .fhead").first().textContent()).toBe(
      "Outcome of the Muscat talks",
    );
    await page.getByLabel("Long names").uncheck();
    // keyboard: focus a cell, move right, open it with Enter
    await page.locator('[data-cell="0-0"]').focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.locator(".cell-panel").waitFor();
    expect(await page.locator(".cell-panel .cell-title").textContent()).toContain(
      "Outcome of the Muscat talks",
    );
    await page.getByRole("button", { name: "Close the judgment" }).click();
    // the network graph
    await page.getByRole("button", { name: "Network" }).click();
    await page.locator(".cy canvas").first().waitFor();
    await page.waitForTimeout(300);
    await shot("model-network");
    await page.getByRole("button", { name: "Actors & factors" }).click();
    await page.locator(".factor-card").first().waitFor();
    await shot("model-factors");
    await page.getByRole("button", { name: "Matrix" }).click();
  });

  it("shows the consistent scenarios as a tableau with basin weights and an explanation", async () => {
    await openView("Scenarios");
    await expect.poll(() => page.getByTestId("scenario-count").textContent(), { timeout: 30_000 }).toBe("3");
    expect(await page.locator("table.tableau thead .scen-btn").allTextContents()).toEqual(["S1", "S2", "S3"]);
    expect(await page.locator("table.tableau tfoot").textContent()).toContain("Basin weight");
    await page.locator(".why-list li").first().waitFor({ timeout: 30_000 });
    expect(await page.locator(".why-list li").count()).toBe(14);
    await shot("scenarios");
    // an intervention re-runs and shows what appears and vanishes
    await page.getByLabel("Kind of change").selectOption("fix");
    await page.getByLabel("Factor", { exact: true }).selectOption("talks");
    await page.getByLabel("State", { exact: true }).selectOption("breakthrough");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.locator(".summary .vanish-text").waitFor({ timeout: 30_000 });
    expect(await page.locator(".summary").textContent()).toMatch(/\d+ appear · \d+ vanish/);
    await shot("scenarios-intervention");
    await page.getByRole("button", { name: "Reset" }).click();
  });

  it("edits a judgment and sees the scenarios change; a stale edit reports the conflict", async () => {
    // the judgment talks=protracted → iran-russia=sustained (+1): at 0, a fourth scenario appears
    const { data: matrix } = await api<{
      cells: { row: number; column: number; sources: { impact: number }[] }[];
    }>("GET", "/api/models/oman-2025/matrix");
    const cell = matrix.cells.find((c) => c.sources.some((s) => s.impact === 51))!;
    await openView("Model");
    await page.locator(`[data-cell="${cell.row}-${cell.column}"]`).click();
    await page.locator(".cell-panel").waitFor();
    expect(await page.locator(".cell-panel .strength").textContent()).toBe("+1");
    await page.getByLabel("Strength").fill("0");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect
      .poll(() => page.locator(".cell-panel .ok-msg").textContent())
      .toContain("Saved as version 2");
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("version 2");
    await shot("model-edited");
    await openView("Scenarios");
    await expect.poll(() => page.getByTestId("scenario-count").textContent(), { timeout: 30_000 }).toBe("4");

    // someone else saves version 3; an edit based on version 2 is refused with a plain message
    const other = await api("PATCH", "/api/models/oman-2025", {
      baseVersion: 2,
      path: "impacts[0].rationale",
      value: "Edited elsewhere.",
    });
    expect(other.status).toBe(200);
    await openView("Model");
    await page.locator(`[data-cell="${cell.row}-${cell.column}"]`).click();
    await page.getByLabel("Strength").fill("1");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect.poll(() => page.locator(".cell-panel .error-msg").textContent()).toContain("newer version");
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("version 3");
    // an invalid value is refused by the form (out of the scale)
    await page.getByLabel("Strength").fill("9");
    expect(await page.getByRole("button", { name: "Save as new version" }).isDisabled()).toBe(true);
  });

  it("runs a simulation: progress, cancel, then a result with fans and first-passage curves", async () => {
    await openView("Probabilities");
    // The view runs a default simulation on opening: on a loaded 2-core CI machine (the fault
    // suites run beside this file) that has taken over 60 s once.
    await page.locator(".fans .fan").first().waitFor({ timeout: 180_000 });
    await page.getByLabel("Runs").fill("2000000");
    await page.getByRole("button", { name: "Run simulation" }).click();
    await page.getByRole("progressbar", { name: "Progress of the simulation" }).waitFor();
    await expect
      .poll(async () => Number(await page.getByRole("progressbar").first().getAttribute("aria-valuenow")), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await shot("probabilities-progress");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect
      .poll(() => page.locator(".run-panel").first().textContent(), { timeout: 30_000 })
      .toContain("Cancelled");
    await page.getByLabel("Runs").fill("4000");
    await page.getByRole("button", { name: "Run simulation" }).click();
    await page.locator(".run-meta").first().waitFor({ timeout: 60_000 });
    await page.locator(".fans .fan svg").first().waitFor();
    expect(await page.locator(".fans .fan").count()).toBe(14);
    expect(await page.locator(".summary").first().textContent()).toContain("4,000 simulated futures");
    // time is told in dates: the horizon's date in the summary, dates on the axes
    expect(await page.locator(".summary").first().textContent()).toMatch(
      /on 2025-04-\d\d to \d{4}-\d\d-\d\d \(\d+ steps of P1M\)/,
    );
    await page.locator(".bars li").first().waitFor();
    // the outlook of the watched condition: by, on the horizon and in the long run, with ranges
    await page.getByRole("button", { name: "Compute the outlook" }).click();
    await page.locator(".outlook-table tbody tr").nth(2).waitFor({ timeout: 90_000 });
    expect(await page.locator(".outlook-table tbody th").allTextContents()).toEqual([
      expect.stringMatching(/^by \d{4}-\d\d-\d\d$/),
      expect.stringMatching(/^on \d{4}-\d\d-\d\d$/),
      expect.stringMatching(/^in the long run/),
    ]);
    await shot("probabilities");
  }, 300_000);

  it("opens a judgment's evidence and the passage in its source", async () => {
    const texts = SEED_FILES.map((f) => join(SEED_TEXTS, f));
    const haveTexts = texts.every((f) => existsSync(f));
    if (haveTexts)
      for (const f of texts) {
        const r = await api("POST", "/api/documents", {
          text: readFileSync(f, "utf8"),
          fileName: f.split("/").pop(),
        });
        expect(r.status).toBe(201);
      }
    await page.goto(`${base}#model`);
    await page.goto(`${base}#model`);
    await page.reload();
    await page.locator("table.matrix").waitFor();
    // impacts[0]: talks=breakthrough → enrichment=capped, evidence shafaq:35
    await page.locator('[data-cell="0-3"]').click();
    await page.locator(".cell-panel .evidence-list li").first().waitFor();
    if (!haveTexts) {
      await expect
        .poll(() => page.locator(".cell-panel .evidence-list").textContent())
        .toContain("not in the corpus");
      return;
    }
    await page.locator(".cell-panel blockquote.passage").waitFor();
    expect(await page.locator(".cell-panel blockquote.passage").textContent()).toContain(
      "Diplomatic Breakthrough",
    );
    await shot("model-evidence");
    await page.getByRole("button", { name: "Open in Sources →" }).first().click();
    await page.locator(".doc-lines .dline.target").first().waitFor();
    expect(await page.locator(".doc-lines .dline.target").first().getAttribute("data-line")).toBe("35");
    expect(await page.locator(".doc-lines .dline.furniture").count()).toBeGreaterThan(0);
    expect(await page.locator(".doc-lines .dline.cited").count()).toBeGreaterThan(0);
    await shot("sources");
  });

  it("shows stakes, bargaining rounds and forecasts", async () => {
    await openView("Stakes & bargaining");
    await page.locator("table.stakes-table tbody tr").first().waitFor({ timeout: 60_000 });
    await shot("stakes");
    await page.locator(".bargain .chart svg").first().waitFor({ timeout: 30_000 });
    await page.locator(".bargain").scrollIntoViewIfNeeded();
    // The headline is the combined forecast with its interval; the methods stay listed beside it.
    expect(await page.locator(".bargain-headline strong").first().textContent()).toMatch(
      /^Combined forecast: \d+(\.\d)?/,
    );
    expect(await page.locator(".bargain-headline").first().textContent()).toMatch(/90\s?% interval \d/);
    expect(await page.locator(".bargain table.small-table tbody tr").count()).toBeGreaterThanOrEqual(6);
    await shot("bargaining");
    await openView("Forecasts");
    await page.locator(".q-prob").first().waitFor({ timeout: 60_000 });
    expect(await page.locator(".q-prob").count()).toBe(await page.locator(".question").count());
    await shot("forecasts");
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it("saves a forecast as a vintage, records resolutions and shows its scores", async () => {
    // The outcomes below are MADE UP FOR THIS TEST (the project ships no resolutions).
    // The vintage is issued as of 2025-05-01 (the model's date is 2025-04-15): an outcome dated
    // before that is known when it was issued, and is not scored.
    const asOf = page.getByLabel("Issue the vintage as of");
    expect(await asOf.inputValue()).toBe("2025-04-15");
    await asOf.fill("2025-05-01");
    await page.getByRole("button", { name: "Save as vintage" }).click();
    await page.getByLabel("Vintage to score").waitFor();
    const { data: vintages } = await api<{ id: string; made: string; asOf: string }[]>(
      "GET",
      "/api/models/oman-2025/vintages",
    );
    expect(vintages).toHaveLength(1);
    expect(vintages[0].asOf).toBe("2025-05-01");
    expect(await page.getByLabel("Vintage to score").textContent()).toContain("as of 2025-05-01");
    const day = vintages[0].made.slice(0, 10);
    await page.getByRole("button", { name: "Record resolutions" }).click();
    const rows = page.locator(".resolutions-table tbody tr");
    for (let i = 0; i < 5; i++) {
      const q = (await rows.nth(i).getAttribute("data-question")) as string;
      await page.getByLabel(`Outcome of ${q}`).selectOption(i % 2 ? "no" : "yes");
      // the fifth is dated before the as-of date: known, excluded
      await page.getByLabel(`Date ${q} resolved`).fill(i === 4 ? "2025-04-20" : day);
      await page.getByLabel(`Source for ${q}`).fill("made up for the browser test");
    }
    await page.getByRole("button", { name: "Save resolutions" }).click();
    await page.locator(".scores td.brier").waitFor();
    const { data: score } = await api<{
      summary: { n: number; brier: number };
      excluded: { id: string; code: string }[];
    }>("GET", `/api/vintages/${vintages[0].id}/score`);
    expect(score.summary.n).toBe(4);
    expect(score.excluded.map((x) => x.code)).toEqual(["known"]);
    expect(await page.locator(".scores td.brier").textContent()).toBe(score.summary.brier.toFixed(3));
    expect(await page.locator(".scores .as-of-note").textContent()).toMatch(/^Scored as of 2025-05-01/);
    expect(await page.locator(".scores").textContent()).toMatch(
      /Not scored: .*resolved yes on 2025-04-20, before the vintage's as-of date 2025-05-01: known when it was issued/,
    );
    const img = page.locator("img.reliability");
    await expect
      .poll(() => img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await page.locator(".scores").scrollIntoViewIfNeeded();
    await shot("forecasts-scored");
    expect(pageErrors).toEqual([]);
  });
  it("every view at 1280×800 and 800×1000: no page error, nothing wider than the window", async () => {
    const views = [
      "Model",
      "Build",
      "Scenarios",
      "Probabilities",
      "Beliefs",
      "Forecasts",
      "Stakes & bargaining",
      "Sources",
      "Review",
    ];
    for (const size of [
      { width: 1280, height: 800 },
      { width: 800, height: 1000 },
    ]) {
      await page.setViewportSize(size);
      for (const v of views) {
        await openView(v);
        // Let the view's runs finish (or their progress show) before the picture.
        await expect
          .poll(() => page.locator("[aria-busy=true], .run-panel.running").count(), { timeout: 60_000 })
          .toBe(0);
        await page.waitForTimeout(300);
        const slug = v.toLowerCase().replace(/[^a-z]+/g, "-");
        await page.screenshot({ path: join(SHOTS, `tour-${slug}-${size.width}.png`), fullPage: true });
        // The page itself never scrolls sideways: wide content scrolls inside its own box.
        const overflow = await page.evaluate(() => {
          const g = globalThis as unknown as {
            document: { documentElement: { scrollWidth: number } };
            innerWidth: number;
          };
          return g.document.documentElement.scrollWidth - g.innerWidth;
        });
        expect(
          overflow,
          `${v} at ${size.width} px is ${overflow} px wider than the window`,
        ).toBeLessThanOrEqual(0);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it("charts a question's forecast history once a second vintage is saved, and the mean Brier across vintages", async () => {
    // A second vintage, as of a later date (2025-06-01) than the first (2025-05-01), from a
    // forecast with another seed. It is saved through the API: the view's 'Recompute forecasts'
    // gets the stored run of the same options again, which is saved already. The MADE-UP
    // resolutions recorded above are dated today (after both: scored by both) and 2025-04-20
    // (known for both).
    const { data: started } = await api<{ runId: number }>("POST", "/api/models/oman-2025/runs", {
      engine: "forecast",
      options: { runs: 2000, seed: 11, drivers: false },
    });
    await expect
      .poll(async () => (await api<{ status: string }>("GET", `/api/runs/${started.runId}`)).data.status, {
        timeout: 60_000,
      })
      .toBe("done");
    const saved = await api<{ asOf: string }>("POST", "/api/models/oman-2025/vintages", {
      runId: started.runId,
      asOf: "2025-06-01",
    });
    expect(saved.status).toBe(201);
    await openView("Forecasts");
    const { data: history } = await api<{
      vintages: { asOf: string }[];
      questions: { id: string; points: unknown[] }[];
      summary: { meanBrierAcrossVintages: number | null };
    }>("GET", "/api/models/oman-2025/history");
    expect(history.vintages.map((v) => v.asOf)).toEqual(["2025-05-01", "2025-06-01"]);
    expect(history.questions.every((q) => q.points.length === 2)).toBe(true);
    expect(history.summary.meanBrierAcrossVintages).not.toBeNull();
    // each question card charts its history
    const charts = page.locator(".question .q-history .chart svg");
    await charts.first().waitFor();
    expect(await charts.count()).toBe(await page.locator(".question").count());
    expect(await page.locator(".q-history").first().textContent()).toMatch(
      /2 vintages, as of 2025-05-01 to 2025-06-01/,
    );
    // the scores panel gives the mean Brier across vintages
    const mean = page.locator(".scores .history-brier .mean-brier");
    await mean.waitFor();
    expect(await mean.textContent()).toBe(history.summary.meanBrierAcrossVintages!.toFixed(3));
    await page.locator(".question .q-history").first().scrollIntoViewIfNeeded();
    await shot("forecasts-history");
    await page.locator(".scores .history-brier").scrollIntoViewIfNeeded();
    await shot("forecasts-history-brier");
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.locator(".question .q-history").first().scrollIntoViewIfNeeded();
    await shot("forecasts-history-800");
    const overflow = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number } };
        innerWidth: number;
      };
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(pageErrors).toEqual([]);
  }, 150_000);
});
