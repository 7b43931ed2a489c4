// One server per data directory: a second server on the same directory refuses to start with
// a clear message and changes nothing — the first server's live run stays running and can
// still be cancelled; once the first has stopped, a new one starts on the directory. A lock
// left by a holder that is gone (here: a process id that no longer runs) is taken over.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/server/serve.js";
import { seedModelPath } from "../helpers/paths.js";

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "muscat-lock-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function api(s: RunningServer, method: string, path: string, body?: unknown) {
  const r = await fetch(new URL(path, s.url), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  return { status: r.status, data: (await r.json()) as any };
}

describe("one server per data directory", () => {
  it("a second server refuses, and the first server's live run is untouched and can be cancelled", async () => {
    const dir = fresh();
    const seedText = readFileSync(seedModelPath, "utf8");
    const first = await startServer({ dataDir: dir, port: 0, seedText, version: "test" });
    try {
      const started = await api(first, "POST", "/api/models/oman-2025/runs", {
        engine: "simulate",
        options: { runs: 5_000_000, steps: 24 },
      });
      expect(started.status).toBe(202);
      const id = started.data.runId;
      let status = "";
      for (let i = 0; i < 100 && status !== "running"; i++) {
        status = (await api(first, "GET", `/api/runs/${id}`)).data.status;
        if (status !== "running") await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe("running");
      await expect(startServer({ dataDir: dir, port: 0, seedText, version: "test" })).rejects.toThrow(
        /another Muscat server \(process \d+\) is using the data directory/,
      );
      // nothing changed: the run still runs on the first server and answers a cancel
      expect((await api(first, "GET", `/api/runs/${id}`)).data.status).toBe("running");
      const cancel = await api(first, "POST", `/api/runs/${id}/cancel`);
      expect(cancel.status).toBeLessThan(300);
    } finally {
      await first.close();
    }
    // the lock is released with the first server
    const again = await startServer({ dataDir: dir, port: 0, version: "test" });
    await again.close();
  }, 60_000);

  it("takes over a lock whose holder is gone", async () => {
    const dir = fresh();
    // A lock as a killed server leaves it: the lock folder and a process id that is not running.
    mkdirSync(join(dir, "server.lock"));
    writeFileSync(join(dir, "server.pid"), "2147483646");
    const s = await startServer({ dataDir: dir, port: 0, version: "test" });
    expect(readFileSync(join(dir, "server.pid"), "utf8")).toBe(String(process.pid));
    await s.close();
  });
});
