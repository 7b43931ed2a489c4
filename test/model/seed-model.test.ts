// The shipped seed model: valid, every locator on article text (never on page furniture),
// sources hashed, no article sentences copied.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadModelFile } from "../../src/model/load-file.js";
import type { Evidence } from "../../src/model/types.js";
import { seedModelPath, seedsDir } from "../helpers/paths.js";

const r = loadModelFile(seedModelPath, { sourcesDir: seedsDir });
const model = r.model!;
const seedFiles = readdirSync(seedsDir);

// Page furniture as seed-system.md declares it: Dawat 22–33 (related headline, donation
// appeals, bank numbers, comment notice); Shafaq line 2 is empty.
const articleLines: Record<string, (l: number) => boolean> = {
  "000_6cfeaa24f288d15b.txt": (l) => l >= 1 && l <= 21,
  "001_145ff31df8d6d8be.txt": (l) => l >= 1 && l <= 36 && l !== 2,
};

function allEvidence(): { where: string; e: Evidence }[] {
  const out: { where: string; e: Evidence }[] = [];
  model.impacts.forEach((imp, i) => imp.evidence.forEach((e) => out.push({ where: `impacts[${i}]`, e })));
  model.stakes.forEach((s, i) => s.evidence.forEach((e) => out.push({ where: `stakes[${i}]`, e })));
  model.issues.forEach((iss, i) =>
    iss.positions.forEach((p, k) =>
      p.evidence.forEach((e) => out.push({ where: `issues[${i}].positions[${k}]`, e })),
    ),
  );
  return out;
}

describe("seed model models/oman-2025.yaml", () => {
  it("is valid against the seed texts with no warnings", () => {
    expect(r.problems).toEqual([]);
  });

  it("lists the two seed articles as sources with their hashes", () => {
    expect(model.sources.map((s) => s.file).sort()).toEqual(seedFiles.sort());
    for (const s of model.sources) {
      const text = readFileSync(join(seedsDir, s.file!));
      expect(s.sha256, s.id).toBe(createHash("sha256").update(text).digest("hex"));
    }
  });

  it("every judgment, stake and position carries evidence on article text, never on furniture", () => {
    const ev = allEvidence();
    expect(ev.length).toBeGreaterThan(100);
    const byId = new Map(model.sources.map((s) => [s.id, s.file!]));
    for (const { where, e } of ev) {
      const file = byId.get(e.source)!;
      const lines = readFileSync(join(seedsDir, file), "utf8").split("\n");
      for (let l = e.from; l <= e.to; l++) {
        expect(articleLines[file](l), `${where} → ${e.source}:${l} is not article text`).toBe(true);
        expect(lines[l - 1].trim().length, `${where} → ${e.source}:${l} is blank`).toBeGreaterThan(0);
      }
    }
    for (const imp of model.impacts) {
      expect(imp.evidence.length).toBeGreaterThan(0);
      expect(imp.rationale?.length ?? 0).toBeGreaterThan(10);
    }
  });

  it("holds the actors, stakes and bargaining issues the articles speak of", () => {
    const actors = model.actors.map((a) => a.id);
    for (const a of [
      "us",
      "iran",
      "russia",
      "israel",
      "hezbollah",
      "iraq-gov",
      "pmf",
      "houthis",
      "oman",
      "ukraine",
    ])
      expect(actors).toContain(a);
    const withStakes = new Set(model.stakes.map((s) => s.actor));
    for (const a of ["us", "iran", "russia", "israel", "hezbollah", "houthis"])
      expect(withStakes.has(a), a).toBe(true);
    expect(model.issues.map((i) => i.id).sort()).toEqual([
      "enrichment-cap",
      "inspections",
      "sanctions-relief",
    ]);
    expect(model.factors.length).toBeGreaterThanOrEqual(14);
  });

  it("copies no run of nine words from the articles", () => {
    const words = (t: string) => t.toLowerCase().match(/[\p{L}\p{N}_’']+/gu) ?? [];
    const grams = new Set<string>();
    for (const f of seedFiles) {
      const w = words(readFileSync(join(seedsDir, f), "utf8"));
      for (let i = 0; i + 9 <= w.length; i++) grams.add(w.slice(i, i + 9).join(" "));
    }
    const w = words(readFileSync(seedModelPath, "utf8"));
    const copied: string[] = [];
    for (let i = 0; i + 9 <= w.length; i++)
      if (grams.has(w.slice(i, i + 9).join(" "))) copied.push(w.slice(i, i + 9).join(" "));
    expect(copied).toEqual([]);
  });

  it("check --format json reports the counts", async () => {
    let out = "";
    const code = await main(
      ["node", "muscat", "check", seedModelPath, "--sources", seedsDir, "--format", "json"],
      {
        out: (s) => {
          out += s;
        },
        err: () => {},
      },
    );
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j).toMatchObject({ valid: true, errors: 0, warnings: 0 });
    expect(Object.keys(j.counts)).toEqual(
      expect.arrayContaining(["actors", "factors", "states", "impacts", "evidence"]),
    );
    expect(j.counts.factors).toBe(model.factors.length);
  });
});
