// Browser tests of the Build view: a model made from a blank page with the keyboard, its kernel
// redrawn as it is typed; an edit that makes a scenario vanish; .scw export and re-import; a
// ScenarioWizard fixture uploaded; a report with its forecast section made from the app.
// Screenshots at 1280×800 and 800×1000 go to test-results/screenshots/.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSolutionList } from "../../src/cib/sl.js";
import { haveShared, scwDir } from "../helpers/paths.js";
import { enabled, startUi, type Ui } from "./harness.js";

describe.skipIf(!enabled)("Build view", () => {
  let ui: Ui;
  beforeAll(async () => {
    ui = await startUi();
  }, 120_000);
  afterAll(async () => ui?.close());

  const liveCount = () => ui.page.locator("[data-testid=live-count]").textContent();

  it("an edit redraws the kernel at once and marks the scenario that vanished", async () => {
    const { page } = ui;
    await page.goto(`${ui.base}/#build`);
    await expect.poll(liveCount).toBe("3");
    const cell = page.getByLabel("talks=breakthrough on us-force=restraint", { exact: true });
    expect(await cell.inputValue()).toBe("+3");
    await cell.fill("-3");
    await expect.poll(() => page.locator(".live-list li.vanish").count()).toBe(1);
    expect(await page.locator(".live-list li.vanish").getAttribute("data-scenario")).toBe("S2");
    expect(await page.locator(".build-toolbar .status").textContent()).toBe("unsaved changes");
    await ui.shot("build-edit-vanish");
    await page.setViewportSize({ width: 800, height: 1000 });
    await ui.shot("build-800");
    await page.setViewportSize({ width: 1280, height: 800 });
    // undo brings the saved kernel back: S2 is there again, the scenario the edit made is gone
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => page.locator('.live-list li[data-scenario="S2"]:not(.vanish)').count()).toBe(1);
    expect(await page.locator(".live-list li.vanish").getAttribute("data-scenario")).toMatch(/^N\d+$/);
    expect(await page.locator(".build-toolbar .status").textContent()).toMatch(/^version \d+, saved$/);
  }, 60_000);

  it("edits the model file for what the forms do not cover, validated as it is typed", async () => {
    const { page } = ui;
    await page.getByRole("button", { name: /Model file/ }).click();
    const area = page.getByLabel("The model file");
    const text = await area.inputValue();
    expect(text).toContain("stakes:");
    await area.fill(text.replace(/^asOf: .*$/m, "asOf: 2025-13-45"));
    await area.blur();
    await expect.poll(() => page.locator(".text-problems").textContent()).toMatch(/line \d+.*asOf/);
    expect(await page.getByRole("button", { name: /Save as version/ }).isDisabled()).toBe(true);
    await ui.shot("build-file");
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => page.locator(".text-problems").count()).toBe(0);
    await page.getByRole("button", { name: "Judgments" }).click();
  }, 60_000);

  it("names a scenario; the model keeps the name and every view shows it", async () => {
    const { page } = ui;
    page.once("dialog", (d) => void d.accept("Breakdown and escalation"));
    await page.getByRole("button", { name: "Name scenario S1" }).click();
    await expect
      .poll(() => page.locator('.live-list li[data-scenario="S1"] .given-name').textContent())
      .toBe("Breakdown and escalation");
    await page.getByRole("button", { name: /Save as version/ }).click();
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("version 2");
    const { data } = await ui.api<{ model: { scenarios?: { name: string; states: unknown[] }[] } }>(
      "GET",
      "/api/models/oman-2025",
    );
    expect(data.model.scenarios?.[0].name).toBe("Breakdown and escalation");
    await ui.openView("Scenarios");
    await expect
      .poll(() => page.locator(".tableau thead").textContent())
      .toContain("Breakdown and escalation");
    await ui.shot("scenarios-named");
    await ui.openView("Build");
  }, 60_000);

  it("builds a 4-factor, 3-state model from a blank page with the keyboard and sees its kernel", async () => {
    const { page } = ui;
    page.once("dialog", (d) => void d.accept("Keyboard model"));
    await page.getByRole("button", { name: "New model" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Keyboard model");
    for (const name of ["Alpha", "Beta", "Gamma", "Delta"]) {
      await page.getByLabel("New factor name").focus();
      await page.keyboard.type(name);
      await page.keyboard.press("Tab");
      await page.keyboard.type("low, mid, high");
      await page.keyboard.press("Enter");
      await expect
        .poll(() => page.getByLabel(`Name of factor ${name.toLowerCase()}`, { exact: true }).count())
        .toBe(1);
    }
    // Each state of a factor promotes the same state of every other factor (+2) and hinders
    // the others (−1): the kernel is the three "all the same" scenarios.
    const size = 12;
    for (let r = 0; r < size; r++) {
      const first = Math.floor(r / 3) === 0 ? 3 : 0;
      await page.locator(`[data-rc="${r}-${first}"]`).focus();
      for (let c = first; c < size; c++) {
        if (Math.floor(c / 3) === Math.floor(r / 3)) continue;
        await page.keyboard.type(r % 3 === c % 3 ? "2" : "-1");
        await page.keyboard.press("ArrowRight");
      }
    }
    await expect.poll(liveCount).toBe("3");
    const names = await page.locator(".live-list li").allTextContents();
    expect(names.join(" ")).toMatch(/^S1 /);
    expect(names.join(" ")).toMatch(/alpha: low/i);
    await ui.shot("build-keyboard-model");
    await page.getByRole("button", { name: /Save as version 2/ }).click();
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("version 2");
    // the server's kernel of the saved model is the same
    const run = await ui.api<{ runId: number }>("POST", "/api/models/keyboard-model/runs", {
      engine: "scenarios",
      options: {},
    });
    let result: { count: string } | undefined;
    for (let i = 0; i < 100 && !result; i++) {
      const r = await ui.api<{ status: string; result?: { count: string } }>(
        "GET",
        `/api/runs/${run.data.runId}`,
      );
      if (r.data.status === "done") result = r.data.result;
      else await new Promise((s) => setTimeout(s, 100));
    }
    expect(result?.count).toBe("3");
  }, 120_000);

  it("exports the model as .scw and imports it again: the same model", async () => {
    const { page } = ui;
    const href = await page.getByRole("link", { name: ".scw" }).getAttribute("href");
    expect(href).toContain("format=scw");
    const scw = await (await fetch(new URL(href!, ui.base))).text();
    await page.getByTestId("import-input").setInputFiles({
      name: "roundtrip.scw",
      mimeType: "text/plain",
      buffer: Buffer.from(scw),
    });
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("roundtrip");
    const a = await ui.api<{ rows: number[][]; labels: string[] }>(
      "GET",
      "/api/models/keyboard-model/matrix",
    );
    const b = await ui.api<{ rows: number[][]; labels: string[] }>("GET", "/api/models/roundtrip/matrix");
    expect(b.data.rows).toEqual(a.data.rows);
    expect(b.data.labels).toEqual(a.data.labels);
    const again = await (await fetch(new URL("/api/models/roundtrip/export?format=scw", ui.base))).text();
    expect(again).toBe(scw);
  }, 60_000);

  it.runIf(haveShared)(
    "imports every ScenarioWizard fixture by upload, each with the kernel its .sl gives",
    async () => {
      const { page } = ui;
      const withSl = readdirSync(scwDir)
        .filter((f) => f.endsWith(".scw") && existsSync(join(scwDir, f.replace(/\.scw$/, ".sl"))))
        .sort();
      expect(withSl.length).toBeGreaterThanOrEqual(4);
      for (const file of withSl) {
        await page.goto(`${ui.base}/#build`);
        await page.getByTestId("import-input").setInputFiles({
          name: file,
          mimeType: "text/plain",
          buffer: readFileSync(join(scwDir, file)),
        });
        const id = file
          .replace(/\.scw$/, "")
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "_");
        await expect.poll(() => page.locator(".model-meta").textContent(), { timeout: 20_000 }).toContain(id);
        // the live kernel lists exactly the .sl's scenarios
        const sl = parseSolutionList(readFileSync(join(scwDir, file.replace(/\.scw$/, ".sl")), "utf8"));
        await expect.poll(liveCount, { timeout: 20_000 }).toBe(String(sl.entries.length));
        if (file === "CIB_global.scw") await ui.shot("build-imported-fixture");
      }
    },
    120_000,
  );

  it("belief bars: every factor's distribution at a date; clamping a state updates the others at once", async () => {
    const { page } = ui;
    await page.goto(`${ui.base}/?model=oman-2025#beliefs`);
    const bars = page.locator('ul[aria-label="Distribution of Regional conflict level"] .num');
    await expect.poll(() => bars.count(), { timeout: 60_000 }).toBeGreaterThan(1);
    const before = await bars.allTextContents();
    await page
      .locator('ul[aria-label="Distribution of Outcome of the Muscat talks"] button.belief-row')
      .last()
      .click();
    await expect.poll(() => page.locator(".beliefs-pill").count()).toBe(1);
    await expect.poll(() => bars.allTextContents()).not.toEqual(before);
    await ui.shot("beliefs-clamped");
    expect(ui.pageErrors).toEqual([]);
  }, 90_000);

  it("makes the report of the version on screen, with its forecast section", async () => {
    const { page } = ui;
    await page.goto(`${ui.base}/?model=oman-2025#build`);
    await expect.poll(liveCount).toBe("3");
    const popup = page.waitForEvent("popup");
    await page.getByRole("button", { name: "Make report" }).click();
    const report = await popup;
    await report.waitForLoadState();
    expect(await report.locator("section#forecast").count()).toBe(1);
    expect(await report.locator("section#scenarios").count()).toBe(1);
    await report.close();
    expect(ui.pageErrors).toEqual([]);
  }, 120_000);
  it("attaches evidence by selecting a passage in a document: the selection becomes the locator", async () => {
    const { page } = ui;
    // A made-up report the model does not cite yet (test data).
    const article = [
      "Example Desk | 2025-04-20 | A made-up note for the test",
      "",
      "Officials said a deal would cap enrichment well below weapons grade.",
      "They added that inspectors would return within weeks of a signature.",
      "Nothing else in this note matters.",
    ].join("\n");
    const added = await ui.api<{ id: string }>("POST", "/api/documents", {
      text: article,
      fileName: "made-up-note.txt",
      kind: "text",
    });
    expect(added.status).toBe(201);
    await page.goto(`${ui.base}/?model=oman-2025#build`);
    await expect.poll(liveCount).toBe("3");
    await page.getByLabel("talks=breakthrough on enrichment=capped", { exact: true }).focus();
    await page.getByRole("button", { name: "Attach a passage…" }).click();
    await page.locator(".passage-picker select").selectOption(added.data.id);
    const line = (l: number) => page.locator(`.picker-lines li[data-pick-line="${l}"] .ltext`);
    await expect.poll(() => line(4).textContent()).toContain("inspectors");
    // Select from the middle of line 3 to the middle of line 4 with the mouse.
    const a = (await line(3).boundingBox())!;
    const b = (await line(4).boundingBox())!;
    await page.mouse.move(a.x + 40, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + 120, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    const cite = page.getByRole("button", { name: "Cite lines 3–4" });
    await expect.poll(() => cite.count()).toBe(1);
    await ui.shot("build-evidence-pick");
    // The document is not among the model's sources yet: it is added, with an id from its title.
    const note = await page.locator(".picker-head").textContent();
    const id = /new source '([^']+)'/.exec(note ?? "")?.[1] as string;
    expect(id).toMatch(/^[a-z0-9-]+$/);
    await cite.click();
    await expect.poll(() => page.locator(".cell-evidence code").allTextContents()).toContain(`${id}:3-4`);
    await page.getByRole("button", { name: /Save as version/ }).click();
    await expect
      .poll(() => page.locator(".build-toolbar .status").textContent())
      .toMatch(/^version \d+, saved$/);
    const { data } = await ui.api<{
      model: {
        sources: { id: string; sha256?: string }[];
        impacts: {
          from?: { factor: string; state: string };
          to?: { factor: string; state: string };
          evidence: { source: string; from: number; to: number }[];
        }[];
      };
    }>("GET", "/api/models/oman-2025");
    expect(data.model.sources.find((s) => s.id === id)?.sha256).toBe(added.data.id);
    const judgment = data.model.impacts.find(
      (i) => i.from?.state === "breakthrough" && i.to?.factor === "enrichment" && i.to.state === "capped",
    );
    expect(judgment?.evidence).toContainEqual({ source: id, from: 3, to: 4 });
    expect(ui.pageErrors).toEqual([]);
  }, 90_000);
});
