// Browser test of the review queue: a PDF article (printed by Chromium from an HTML article
// written for this test) is ingested from the Sources view; in the Review view one draft on a
// cell the model does not judge is accepted with an edited strength, and one on a judged cell
// is attached as evidence; "Write 2 decisions" saves one new version, which the API and the
// matrix's cell panel show with the new judgment and the added locator. Screenshots at 1280×800
// and 800×1000 go to test-results/screenshots/ (review-*.png).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signed } from "../../src/format.js";
import { enabled, startUi, type Ui } from "./harness.js";

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field
type Json = any;

const PARAS = [
  "Diplomats in Muscat said on Sunday that the negotiations had stalled again over enrichment.",
  "Officials in Jerusalem were blunt. If the talks collapse, Israel will launch a unilateral strike on Iranian nuclear sites.",
  "If the talks fail, Washington will tighten sanctions on Iranian oil exports.",
  "If Israel strikes Iran, the Houthis will resume attacks on shipping in the Red Sea.",
  "If the United States strikes Iran, the Houthis will resume attacks on shipping in the Red Sea.",
  "Oil markets barely moved on the news, a sign that traders expect the talks to drag on for months.",
];

async function articlePdf(page: Page): Promise<Buffer> {
  const ctx = await page.context().browser()!.newContext();
  const p = await ctx.newPage();
  await p.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:"DejaVu Serif",serif;font-size:12pt;line-height:1.5}</style></head><body><h1>If the Muscat talks fail</h1>${PARAS.map((t) => `<p>${t}</p>`).join("")}</body></html>`,
  );
  const pdf = await p.pdf({ format: "A4" });
  await ctx.close();
  return pdf;
}

/** How far the page is wider than the window, in px (0 or less: it fits). */
function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
}

describe.skipIf(!enabled)("review queue in the app", () => {
  let ui: Ui;
  let page: Page;

  beforeAll(async () => {
    ui = await startUi();
    page = ui.page;
  }, 90_000);
  afterAll(async () => ui?.close());

  it("ingests a PDF, accepts one draft, attaches another, and writes one new version with both", async () => {
    await page.goto(`${ui.base}#sources`);
    await page.locator(".corpus-col").waitFor();
    const pdf = await articlePdf(page);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await page
      .getByLabel("Ingest an article and review its drafts (.txt, .html or .pdf)")
      .setInputFiles({ name: "muscat-talks-fail.pdf", mimeType: "application/pdf", buffer: pdf });
    await expect
      .poll(() => page.getByRole("tab", { name: "Review" }).getAttribute("aria-selected"))
      .toBe("true");
    await page.locator(".draft-item").first().waitFor({ timeout: 30_000 });

    // The same drafts through the API: pick one on an unjudged cell and one on a judged cell.
    const docs = (await ui.api<Json>("GET", "/api/documents")).data;
    const doc = docs.find((d: Json) => d.fileName === "muscat-talks-fail.pdf");
    expect(doc.kind).toBe("pdf");
    const rep = (await ui.api<Json>("POST", "/api/models/oman-2025/ingest", { docId: doc.id })).data;
    expect(await page.locator("[data-draft]").count()).toBe(rep.drafts.length);
    const fresh = rep.drafts.find((d: Json) => d.relation === "new");
    const judged = rep.drafts.find(
      (d: Json) => d.existing && `${d.from}>${d.to}` !== `${fresh?.from}>${fresh?.to}`,
    );
    expect(fresh, "a draft on a cell the model does not judge").toBeDefined();
    expect(judged, "a draft on a cell the model judges").toBeDefined();
    const { data: before } = await ui.api<Json>("GET", "/api/models/oman-2025");
    const longName = (ref: string) => {
      const [f, s] = ref.split("=");
      const fac = before.model.factors.find((x: Json) => x.id === f);
      return `${fac.name}: ${fac.states.find((x: Json) => x.id === s).label}`;
    };

    // The draft on the unjudged cell: names, relation, its sentence marked in the text, in view.
    await page.locator(`[data-draft="${fresh.id}"]`).click();
    const card = page.locator(".draft-card");
    await expect.poll(() => card.locator(".draft-claim").textContent()).toContain(longName(fresh.from));
    expect(await card.locator(".draft-claim").textContent()).toContain(longName(fresh.to));
    expect(await card.locator(".badge.rel-new").count()).toBe(1);
    expect(await card.textContent()).toContain("No judgment of this cell yet");
    const quote = rep.quotes.find((q: Json) => q.line === fresh.line && q.sentence === fresh.sentence);
    const sentence = rep.lines[fresh.line - 1].slice(quote.start, quote.end);
    const mark = page.locator(`.review-doc [data-line="${fresh.line}"] mark.draft-mark`);
    expect(await mark.textContent()).toBe(sentence);
    expect(await card.locator(".draft-sentence").first().textContent()).toContain(sentence);
    const box = await page.locator(".review-doc .doc-lines").boundingBox();
    const at = await mark.boundingBox();
    expect(at!.y).toBeGreaterThanOrEqual(box!.y);
    expect(at!.y + at!.height).toBeLessThanOrEqual(box!.y + box!.height);
    await ui.shot("review-draft-new");
    // Accept with the strength edited (one point weaker or stronger than drafted).
    const edited = Math.abs(fresh.strength) === 1 ? 2 * Math.sign(fresh.strength) : Math.sign(fresh.strength);
    await card.getByLabel("Strength").fill(String(edited));
    await card.getByRole("button", { name: "Accept" }).click();
    await expect
      .poll(() => page.locator(`[data-draft="${fresh.id}"] .badge.decision`).textContent())
      .toBe(`accepted ${signed(edited)}`);

    // The draft on the judged cell: what the model has now, then attach.
    await page.locator(`[data-draft="${judged.id}"]`).click();
    await expect.poll(() => card.locator(".draft-claim").textContent()).toContain(longName(judged.to));
    expect(await card.locator(".draft-now").textContent()).toContain(judged.existing.path);
    expect(await card.getByRole("button", { name: "Accept" }).isDisabled()).toBe(true);
    await card.getByRole("button", { name: "Attach as evidence" }).click();
    await ui.shot("review-decided");
    await page.setViewportSize({ width: 800, height: 1000 });
    await ui.shot("review-decided-800");
    const overflow = await overflowX(page);
    expect(overflow, "the review view at 800 px is wider than the window").toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Write: one new version, with both.
    await page.getByRole("button", { name: "Write 2 decisions" }).click();
    await expect.poll(() => page.locator(".review-saved").textContent()).toContain("Saved version 2");
    await expect.poll(() => page.locator(".model-meta").textContent()).toContain("version 2");
    await ui.shot("review-saved");
    const { data: after } = await ui.api<Json>("GET", "/api/models/oman-2025");
    expect(after.version).toBe(2);
    expect(after.message).toMatch(/^ingest .*: accepted 1, attached 1$/);
    const cellOf = (d: Json) => {
      const [ff, fs] = d.from.split("=");
      const [tf, ts] = d.to.split("=");
      return after.model.impacts.find(
        (i: Json) =>
          i.kind === "cell" &&
          !i.author &&
          i.from.factor === ff &&
          i.from.state === fs &&
          i.to.factor === tf &&
          i.to.state === ts,
      );
    };
    const locs = (i: Json) => i.evidence.map((e: Json) => `${e.source}:${e.from}`);
    expect(cellOf(fresh)).toMatchObject({ strength: edited });
    expect(locs(cellOf(fresh))).toContain(fresh.evidence);
    expect(locs(cellOf(judged))).toContain(judged.evidence);
    expect(cellOf(judged).strength).toBe(judged.existing.strength);
    expect(after.model.sources.some((s: Json) => s.id === rep.source.id && s.sha256 === doc.id)).toBe(true);

    // The matrix shows the new judgment and the added evidence in its cell panel.
    const index = (ref: string) => {
      const [f, s] = ref.split("=");
      let g = 0;
      for (const fac of after.model.factors) {
        if (fac.id === f) return g + fac.states.findIndex((x: Json) => x.id === s);
        g += fac.states.length;
      }
      return -1;
    };
    await ui.openView("Model");
    await page.locator(`[data-cell="${index(fresh.from)}-${index(fresh.to)}"]`).click();
    await expect.poll(() => page.locator(".cell-panel .strength").textContent()).toBe(signed(edited));
    expect(await page.locator(".cell-panel .evidence-list").textContent()).toContain(fresh.evidence);
    await ui.shot("review-matrix-new");
    await page.getByRole("button", { name: "Close the judgment" }).click();
    await page.locator(`[data-cell="${index(judged.from)}-${index(judged.to)}"]`).click();
    await expect
      .poll(() => page.locator(".cell-panel .evidence-list").textContent())
      .toContain(judged.evidence);
    expect(ui.pageErrors).toEqual([]);
  }, 180_000);

  it("places a claim the model had no state for, and writes a draft in the cell the analyst chose instead", async () => {
    await page.goto(`${ui.base}#review`);
    const text = [
      "Factions and the deal",
      "",
      "A deal would leave the Iraqi factions with less reason to fight.",
      "",
      "If the talks collapse, Israel could strike Iran's nuclear sites on its own.",
      "",
      "Oil traders and Houthi commanders alike are watching the sanctions debate in Washington.",
      "",
    ].join("\n");
    await page.getByLabel("Ingest an article (.txt, .html or .pdf)").setInputFiles({
      name: "factions-and-the-deal.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(text),
    });
    await page.locator(".gap-item").first().waitFor({ timeout: 30_000 });
    const docs = (await ui.api<Json>("GET", "/api/documents")).data;
    const doc = docs.find((d: Json) => d.fileName === "factions-and-the-deal.txt");
    const rep = (await ui.api<Json>("POST", "/api/models/oman-2025/ingest", { docId: doc.id })).data;
    const { data: model0 } = await ui.api<Json>("GET", "/api/models/oman-2025");
    const judged = (from: string, to: string) => {
      const [ff, fs] = from.split("=");
      const [tf, ts] = to.split("=");
      return model0.model.impacts.some(
        (i: Json) =>
          !i.author &&
          ((i.kind === "cell" &&
            i.from.factor === ff &&
            i.from.state === fs &&
            i.to.factor === tf &&
            i.to.state === ts) ||
            (i.kind === "block" && i.from === ff && i.to === tf)),
      );
    };
    const gap = rep.gaps.find((g: Json) => g.line === 3);
    expect(gap, "the factions line is a gap").toBeDefined();
    expect(gap.candidates.consequence.length).toBeGreaterThan(0);
    const gapFrom = gap.candidates.condition[0];
    const gapTo = gap.candidates.consequence.find((c: Json) => !judged(gapFrom, c));
    expect(gapTo, "a suggested consequence the model does not judge").toBeDefined();
    const draft = rep.drafts.find((d: Json) => d.line === 5);
    expect(draft, "the strike line is a draft").toBeDefined();
    // Another consequence with no judgment from the draft's condition: its suggestions first.
    const everyState = model0.model.factors.flatMap((f: Json) =>
      f.states.map((st: Json) => `${f.id}=${st.id}`),
    );
    const otherTo = [...draft.candidates.consequence, ...everyState].find(
      (c: string) => c !== draft.to && c.split("=")[0] !== draft.from.split("=")[0] && !judged(draft.from, c),
    );
    expect(otherTo, "another consequence the model does not judge").toBeDefined();

    // The gap: its sentence marked, the suggested states first, placed with a strength.
    await page.locator(`[data-gap="${gap.id}"]`).click();
    const card = page.locator(".gap-card");
    await card.waitFor();
    expect(await page.locator('.review-doc [data-line="3"] mark.draft-mark').textContent()).toContain(
      "less reason to fight",
    );
    const suggested = await card
      .getByLabel("Consequence", { exact: true })
      .locator('optgroup[label="Suggested by the reading"] option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(suggested).toEqual(gap.candidates.consequence);
    expect(await card.getByRole("button", { name: "Place and accept" }).isDisabled()).toBe(true);
    await card.getByLabel("Condition", { exact: true }).selectOption(gapFrom);
    await card.getByLabel("Consequence", { exact: true }).selectOption(gapTo);
    await card.getByLabel("Strength").fill("-2");
    // The words that said it, taught to the consequence's state; refused words hold it back.
    await card.locator(".teach summary").click();
    // The gap's noun phrases of its missing side are offered for that side's words.
    if (gap.missing.includes("consequence") && gap.topics.length > 0) {
      const offered = await card
        .locator(`datalist#teach-${gap.id}-to option`)
        .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
      expect(offered.length).toBeGreaterThan(0);
      for (const o of offered) expect(gap.topics).toContain(o);
    }
    await card.getByLabel("Words for the consequence").fill("reason: fight");
    await expect.poll(() => card.locator(".teach .error-text").count()).toBe(1);
    expect(await card.getByRole("button", { name: "Place and accept" }).isDisabled()).toBe(true);
    await card.getByLabel("Words for the consequence").fill("less reason to fight");
    await expect.poll(() => card.locator(".teach .error-text").count()).toBe(0);
    await ui.shot("review-gap-teach");
    await card.getByRole("button", { name: "Place and accept" }).click();
    await expect
      .poll(() => page.locator(`[data-gap="${gap.id}"] .badge.decision`).textContent())
      .toBe(`placed, accepted ${signed(-2)}`);
    await ui.shot("review-gap-placed");
    await page.setViewportSize({ width: 800, height: 1000 });
    await ui.shot("review-gap-placed-800");
    const overflow = await overflowX(page);
    expect(overflow, "the gap card at 800 px is wider than the window").toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });

    // A sentence that names two factors with no claim read: listed to read, its card says so.
    const toRead = rep.gaps.find((g: Json) => g.reason === "no-claim");
    expect(toRead?.line).toBe(7);
    await page.locator(`[data-gap="${toRead.id}"]`).click();
    await expect.poll(() => page.locator(".gap-card h3").textContent()).toBe("A sentence to read");
    expect(await page.locator(".gap-card").textContent()).toContain("no claim was read");
    // Its two pickers start on states of two different factors.
    const pre = [
      await page.locator(".gap-card").getByLabel("Condition", { exact: true }).inputValue(),
      await page.locator(".gap-card").getByLabel("Consequence", { exact: true }).inputValue(),
    ];
    expect(pre[0].split("=")[0]).not.toBe(pre[1].split("=")[0]);
    expect(await page.locator(".gap-card .error-text").count()).toBe(0);
    await ui.shot("review-sentence-to-read");

    // The draft, read with another consequence, accepted there.
    await page.locator(`[data-draft="${draft.id}"]`).click();
    const dcard = page.locator(".draft-card:not(.gap-card)");
    await dcard.locator(".cell-edit summary").click();
    await dcard.getByLabel("Consequence", { exact: true }).selectOption(otherTo);
    await expect.poll(() => dcard.locator(".badge.rel-moved").count()).toBe(1);
    expect(await dcard.textContent()).toContain("No judgment of this cell yet");
    await dcard.getByRole("button", { name: "Accept" }).click();
    await ui.shot("review-cell-changed");

    await page.getByRole("button", { name: "Write 2 decisions" }).click();
    await expect.poll(() => page.locator(".review-saved").textContent()).toContain("Saved version 3");
    const { data: after } = await ui.api<Json>("GET", "/api/models/oman-2025");
    expect(after.message).toMatch(
      /accepted 2, attached 0, gaps placed 1, cells changed 1, keywords taught 1$/,
    );
    const [tf0, ts0] = gapTo.split("=");
    expect(
      after.model.factors.find((f: Json) => f.id === tf0).states.find((st: Json) => st.id === ts0).keywords,
    ).toContain("less reason to fight");
    const cellOf = (from: string, to: string) => {
      const [ff, fs] = from.split("=");
      const [tf, ts] = to.split("=");
      return after.model.impacts.find(
        (i: Json) =>
          i.kind === "cell" &&
          !i.author &&
          i.from.factor === ff &&
          i.from.state === fs &&
          i.to.factor === tf &&
          i.to.state === ts,
      );
    };
    const locs = (i: Json) => i.evidence.map((e: Json) => `${e.source}:${e.from}`);
    expect(cellOf(gapFrom, gapTo)).toMatchObject({ strength: -2 });
    expect(locs(cellOf(gapFrom, gapTo))).toEqual([gap.evidence]);
    expect(cellOf(draft.from, otherTo)).toMatchObject({ strength: draft.strength });
    expect(locs(cellOf(draft.from, otherTo))).toEqual([draft.evidence]);
    // The drafted cell itself is unchanged.
    expect(JSON.stringify(cellOf(draft.from, draft.to) ?? null)).toBe(
      JSON.stringify(
        model0.model.impacts.find(
          (i: Json) =>
            i.kind === "cell" &&
            !i.author &&
            `${i.from.factor}=${i.from.state}` === draft.from &&
            `${i.to.factor}=${i.to.state}` === draft.to,
        ) ?? null,
      ),
    );
    expect(ui.pageErrors).toEqual([]);
  }, 180_000);

  it("teaches the model a name it had no actor for, with the claim placed", async () => {
    await page.goto(`${ui.base}#review`);
    const text = [
      "A militia the model does not know",
      "",
      "If the talks collapse, Saraya Awliya al-Dam would reassert itself.",
      "",
    ].join("\n");
    await page.getByLabel("Ingest an article (.txt, .html or .pdf)").setInputFiles({
      name: "unknown-militia.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(text),
    });
    const stored = async () =>
      (await ui.api<Json>("GET", "/api/documents")).data.find(
        (d: Json) => d.fileName === "unknown-militia.txt",
      );
    await expect.poll(stored, { timeout: 30_000 }).toBeDefined();
    const doc = await stored();
    const rep = (await ui.api<Json>("POST", "/api/models/oman-2025/ingest", { docId: doc.id })).data;
    const gap = rep.gaps.find((g: Json) => g.reason === "unknown-actor");
    expect(gap?.names, "the militia's name is unknown to the model").toBeDefined();
    await page.locator(`[data-gap="${gap.id}"]`).waitFor({ timeout: 30_000 });
    await page.locator(`[data-gap="${gap.id}"]`).click();
    const card = page.locator(".gap-card");
    await card.waitFor();
    await card.getByLabel("Condition", { exact: true }).selectOption("talks=breakdown");
    await card.getByLabel("Consequence", { exact: true }).selectOption("pmf=reassert");
    await card.getByLabel("Strength").fill("2");
    await card.locator(".teach summary", { hasText: "Names the model does not know" }).click();
    await card.getByLabel("Name 1", { exact: true }).fill("Saraya Awliya al-Dam");
    await card.getByLabel("Actor for name 1").selectOption("pmf");
    await ui.shot("review-gap-names");
    const accept = card.getByRole("button", { name: "Place and accept" });
    const button = (await accept.isDisabled())
      ? card.getByRole("button", { name: "Place and attach as evidence" })
      : accept;
    await button.click();
    await page.getByRole("button", { name: "Write 1 decision" }).click();
    await expect.poll(() => page.locator(".review-saved").textContent()).toContain("Saved version");
    const { data: after } = await ui.api<Json>("GET", "/api/models/oman-2025");
    expect(after.message).toMatch(/aliases taught 1$/);
    expect(after.model.actors.find((a: Json) => a.id === "pmf").aliases).toContain("Saraya Awliya al-Dam");
    // The same sentence, read again against the new version, finds the actor: a draft.
    const again = (await ui.api<Json>("POST", "/api/models/oman-2025/ingest", { docId: doc.id })).data;
    expect(again.drafts.map((d: Json) => `${d.from} → ${d.to}`)).toContain("talks=breakdown → pmf=reassert");
    expect(ui.pageErrors).toEqual([]);
  }, 180_000);
});
