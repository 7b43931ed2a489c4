// The model cache and the file reader: a cached load equals a fresh parse, entries never go
// stale (keyed by build, name and text), errors are never stored, a damaged entry is ignored;
// ScenarioWizard .scw files load directly with the kernel their .sl lists.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findKernel } from "../../src/cib/kernel.js";
import { parseSolutionList } from "../../src/cib/sl.js";
import { cacheKey, defaultModelCache, type ModelCache } from "../../src/model/cache.js";
import { compileModel } from "../../src/model/compile.js";
import { readModelFile } from "../../src/model/file.js";
import { parseModelText } from "../../src/model/load.js";
import { repoRoot, sharedDir } from "../cib/helpers.js";

const work = mkdtempSync(join(tmpdir(), "muscat-cache-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const seedPath = join(repoRoot, "models", "oman-2025.yaml");
let n = 0;
const freshCache = (buildId = "test-build"): ModelCache => ({ dir: join(work, `cache-${n++}`), buildId });
const entries = (c: ModelCache) => {
  try {
    return readdirSync(c.dir).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
};

describe("the model cache", () => {
  it("a cached load of the seed model equals a fresh parse (model and warnings)", async () => {
    const cache = freshCache();
    const fresh = parseModelText(readFileSync(seedPath, "utf8"), { file: seedPath });
    const first = await readModelFile(seedPath, { cache });
    expect(entries(cache)).toHaveLength(1);
    const second = await readModelFile(seedPath, { cache });
    expect(first.model).toEqual(fresh.model);
    expect(second.model).toEqual(fresh.model);
    expect(second.problems).toEqual(fresh.problems);
    expect(compileModel(second.model!).hash).toBe(compileModel(fresh.model!).hash);
  });

  it("serves the stored entry (proof that it is read) and ignores a damaged one", async () => {
    const cache = freshCache();
    const file = join(work, "m.yaml");
    copyFileSync(seedPath, file);
    await readModelFile(file, { cache });
    const [name] = entries(cache);
    const path = join(cache.dir, name);
    const entry = JSON.parse(readFileSync(path, "utf8"));
    entry.model.title = "served from the cache";
    writeFileSync(path, JSON.stringify(entry));
    expect((await readModelFile(file, { cache })).model?.title).toBe("served from the cache");
    writeFileSync(path, "{ not json");
    expect((await readModelFile(file, { cache })).model?.title).not.toBe("served from the cache");
    writeFileSync(path, JSON.stringify({ ...entry, key: "someone else's" }));
    expect((await readModelFile(file, { cache })).model?.title).not.toBe("served from the cache");
  });

  it("an edit, another name or another build is another key; an invalid model is never stored", async () => {
    const cache = freshCache();
    const text = readFileSync(seedPath, "utf8");
    const a = cacheKey(cache, "a.yaml", text);
    expect(cacheKey(cache, "b.yaml", text)).not.toBe(a);
    expect(cacheKey(cache, "a.yaml", `${text}\n# edited`)).not.toBe(a);
    expect(cacheKey({ ...cache, buildId: "other" }, "a.yaml", text)).not.toBe(a);

    const edited = join(work, "edited.yaml");
    writeFileSync(edited, text);
    const before = await readModelFile(edited, { cache });
    writeFileSync(edited, text.replace("title: US–Iran talks", "title: Edited talks"));
    const after = await readModelFile(edited, { cache });
    expect(after.model?.title).not.toBe(before.model?.title);
    expect(after.model?.title.startsWith("Edited talks")).toBe(true);

    const bad = join(work, "bad.yaml");
    writeFileSync(bad, text.replace("asOf: 2025-04-15", "asOf: not-a-date"));
    const r1 = await readModelFile(bad, { cache });
    const stored = entries(cache).length;
    const r2 = await readModelFile(bad, { cache });
    expect(r1.model).toBeUndefined();
    expect(r2.problems).toEqual(r1.problems);
    expect(entries(cache)).toHaveLength(stored);
    expect(stored).toBe(2); // the two valid versions only
  });

  it("is off without a build id (running from the sources) and with MUSCAT_CACHE=off", () => {
    expect(defaultModelCache({}, undefined)).toBeUndefined();
    expect(defaultModelCache({ MUSCAT_CACHE: "off" }, "b")).toBeUndefined();
    expect(defaultModelCache({ MUSCAT_CACHE: "/x/y" }, "b")).toEqual({ dir: "/x/y/models", buildId: "b" });
    expect(defaultModelCache({ XDG_CACHE_HOME: "/c" }, "b")?.dir).toBe("/c/muscat/models");
  });

  it("an unwritable cache folder changes nothing but speed", async () => {
    const blocker = join(work, "a-file");
    writeFileSync(blocker, "");
    const r = await readModelFile(seedPath, { cache: { dir: join(blocker, "models"), buildId: "b" } });
    expect(r.model?.id).toBe("oman-2025");
  });
});

describe("reading ScenarioWizard files directly", () => {
  const dir = join(sharedDir, "fixtures", "scenariowizard");
  for (const name of ["CIB_global", "CIB_natl_regional", "CIB_nested_simplified_standardized"]) {
    it(`${name}.scw loads as a model whose kernel is the one ${name}.sl lists`, async () => {
      const r = await readModelFile(join(dir, `${name}.scw`), { asOf: "2025-01-01" });
      expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
      const sl = parseSolutionList(readFileSync(join(dir, `${name}.sl`), "utf8"));
      const kernel = findKernel(compileModel(r.model!));
      expect(kernel.scenarios.length).toBe(sl.count);
      const key = (s: ArrayLike<number>) => Array.from(s).join(",");
      expect(kernel.scenarios.map((s) => key(s.states)).sort()).toEqual(
        sl.entries.map((e) => key(e.states)).sort(),
      );
    });
  }

  it("a broken .scw is a problem with the file's name, not a crash", async () => {
    const file = join(work, "broken.scw");
    writeFileSync(file, "$ ScenarioWizard 3.0\nnonsense");
    const r = await readModelFile(file);
    expect(r.model).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ severity: "error", code: "scw", file });
  });

  it("a missing file is a problem, not a crash", async () => {
    const r = await readModelFile(join(work, "nope.yaml"));
    expect(r.problems[0]).toMatchObject({
      code: "unreadable",
      message: "cannot read the model: no such file",
    });
  });
});
