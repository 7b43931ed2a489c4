// muscat ingest's draft list: cut by --min-confidence, most confident first, each with its
// relation to the model; a bad threshold is a usage error.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { haveShared, seedModelPath, seedsDir } from "../helpers/paths.js";
import { runCli, SEED1 } from "./helpers.js";

describe.runIf(haveShared)("muscat ingest --min-confidence", () => {
  it("keeps only drafts at or above the threshold, sorted by confidence, with a relation each", async () => {
    const all = JSON.parse(
      (await runCli("ingest", join(seedsDir, SEED1), "--model", seedModelPath, "--format", "json")).out,
    );
    const r = await runCli(
      "ingest",
      join(seedsDir, SEED1),
      "--model",
      seedModelPath,
      "--min-confidence",
      "0.5",
      "--format",
      "json",
    );
    expect(r.code).toBe(0);
    const cut = JSON.parse(r.out).drafts as { id: string; confidence: number; relation: string }[];
    const expected = (all.drafts as { id: string; confidence: number }[]).filter((d) => d.confidence >= 0.5);
    expect(cut.map((d) => d.id)).toEqual(expected.map((d) => d.id));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(all.drafts.length);
    const c = cut.map((d) => d.confidence);
    expect(c).toEqual([...c].sort((a, b) => b - a));
    for (const d of cut) expect(["new", "supports", "contradicts"]).toContain(d.relation);
    const bad = await runCli(
      "ingest",
      join(seedsDir, SEED1),
      "--model",
      seedModelPath,
      "--min-confidence",
      "2",
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--min-confidence/);
  });
});
