import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestDocument } from "../../src/evidence/ingest.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import { haveShared, seedModelPath } from "../helpers/paths.js";
import { asIngest, conditionalsDir, SEED0, SEED1, seedDoc } from "./helpers.js";

interface Labels {
  file: string;
  sha256: string;
  conditional: { line: number; sentence: number; label: string }[];
  seedClaimLines: number[];
}

/** Actors of seed-system.md that each article names. */
const ACTORS: Record<string, string[]> = {
  [SEED0]: ["us", "iran", "russia", "ukraine", "oman"],
  [SEED1]: [
    "us",
    "iran",
    "israel",
    "hezbollah",
    "iraq-gov",
    "pmf",
    "houthis",
    "oman",
    "gaza-groups",
    "syria",
  ],
};

describe.runIf(haveShared)("ingest on the seed articles", () => {
  const { model } = loadModelOrThrow(seedModelPath);
  for (const file of [SEED0, SEED1]) {
    const labels = JSON.parse(
      readFileSync(join(conditionalsDir, file.replace(/\.txt$/, ".json")), "utf8"),
    ) as Labels;
    const doc = seedDoc(file);
    const r = ingestDocument(model, asIngest(doc));

    it(`${file}: the labels are for this text`, () => {
      expect(doc.id).toBe(labels.sha256);
    });

    it(`${file}: finds every actor of the seed system that the article names`, () => {
      const found = r.actors.map((a) => a.id);
      for (const a of ACTORS[file]) expect(found, a).toContain(a);
      // Nothing is attributed from page furniture (seed 000 lines 22–33).
      for (const a of r.actors) expect(Math.max(...a.lines)).toBeLessThanOrEqual(file === SEED0 ? 21 : 36);
    });

    it(`${file}: conditional-claim recall and precision against the hand labels`, () => {
      const key = (l: number, s: number) => `${l}.${s}`;
      const truth = new Set(labels.conditional.map((c) => key(c.line, c.sentence)));
      const found = new Set(
        r.claims.filter((c) => c.claim.kind === "conditional").map((c) => key(c.line, c.sentence)),
      );
      const tp = [...found].filter((k) => truth.has(k)).length;
      const recall = tp / truth.size;
      const precision = found.size === 0 ? 1 : tp / found.size;
      const missed = [...truth].filter((k) => !found.has(k));
      const extra = [...found].filter((k) => !truth.has(k));
      console.log(
        `[claims] ${file}: recall ${recall.toFixed(2)} (${tp}/${truth.size}), precision ${precision.toFixed(2)} (${tp}/${found.size})${missed.length ? `; missed ${missed.join(" ")}` : ""}${extra.length ? `; extra ${extra.join(" ")}` : ""}`,
      );
      expect(recall).toBeGreaterThanOrEqual(0.9);
      expect(precision).toBeGreaterThanOrEqual(0.9);
    });

    it(`${file}: a claim is found on every claim line of seed-system.md`, () => {
      const lines = new Set(r.claims.map((c) => c.line));
      for (const l of labels.seedClaimLines) expect(lines.has(l), `line ${l}`).toBe(true);
    });
  }

  it("seed 001: drafts include the article's headline trajectories with sign and locator", () => {
    const r = ingestDocument(model, asIngest(seedDoc(SEED1)));
    const has = (from: string, to: string, line: number) =>
      r.drafts.some(
        (d) =>
          d.from === from &&
          d.to === to &&
          d.strength > 0 &&
          // The line is the draft's own, or a sentence merged into it (the same claim said earlier).
          ((d.line === line && d.evidence === `shafaq:${line}`) ||
            (d.also ?? []).some((x) => x.line === line && x.evidence === `shafaq:${line}`)),
      );
    expect(has("talks=breakthrough", "region=de-escalation", 8)).toBe(true);
    expect(has("talks=breakdown", "region=multi-front-war", 8)).toBe(true);
    expect(has("talks=breakthrough", "hezbollah=political-pivot", 12)).toBe(true);
    expect(has("talks=breakdown", "sanctions=tightened", 36)).toBe(true);
    expect(has("talks=breakdown", "houthis=escalation", 36)).toBe(true);
    expect(r.source).toEqual({ id: "shafaq", inModel: true });
  });
});
