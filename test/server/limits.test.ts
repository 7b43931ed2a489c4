// Job limits (src/server/limits.ts): a run is refused at submission when its options do not fit
// the model (422), when the model is larger than the server takes for the engine (413), or when
// too many jobs wait (429); a run that reaches its time limit is stopped and fails naming the
// limit, with its partial result. Nothing refused is queued or stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseModelText } from "../../src/model/load.js";
import { DEFAULT_LIMITS, modelSize, parseLimits, sizeExceeded } from "../../src/server/limits.js";
import { startTestServer, type TestServer } from "./harness.js";

/** A model of `counts.length` factors with these state counts; impacts between neighbours, by `author`s. */
function modelText(id: string, counts: number[], authors: string[] = []): string {
  const factors = counts
    .map(
      (c, j) =>
        `  - id: f${j}\n    name: F${j}\n    states: [${Array.from({ length: c }, (_, s) => `{ id: s${s}, label: S${s} }`).join(", ")}]`,
    )
    .join("\n");
  const impacts = counts.slice(1).map((c, j) => {
    const rows = Array.from({ length: counts[j] }, (_, r) =>
      Array.from({ length: c }, (_, k) => (r === k ? 2 : -1)),
    );
    const author = authors.length ? `, author: ${authors[j % authors.length]}` : "";
    return `  - { from: f${j}, to: f${j + 1}, matrix: ${JSON.stringify(rows)}${author} }`;
  });
  return `id: ${id}\ntitle: ${id}\nasOf: 2025-04-15\nactors: []\nfactors:\n${factors}\nimpacts:\n${impacts.join("\n")}\n`;
}

describe("limits: parsing and measuring", () => {
  it("reads name=value settings over the defaults, per engine too, and names a bad one", () => {
    const l = parseLimits(["maxScenarios=1e40", "runMinutes.scenarios=240", " ", "maxQueued=3"]);
    expect(l).toMatchObject({ maxScenarios: 1e40, maxQueued: 3, runMinutesByEngine: { scenarios: 240 } });
    expect(l.maxCells).toBe(DEFAULT_LIMITS.maxCells);
    expect(DEFAULT_LIMITS.runMinutesByEngine).toEqual({}); // the defaults are not changed
    expect(() => parseLimits(["maxSpeed=3"])).toThrow(/'maxSpeed' is not a limit/);
    expect(() => parseLimits(["maxCells=-1"])).toThrow(/maxCells: '-1' must be a whole number/);
    expect(() => parseLimits(["maxCells=1.5"])).toThrow(/whole number/);
    expect(() => parseLimits(["runMinutes.nosuch=3"])).toThrow(/no engine 'nosuch'/);
    expect(() => parseLimits(["maxCells.scenarios=3"])).toThrow(/not a limit/);
    expect(() => parseLimits(["maxCells"])).toThrow(/expected name=value/);
  });

  it("measures scenarios, cells and authors as counted by brute force", () => {
    const counts = [2, 3, 4, 2, 5];
    const r = parseModelText(modelText("m", counts, ["ana", "bo", "ana"]));
    expect(r.model).toBeDefined();
    const size = modelSize(r.model!);
    // ∏ states by enumerating every scenario; cells by listing every (row state, column state) pair
    let scenarios = 0;
    const walk = (j: number): void => {
      if (j === counts.length) scenarios++;
      else for (let s = 0; s < counts[j]; s++) walk(j + 1);
    };
    walk(0);
    expect(10 ** size.log10Scenarios).toBeCloseTo(scenarios, 6);
    const states = counts.flatMap((c, j) => Array.from({ length: c }, (_, s) => `${j}.${s}`));
    expect(size.cells).toBe(states.flatMap((a) => states.map((b) => `${a}|${b}`)).length);
    expect(size.authors).toBe(2);
  });

  it("applies the scenario limit only to the engines that search the kernel", () => {
    const size = { log10Scenarios: 40, cells: 100, authors: 0 };
    expect(sizeExceeded("scenarios", {}, size, DEFAULT_LIMITS)?.limit).toBe("maxScenarios");
    expect(sizeExceeded("succession", { basins: true }, size, DEFAULT_LIMITS)?.limit).toBe("maxScenarios");
    expect(sizeExceeded("succession", { basins: false }, size, DEFAULT_LIMITS)).toBeUndefined();
    expect(sizeExceeded("simulate", {}, size, DEFAULT_LIMITS)).toBeUndefined();
    expect(sizeExceeded("bargain", {}, { ...size, cells: 1e9 }, DEFAULT_LIMITS)).toBeUndefined();
    expect(sizeExceeded("simulate", {}, { ...size, cells: 1e9 }, DEFAULT_LIMITS)?.limit).toBe("maxCells");
  });
});

describe("limits at submission, against the API", () => {
  let s: TestServer;
  const runsOf = async (id: string) => (await s.req("GET", `/api/models/${id}/runs`)).data.length;
  beforeAll(async () => {
    s = await startTestServer("muscat-limits-", {
      limits: { ...DEFAULT_LIMITS, maxAuthors: 2, maxQueued: 3, maxQueuedPerModel: 2 },
    });
  });
  afterAll(() => s.close());
  const ended = async (runId: number) => {
    for (let i = 0; i < 600; i++) {
      const st = (await s.req("GET", `/api/runs/${runId}`)).data.status;
      if (st !== "queued" && st !== "running") return st;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${runId} did not end`);
  };

  it("refuses options that do not fit the model with 422 and the option's path", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ engine: "simulate", options: { given: ["talks=nosuch"] } }, "given", /nosuch/],
      [{ engine: "simulate", options: { query: ["nofactor=x"] } }, "query", /nofactor/],
      [{ engine: "stationary", options: { fix: ["nofactor=x"] } }, "fix", /nofactor/],
      [{ engine: "beliefs", options: { date: "2020-01-01" } }, "date", /before the model's date/],
      [{ engine: "scenarios", options: { require: "talks=nosuch" } }, "require", /nosuch/],
      [{ engine: "scenarios", options: { ensemble: true } }, "ensemble", /author/],
      [{ engine: "succession", options: { from: "talks=nosuch" } }, "from", /nosuch/],
      [{ engine: "outlook", options: { condition: "nofactor=x" } }, "condition", /nofactor/],
      [
        { engine: "outlook", options: { condition: "talks=breakdown", horizon: "soon" } },
        "horizon",
        /horizon/,
      ],
      [{ engine: "stakes", options: { scenario: "talks=breakdown" } }, "scenario", /every factor/],
      [{ engine: "bargain", options: { issue: "nosuch" } }, "issue", /no issue 'nosuch'/],
      [{ engine: "forecast", options: { questions: ["nosuch"] } }, "questions", /no question 'nosuch'/],
      [{ engine: "forecast", options: { observedUntil: "2025-02-30" } }, "questions", /observed-until/],
    ];
    const before = await runsOf("oman-2025");
    for (const [body, path, message] of cases) {
      const r = await s.req("POST", "/api/models/oman-2025/runs", body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.data.error).toMatch(message);
      expect(r.data.problems[0].path).toBe(`body.options.${path}`);
    }
    expect(await runsOf("oman-2025")).toBe(before);
  });

  it("refuses a model larger than the engine accepts with 413, naming the limit and how to raise it", async () => {
    // 110 binary factors: 10^33 scenarios, past the default 10^30; 220 states, 48,400 cells.
    expect((await s.req("POST", "/api/models", { text: modelText("wide", Array(110).fill(2)) })).status).toBe(
      201,
    );
    const r = await s.req("POST", "/api/models/wide/runs", { engine: "scenarios" });
    expect(r.status).toBe(413);
    expect(r.data.error).toMatch(/10\^33\.1 scenarios/);
    expect(r.data.error).toMatch(/muscat serve --limit maxScenarios=1e34/);
    expect(r.data.problems[0]).toMatchObject({ path: "model", code: "maxScenarios" });
    // A simulation's work does not grow with the scenario space: accepted.
    const sim = await s.req("POST", "/api/models/wide/runs", {
      engine: "simulate",
      options: { runs: 100, steps: 2 },
    });
    expect(sim.status).toBe(202);
    // Three authors, two allowed.
    const many = modelText("authored", [2, 2, 2, 2], ["ana", "bo", "cy"]);
    expect((await s.req("POST", "/api/models", { text: many })).status).toBe(201);
    const a = await s.req("POST", "/api/models/authored/runs", { engine: "scenarios" });
    expect(a.status).toBe(413);
    expect(a.data.error).toMatch(/3 authors .* at most 2: raise it with `muscat serve --limit maxAuthors=3`/);
    expect(await runsOf("authored")).toBe(0);
    await ended(sim.data.runId);
  });

  it("caps the jobs queued or running per model and in total with 429 and Retry-After", async () => {
    const long = { engine: "simulate", options: { runs: 10_000_000, steps: 500, chunkSize: 2000 } };
    const ids: number[] = [];
    for (const seed of [1, 2]) {
      const r = await s.req("POST", "/api/models/oman-2025/runs", {
        ...long,
        options: { ...long.options, seed },
      });
      expect(r.status).toBe(202);
      ids.push(r.data.runId);
    }
    const third = await s.req("POST", "/api/models/oman-2025/runs", {
      ...long,
      options: { ...long.options, seed: 3 },
    });
    expect(third.status).toBe(429);
    expect(third.response.headers.get("retry-after")).toBe("10");
    expect(third.data.error).toMatch(/model oman-2025 has 2 jobs queued or running/);
    // Another model still has room until the total (3) is reached.
    const other = await s.req("POST", "/api/models/wide/runs", long);
    expect(other.status).toBe(202);
    ids.push(other.data.runId);
    const fourth = await s.req("POST", "/api/models/wide/runs", {
      ...long,
      options: { ...long.options, seed: 9 },
    });
    expect(fourth.status).toBe(429);
    expect(fourth.data.error).toMatch(/3 jobs are queued or running, the most this server takes/);
    for (const id of ids) await s.req("POST", `/api/runs/${id}/cancel`);
    for (let i = 0; i < 400; i++) {
      const st = await Promise.all(
        ids.map(async (id) => (await s.req("GET", `/api/runs/${id}`)).data.status),
      );
      if (st.every((x) => x === "cancelled")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Room again.
    const again = await s.req("POST", "/api/models/oman-2025/runs", {
      ...long,
      options: { ...long.options, seed: 4 },
    });
    expect(again.status).toBe(202);
    await s.req("POST", `/api/runs/${again.data.runId}/cancel`);
  }, 60_000);
});

describe("the time limit", () => {
  let s: TestServer;
  beforeAll(async () => {
    // 0.1 min = 6 s for simulate runs; other engines keep the default.
    s = await startTestServer("muscat-timelimit-", {
      limits: parseLimits(["runMinutes.simulate=0.1"]),
    });
  });
  afterAll(() => s.close());

  it("stops a run at its engine's limit: it fails naming the limit and keeps its partial result", async () => {
    const t0 = Date.now();
    const r = await s.req("POST", "/api/models/oman-2025/runs", {
      engine: "simulate",
      options: { runs: 10_000_000, steps: 500, chunkSize: 2000 },
    });
    expect(r.status).toBe(202);
    let run: { status: string; error: string; result: { runs: number } | null } | undefined;
    for (let i = 0; i < 600; i++) {
      run = (await s.req("GET", `/api/runs/${r.data.runId}`)).data;
      if (run?.status !== "queued" && run?.status !== "running") break;
      await new Promise((w) => setTimeout(w, 50));
    }
    const elapsed = Date.now() - t0;
    expect(run?.status, run?.error).toBe("failed");
    expect(run?.error).toMatch(/time limit of 0\.1 min for simulate runs .*--limit runMinutes\.simulate=M/);
    expect(elapsed).toBeGreaterThan(6000);
    expect(elapsed).toBeLessThan(30_000);
    expect(run?.result, JSON.stringify(run).slice(0, 400)).toBeTruthy();
    expect(run?.result?.runs, run?.error).toBeGreaterThan(0);
    expect(run?.result?.runs).toBeLessThan(10_000_000);
  }, 60_000);
});
