// The main thread stays responsive (issue 16, item 5): a real server child process (from the
// TypeScript sources) holds the largest accepted model (bench/server/large-model.ts, ~1.9 MB of
// text; the model-body limit is 2 MB) while 4 clients read it and its whole matrix at once, and
// GET /api/health answers within 100 ms: the median and the 95th percentile are asserted (the
// machine is shared, so one late answer can be the scheduler's; the max is printed). Also
// checked on the server: a page of the matrix is the same rows and cells as the whole matrix.
import { rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { largeModelText } from "../../bench/server/large-model.js";
import {
  call,
  postJson,
  probeHealth,
  readLoad,
  type Server,
  startServer,
  summary,
} from "../../bench/server/load.js";
import { MODEL_BODY_LIMIT } from "../../src/server/http.js";

let server: Server | undefined;
afterAll(() => {
  server?.stop();
  if (server) rmSync(server.dir, { recursive: true, force: true });
});

it("answers /api/health within 100 ms while 4 clients read the largest model", {
  timeout: 300_000,
}, async () => {
  const text = largeModelText({ id: "large" });
  expect(Buffer.byteLength(text)).toBeGreaterThan(0.9 * MODEL_BODY_LIMIT);
  expect(Buffer.byteLength(text)).toBeLessThan(MODEL_BODY_LIMIT);
  server = await startServer();
  const { url } = server;

  // The save runs off the main thread: health is probed during it too.
  const posting = postJson(url, "api/models", { text });
  const duringPost = await probeHealth(url, posting);
  expect((await posting).version).toBe(1);

  // The first read of the matrix computes it (off the main thread); a page matches the whole.
  const whole = await call<{ rows: number[][]; cells: { row: number }[]; labels: string[] }>(
    url,
    "api/models/large/matrix",
  );
  expect(whole.labels.length).toBe(200 * 6);
  const page = await call<typeof whole & { page: unknown }>(url, "api/models/large/matrix?rows=600,7");
  expect(page.page).toEqual({ from: 600, count: 7, total: 1200 });
  expect(page.rows).toEqual(whole.rows.slice(600, 607));
  expect(page.cells).toEqual(whole.cells.filter((c) => c.row >= 600 && c.row < 607));

  const reads = readLoad(url, "large", 4, 3);
  const lat = await probeHealth(url, reads);
  const r = await reads;
  const s = summary(lat);
  const p = summary(duringPost);
  const f = (x: number) => x.toFixed(1);
  console.log(
    `health during the POST: n ${p.n}, median ${f(p.median)} ms, p95 ${f(p.p95)} ms, max ${f(p.max)} ms\n` +
      `health under 4 clients × 3 reads of model (${f(r.modelBytes / 1e6)} MB) + matrix (${f(r.matrixBytes / 1e6)} MB): ` +
      `n ${s.n}, median ${f(s.median)} ms, p95 ${f(s.p95)} ms, max ${f(s.max)} ms`,
  );
  expect(r.modelMs.length).toBe(12);
  expect(r.matrixMs.length).toBe(12);
  expect(r.matrixBytes).toBeGreaterThan(10e6);
  expect(s.n).toBeGreaterThanOrEqual(10);
  expect(s.median).toBeLessThan(100);
  expect(s.p95).toBeLessThan(100);
  expect(p.median).toBeLessThan(100);
});
