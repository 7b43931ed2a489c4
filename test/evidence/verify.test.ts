import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareDocument } from "../../src/evidence/document.js";
import { ingestDocument } from "../../src/evidence/ingest.js";
import { type CorpusDocument, verifyEvidence } from "../../src/evidence/verify.js";
import { parseModelText } from "../../src/model/load.js";
import { loadModelOrThrow } from "../../src/model/load-file.js";
import type { Model } from "../../src/model/types.js";
import { haveShared, seedModelPath, seedsDir } from "../helpers/paths.js";
import { asIngest, runCli, SEED0, SEED1, seedDoc } from "./helpers.js";

const corpus = (d: ReturnType<typeof prepareDocument>, version = 1): CorpusDocument => ({
  id: d.id,
  rawSha256: d.rawSha256,
  fileName: d.fileName,
  lines: d.lines,
  blocks: d.clean.blocks,
  origin: "test",
  version,
});

describe.runIf(haveShared)("verifying evidence", () => {
  const { model } = loadModelOrThrow(seedModelPath);
  const docs = [corpus(seedDoc(SEED0)), corpus(seedDoc(SEED1))];

  it("the seed model's locators all resolve to article text", () => {
    const r = verifyEvidence(model, docs);
    expect(r.counts.errors).toBe(0);
    expect(r.counts.ok).toBeGreaterThan(300);
    expect(r.coverage.every((c) => c.document && c.judgments.length > 0)).toBe(true);
  });

  const withImpact = (evidence: string): Model => {
    const m = structuredClone(model);
    const imp = m.impacts.find((i) => i.kind === "cell")!;
    const [source, lines] = evidence.split(":");
    const [from, to] = lines.split("-").map(Number);
    imp.evidence = [{ source, from, to: to ?? from }];
    return m;
  };

  it("catches a broken locator (beyond the end)", () => {
    const r = verifyEvidence(withImpact("dawat:40"), docs);
    const c = r.checks.find((x) => x.status === "out-of-range")!;
    expect(c.severity).toBe("error");
    expect(c.message).toMatch(/dawat:40 is outside the text of 'dawat' \(33 lines\)/);
  });

  it("catches a locator into furniture", () => {
    const r = verifyEvidence(withImpact("dawat:21-23"), docs);
    const c = r.checks.find((x) => x.status === "furniture")!;
    expect(c.message).toMatch(/line 22, 23 of 'dawat' is page furniture/);
    expect(c.passage?.map((p) => p.furniture)).toEqual([false, true, true]);
  });

  it("catches a changed document", () => {
    const d = seedDoc(SEED1);
    const changed = prepareDocument(Buffer.from(d.text.replace("Muscat", "Muscat, Oman")), SEED1);
    const r = verifyEvidence(model, [docs[0], corpus(changed, 2)]);
    const shafaq = r.checks.filter((c) => c.locator.startsWith("shafaq:"));
    expect(shafaq.length).toBeGreaterThan(0);
    expect(shafaq.every((c) => c.status === "changed" && c.severity === "error")).toBe(true);
    expect(shafaq[0].message).toMatch(/changed version/);
  });

  it("warns about a passage that names none of the judgment's factors or actors", () => {
    const m = structuredClone(model);
    const imp = m.impacts.find(
      (i) => i.kind === "cell" && i.from.factor === "talks" && i.to.factor === "houthis",
    )!;
    imp.evidence = [{ source: "dawat", from: 6, to: 6 }];
    const r = verifyEvidence(m, docs);
    expect(r.checks.some((c) => c.status === "unrelated" && c.severity === "warning")).toBe(true);
  });

  it("muscat evidence: exit 0 on the seed model, exit 1 with a broken locator", async () => {
    let r = await runCli(
      "evidence",
      seedModelPath,
      "--corpus",
      seedsDir,
      "--data",
      join(tmpdir(), "muscat-no-store"),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Coverage/);
    const dir = mkdtempSync(join(tmpdir(), "muscat-verify-"));
    const bad = join(dir, "model.yaml");
    writeFileSync(
      bad,
      readFileSync(seedModelPath, "utf8").replace(/evidence: \[shafaq:12\]/, "evidence: [dawat:25]"),
    );
    r = await runCli("evidence", bad, "--corpus", seedsDir, "--data", join(dir, "none"));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error \[furniture\]/);
  });

  it("ingest --accept --write adds a draft, keeps every comment, and stays valid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muscat-write-"));
    const file = join(dir, "model.yaml");
    copyFileSync(seedModelPath, file);
    const before = readFileSync(file, "utf8");
    const r0 = ingestDocument(model, asIngest(seedDoc(SEED1)));
    const fresh = r0.drafts.find((d) => !d.existing)!;
    const taken = r0.drafts.find((d) => d.existing)!;
    let r = await runCli("ingest", join(seedsDir, SEED1), "--model", file, "--accept", taken.id, "--write");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/contradicts the model; pass --as-view/);
    expect(readFileSync(file, "utf8")).toBe(before);
    r = await runCli("ingest", join(seedsDir, SEED1), "--model", file, "--accept", "dzzzzzz", "--write");
    expect(r.code).toBe(1);
    r = await runCli("ingest", join(seedsDir, SEED1), "--model", file, "--accept", fresh.id, "--write");
    expect(r.code).toBe(0);
    const after = readFileSync(file, "utf8");
    // Every original line is still there, in order; the new lines are one inserted block.
    const a = before.split("\n");
    const b = after.split("\n");
    expect(b.length).toBeGreaterThan(a.length);
    let k = 0;
    for (const line of b) if (k < a.length && line === a[k]) k++;
    expect(k).toBe(a.length);
    expect(after).toContain(`from: ${fresh.from}`);
    // The writer follows the model's own style: flow-form evidence lists.
    expect(after).toContain(`evidence: [${fresh.evidence}]`);
    expect(r.out + r.err).toMatch(/1 new impact, 0 locator sets attached, 0 second views written/);
    const check = parseModelText(after, { file });
    expect(check.model).toBeDefined();
    expect(check.model!.impacts.length).toBe(model.impacts.length + 1);
    const added = check.model!.impacts.find(
      (i) =>
        i.kind === "cell" &&
        `${i.from.factor}=${i.from.state}` === fresh.from &&
        `${i.to.factor}=${i.to.state}` === fresh.to &&
        i.evidence.some(
          (e) => `${e.source}:${e.from === e.to ? e.from : `${e.from}-${e.to}`}` === fresh.evidence,
        ),
    );
    expect(added, `the accepted draft ${fresh.id} is a judgment of the written model`).toBeDefined();
    expect((added as { strength: number }).strength).toBe(fresh.strength);
  });
});
