// `muscat ingest --accept ID:FROM:TO[:STRENGTH] [--teach ID:to:WORDS]`: a gap (a claim the reading could not place)
// placed in the analyst's cell, and a draft written in another cell than its own, from the CLI;
// the listing shows the gaps' ids and candidates; a bad entry writes nothing.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareDocument } from "../../src/evidence/document.js";
import { ingestDocument, ingestInput } from "../../src/evidence/ingest.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";
import { seedModelPath } from "../helpers/paths.js";
import { runCli } from "./helpers.js";

const ARTICLE = [
  "A deal would leave the Iraqi factions with less reason to fight.",
  "",
  "If the talks collapse, Israel could strike Iran's nuclear sites on its own.",
  "",
].join("\n");

/** Whether the model judges from → to itself (a cell impact or a block), by a plain scan. */
function judged(m: Model, from: string, to: string): boolean {
  return m.impacts.some((i) => {
    if (i.author) return false;
    if (i.kind === "cell")
      return `${i.from.factor}=${i.from.state}` === from && `${i.to.factor}=${i.to.state}` === to;
    return i.from === from.split("=")[0] && i.to === to.split("=")[0];
  });
}

describe("muscat ingest --accept ID:FROM:TO[:STRENGTH]", () => {
  it("places a gap and moves a draft to another cell; bad entries are refused and write nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muscat-place-"));
    const file = join(dir, "model.yaml");
    const art = join(dir, "factions.txt");
    copyFileSync(seedModelPath, file);
    writeFileSync(art, ARTICLE);
    const model = parseModelText(readFileSync(file, "utf8")).model!;
    const r0 = ingestDocument(
      model,
      ingestInput(prepareDocument(new TextEncoder().encode(ARTICLE), "factions.txt")),
    );
    const gap = r0.gaps.find((g) => g.line === 1)!;
    const draft = r0.drafts.find((d) => d.line === 3)!;
    expect(gap && draft).toBeTruthy();

    const list = await runCli("ingest", art, "--model", file);
    expect(list.code).toBe(0);
    expect(list.out).toContain(gap.id);
    expect(list.out).toContain(`candidates: condition ${gap.candidates.condition.slice(0, 3).join(", ")}`);

    const states = model.factors.flatMap((f) => f.states.map((s) => `${f.id}=${s.id}`));
    const gapFrom = gap.candidates.condition[0];
    const gapTo = [...gap.candidates.consequence, ...states].find(
      (c) => c.split("=")[0] !== gapFrom.split("=")[0] && !judged(model, gapFrom, c),
    )!;
    const otherTo = [...(draft.candidates?.consequence ?? []), ...states].find(
      (c) =>
        c !== draft.to &&
        c !== gapTo &&
        c.split("=")[0] !== draft.from.split("=")[0] &&
        !judged(model, draft.from, c),
    )!;
    const before = readFileSync(file, "utf8");
    for (const bad of [
      gap.id, // a gap needs its cell
      `${gap.id}:${gapFrom}:${gapTo}`, // … and its strength
      `${gap.id}:${gapFrom}:pmf=nope:1`, // no such state
      `${gap.id}:${gapFrom}:${gapFrom}:1`, // one factor
      `${gap.id}:${gapFrom}:${gapTo}:x`, // no number
      "gzzzzzz:talks=breakdown:pmf=reassert:1", // no such gap
    ]) {
      const r = await runCli("ingest", art, "--model", file, "--accept", bad, "--write");
      expect(r.code, bad).not.toBe(0);
      expect(r.err, bad).toMatch(/refused|--accept|no draft or gap/);
      expect(readFileSync(file, "utf8"), bad).toBe(before);
    }
    // --teach: ID:from|to:WORDS of an accepted entry, words the model can take as a keyword.
    for (const bad of [
      `${gap.id}:middle:less reason to fight`, // no such side
      `${draft.id}:to:less reason to fight`, // not accepted here
      `${gap.id}:to:one two three four five six seven`, // too long for a keyword
      `${gap.id}:alias:Tehran=pmf`, // a name of another actor
      `${gap.id}:alias:Saraya Awliya al-Dam`, // no actor
    ]) {
      const r = await runCli(
        "ingest",
        art,
        "--model",
        file,
        "--accept",
        `${gap.id}:${gapFrom}:${gapTo}:-2`,
        "--teach",
        bad,
        "--write",
      );
      expect(r.code, bad).not.toBe(0);
      expect(r.err, bad).toMatch(/--teach|refused/);
      expect(readFileSync(file, "utf8"), bad).toBe(before);
    }

    const ok = await runCli(
      "ingest",
      art,
      "--model",
      file,
      "--accept",
      `${gap.id}:${gapFrom}:${gapTo}:-2,${draft.id}:${draft.from}:${otherTo}`,
      "--teach",
      `${gap.id}:to:less reason to fight,${gap.id}:alias:Saraya Awliya al-Dam=pmf`,
      "--write",
    );
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out + ok.err).toMatch(/2 new impacts/);
    expect(ok.out + ok.err).toMatch(/1 keyword taught, 1 alias taught/);
    const after = parseModelText(readFileSync(file, "utf8")).model!;
    const cell = (from: string, to: string) =>
      after.impacts.find(
        (i) =>
          i.kind === "cell" &&
          !i.author &&
          `${i.from.factor}=${i.from.state}` === from &&
          `${i.to.factor}=${i.to.state}` === to,
      ) as { strength: number; evidence: { source: string; from: number }[]; rationale?: string } | undefined;
    expect(cell(gapFrom, gapTo)?.strength).toBe(-2);
    expect(cell(gapFrom, gapTo)?.evidence.map((e) => `${e.source}:${e.from}`)).toEqual([gap.evidence]);
    expect(cell(gapFrom, gapTo)?.rationale).toMatch(/cell chosen in review/);
    expect(cell(draft.from, otherTo)?.strength).toBe(draft.strength);
    expect(after.impacts.length).toBe(model.impacts.length + 2);
    const [tf, ts] = gapTo.split("=");
    expect(after.factors.find((f) => f.id === tf)!.states.find((x) => x.id === ts)!.keywords).toContain(
      "less reason to fight",
    );
    expect(after.actors.find((a) => a.id === "pmf")!.aliases).toContain("Saraya Awliya al-Dam");
  });
});
