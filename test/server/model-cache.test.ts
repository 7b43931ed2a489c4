// The server's content-keyed model cache and worker pool (src/server/model-cache.ts): what it
// returns equals a fresh validation and a fresh matrix view, inline and on a worker thread; a
// repeated read is a hit that computes nothing; a changed text misses; the LRU keeps its bound;
// an invalid text fails with every problem and its line, on a thread as inline.
import { afterAll, describe, expect, it } from "vitest";
import { largeModelText } from "../../bench/server/large-model.js";
import { compileModel } from "../../src/model/compile.js";
import { matrixView } from "../../src/model/matrix-view.js";
import { ModelWork } from "../../src/server/model-cache.js";
import { ModelInvalidError, validateModelText } from "../../src/store/models.js";

const text = largeModelText({
  id: "cached",
  factors: 6,
  statesPerFactor: 3,
  authors: 3,
  targetBytes: 20_000,
});
const parse = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString("utf8"));
const works: ModelWork[] = [];
const make = (threads: number, cacheEntries = 8) => {
  const w = new ModelWork({
    threads,
    inlineMax: threads ? 0 : 1e9,
    cacheEntries,
    cacheBytes: 64 * 1024 * 1024,
  });
  works.push(w);
  return w;
};
afterAll(async () => {
  for (const w of works) await w.close();
});

describe.each([
  ["on a worker thread", 1],
  ["inline", 0],
])("model cache %s", (_name, threads) => {
  it("returns what a fresh validation and matrix view give, and a repeat is a hit", async () => {
    const w = make(threads);
    const fresh = validateModelText(text);
    const c = await w.check(text);
    expect({ id: c.id, title: c.title, hash: c.hash, problems: c.problems }).toEqual({
      id: fresh.model.id,
      title: fresh.model.title,
      hash: fresh.hash,
      problems: fresh.problems,
    });
    expect(parse(c.record)).toEqual(
      JSON.parse(JSON.stringify({ text, model: fresh.model, problems: fresh.problems })),
    );
    expect(await w.validated(text)).toEqual(fresh);
    const view = JSON.parse(JSON.stringify(matrixView(fresh.model, compileModel(fresh.model))));
    const m = await w.matrix(text);
    expect(parse(m)).toEqual(view);
    // A page: the rows asked for and only their judged cells.
    const page = parse(await w.matrix(text, [4, 5]));
    expect(page.page).toEqual({ from: 4, count: 5, total: view.rows.length });
    expect(page.rows).toEqual(view.rows.slice(4, 9));
    expect(page.cells).toEqual(view.cells.filter((x: { row: number }) => x.row >= 4 && x.row < 9));
    expect(page.labels).toEqual(view.labels);

    const before = { ...w.counts };
    expect(await w.check(text)).toBe(c);
    expect(await w.matrix(text)).toBe(m);
    expect(w.counts.hits).toBe(before.hits + 2);
    expect(w.counts.inline + w.counts.offThread).toBe(before.inline + before.offThread);
    expect(threads ? w.counts.offThread : w.counts.inline).toBeGreaterThan(0);
    expect(threads ? w.counts.inline : w.counts.offThread).toBe(0);
  });

  it("is keyed by content: a changed text misses and gives the changed model", async () => {
    const w = make(threads);
    await w.check(text);
    const changed = text.replace(/^title: .*$/m, "title: Changed");
    const n = w.counts.inline + w.counts.offThread;
    const c = await w.check(changed);
    expect(w.counts.inline + w.counts.offThread).toBe(n + 1);
    expect(c.title).toBe("Changed");
    expect(c.hash).toBe(validateModelText(changed).hash);
  });

  it("fails an invalid text with every problem and its line", async () => {
    const w = make(threads);
    const bad = text.replace("impacts:\n", "impacts:\n  - from: nope\n    to: f1\n    matrix: [[1]]\n");
    const err = await w.check(bad).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ModelInvalidError);
    const fresh = (() => {
      try {
        validateModelText(bad);
      } catch (e) {
        return e as ModelInvalidError;
      }
    })();
    expect(fresh).toBeDefined();
    expect((err as ModelInvalidError).problems).toEqual(fresh?.problems);
    expect((err as ModelInvalidError).problems.every((p) => typeof p.line === "number")).toBe(true);
  });
});

it("keeps at most its entry bound, dropping the least recently used", async () => {
  const w = make(0, 2);
  const texts = [1, 2, 3].map((i) => text.replace(/^title: .*$/m, `title: T${i}`));
  for (const t of texts) await w.check(t);
  expect(w.size.entries).toBe(2);
  const n = w.counts.inline;
  await w.check(texts[2]);
  expect(w.counts.inline).toBe(n);
  await w.check(texts[0]);
  expect(w.counts.inline).toBe(n + 1);
});

it("starts no thread until a task needs one", async () => {
  const w = make(1);
  expect(w.threadsStarted).toBe(0);
  await w.check(text);
  expect(w.threadsStarted).toBe(1);
});
