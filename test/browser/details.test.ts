// Browser test of the Build view's Details forms: a question added through the form, an invalid
// horizon shown as `muscat check` words it right under the field and fixed, a position added to
// a bargaining issue, the title edited, and the saved version read back through the API.
// Screenshots at 1280×800 and 800×1000 go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enabled, startUi, type Ui } from "./harness.js";

interface SavedModel {
  title: string;
  questions?: { id: string; text: string; condition: unknown; horizon: number | string }[];
  issues: { id: string; positions: { actor: string; position: number; salience: number; clout: number }[] }[];
}

describe.skipIf(!enabled)("Build view: Details forms", () => {
  let ui: Ui;
  beforeAll(async () => {
    ui = await startUi();
  }, 120_000);
  afterAll(async () => ui?.close());

  it("adds a question and a position, edits the title, with live validation, and saves them", async () => {
    const { page } = ui;
    await page.goto(`${ui.base}/#build`);
    await expect.poll(() => page.locator("[data-testid=live-count]").textContent()).toBe("3");
    await page.getByRole("button", { name: "Details", exact: true }).click();
    const forms = page.locator(".details-forms");
    const save = page.getByRole("button", { name: /Save as version/ });

    // A question, added and filled in through the form.
    await forms.getByRole("button", { name: /^Questions/ }).click();
    const before = await forms.locator("details.df-card").count();
    await forms.getByRole("button", { name: "Add a question" }).click();
    await expect.poll(() => forms.locator("details.df-card").count()).toBe(before + 1);
    const card = forms.locator("details.df-card[open]");
    await expect.poll(() => card.count()).toBe(1);
    // the new question's missing fields are the check's problems, each under its field
    const field = (label: string) =>
      card.locator(".df-field").filter({ has: page.getByText(label, { exact: true }) });
    await expect
      .poll(() => field("Horizon").locator(".df-problems").textContent())
      .toContain("required key is missing");
    expect(await save.isDisabled()).toBe(true);
    // the text field has the focus: typing goes there
    await page.keyboard.type("Will the Muscat talks break down by October 2025?");
    await field("Condition").locator("input").fill("talks=breakdown");
    await field("Horizon").locator("input").fill("2025-13-45");
    await expect
      .poll(() => field("Horizon").locator(".df-problems").textContent())
      .toContain("a real calendar date YYYY-MM-DD");
    expect(await field("Horizon").locator("input").getAttribute("aria-invalid")).toBe("true");
    expect(await field("Condition").locator(".df-problems").count()).toBe(0);
    expect(await save.isDisabled()).toBe(true);
    await ui.shot("build-details");
    await page.setViewportSize({ width: 800, height: 1000 });
    await ui.shot("build-details-800");
    await page.setViewportSize({ width: 1280, height: 800 });
    // fixed: the problem goes as it is typed
    await field("Horizon").locator("input").fill("6");
    await expect.poll(() => field("Horizon").locator(".df-problems").count()).toBe(0);
    expect(await card.locator("summary").textContent()).not.toMatch(/problem/);

    // A position on the first bargaining issue.
    await forms.getByRole("button", { name: /^Bargaining issues/ }).click();
    await forms.locator("details.df-card summary", { hasText: "Enrichment ceiling" }).click();
    await forms.getByLabel("Actor for a new position on Enrichment ceiling").selectOption("oman");
    await forms.getByRole("button", { name: "Add position" }).click();
    const position = forms.getByLabel("Position of Oman on Enrichment ceiling", { exact: true });
    await expect.poll(() => position.count()).toBe(1);
    await position.fill("30");
    await forms.getByLabel("Salience of Oman on Enrichment ceiling").fill("1.5");
    await forms.getByLabel("Clout of Oman on Enrichment ceiling").fill("0.2");
    // an out-of-range salience: the check's words under the row, naming the field
    const row = forms
      .locator(".df-item")
      .filter({ has: page.getByLabel("Position of Oman on Enrichment ceiling", { exact: true }) });
    await expect
      .poll(() => row.locator(".df-problems").textContent())
      .toContain("Salience: expected a value ≤ 1");
    await forms.getByLabel("Salience of Oman on Enrichment ceiling").fill("0.4");
    await expect.poll(() => row.locator(".df-problems").count()).toBe(0);
    await ui.shot("build-details-issue");

    // The stakes, one row each (a look, for the screenshot).
    await forms.getByRole("button", { name: /^Stakes/ }).click();
    await expect.poll(() => forms.getByLabel("Utility of stake 1", { exact: true }).inputValue()).toBe("3");
    await ui.shot("build-details-stakes");

    // The title.
    await forms.getByRole("button", { name: /^Metadata/ }).click();
    const title = forms.getByLabel("Title", { exact: true });
    const oldTitle = await title.inputValue();
    await title.fill(`${oldTitle} (with forms)`);
    await title.press("Enter");
    await expect.poll(() => page.getByLabel("Model title").inputValue()).toBe(`${oldTitle} (with forms)`);
    await ui.shot("build-details-meta");

    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("version 2");
    const { data } = await ui.api<{ model: SavedModel; text: string }>("GET", "/api/models/oman-2025");
    expect(data.model.title).toBe(`${oldTitle} (with forms)`);
    const q = data.model.questions?.at(-1);
    expect(q).toMatchObject({ text: "Will the Muscat talks break down by October 2025?", horizon: 6 });
    expect(q?.condition).toMatchObject({ kind: "state", ref: { factor: "talks", state: "breakdown" } });
    expect(data.model.issues[0].positions.find((p) => p.actor === "oman")).toMatchObject({
      position: 30,
      salience: 0.4,
      clout: 0.2,
    });
    // the rest of the file is as it was: the analyst's comments are still there
    expect(data.text).toContain("# Reversion point (no deal)");
    expect(ui.pageErrors).toEqual([]);
  }, 120_000);
});
