// The app's run starter (web/src/api.ts runEngine) against a stubbed fetch: a full job queue
// (429) is waited out and asked again, showing the run as waiting; other errors still throw.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, runEngine } from "../../web/src/api.js";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("runEngine", () => {
  it("waits out a full queue (429) and starts the run when a place frees up", async () => {
    vi.useFakeTimers();
    const answers = [
      json(429, { error: "too many jobs queued" }),
      json(429, { error: "too many jobs queued" }),
      json(202, { runId: 7, status: "queued" }),
      json(200, {
        runId: 7,
        status: "done",
        progress: { done: 1, total: 1, message: null },
        result: { ok: 1 },
      }),
    ];
    const calls: string[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url}`);
      return answers.shift()!;
    });
    const states: { status: string; message: string | null }[] = [];
    const run = runEngine("m", "scenarios", {}, 1, (r) =>
      states.push({ status: r.status, message: r.progress.message }),
    );
    await vi.runAllTimersAsync();
    const r = await run;
    expect(r.status).toBe("done");
    expect(calls).toEqual([
      "POST /api/models/m/runs",
      "POST /api/models/m/runs",
      "POST /api/models/m/runs",
      "GET /api/runs/7",
    ]);
    expect(states[0]).toEqual({ status: "queued", message: expect.stringContaining("busy") });
    expect(states.at(-1)?.status).toBe("done");
  });

  it("any other refusal is an error at once", async () => {
    vi.stubGlobal("fetch", async () => json(422, { error: "bad option", problems: [] }));
    await expect(runEngine("m", "scenarios", {}, 1, () => {})).rejects.toBeInstanceOf(ApiError);
  });
});
