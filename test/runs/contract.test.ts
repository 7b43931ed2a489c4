// The same run gives the same JSON from the CLI and from the API's engine table: both call the
// runs in src/runs/. Compared on the seed model with the same options, timing fields aside.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModelText } from "../../src/model/load.js";
import { type EngineName, runEngine } from "../../src/server/engines.js";
import { repoRoot } from "../cib/helpers.js";
import { runCli } from "../helpers/cli.js";

const seedPath = join(repoRoot, "models", "oman-2025.yaml");
const seed = parseModelText(readFileSync(seedPath, "utf8")).model!;

/** Drops the fields that measure time, which no two runs share. */
function untimed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untimed);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => !k.endsWith("Ms"))
        .map(([k, x]) => [k, untimed(x)]),
    );
  return v;
}

async function viaApi(engine: EngineName, options: Record<string, unknown>) {
  const ac = new AbortController();
  const r = await runEngine(engine, seed, options, {
    signal: ac.signal,
    shouldStop: () => false,
    onProgress: () => {},
  });
  return JSON.parse(JSON.stringify(r));
}
async function viaCli(...args: string[]) {
  const r = await runCli(...args, seedPath, "--format", "json");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}

describe("CLI and API give the same result for the same run", () => {
  const cases: [string, EngineName, Record<string, unknown>, string[]][] = [
    ["scenarios", "scenarios", { maxInconsistency: 1 }, ["scenarios", "-T", "1", "--workers", "0"]],
    [
      "scenarios, intervention",
      "scenarios",
      { fix: "talks=breakdown" },
      ["scenarios", "--fix", "talks=breakdown"],
    ],
    [
      "succession from a scenario",
      "succession",
      { rule: "local", from: "talks=breakdown" },
      ["succession", "--rule", "local", "--from", "talks=breakdown"],
    ],
    [
      "basins",
      "succession",
      { basins: true, rule: "global" },
      ["succession", "--basins", "--rule", "global"],
    ],
    ["explain (default scenario)", "explain", {}, ["explain"]],
    ["sensitivity", "sensitivity", { step: 1 }, ["sensitivity", "--step", "1"]],
    [
      "simulate",
      "simulate",
      { runs: 3000, steps: 6, seed: 4, query: ["region=multi-front-war"], given: ["talks=breakdown"] },
      [
        "simulate",
        "--runs",
        "3000",
        "--steps",
        "6",
        "--seed",
        "4",
        "--query",
        "region=multi-front-war",
        "--given",
        "talks=breakdown",
        "--quiet",
      ],
    ],
    [
      "beliefs",
      "beliefs",
      { runs: 2000, steps: 6, seed: 3, given: ["talks=breakdown"] },
      ["beliefs", "--runs", "2000", "--steps", "6", "--seed", "3", "--given", "talks=breakdown"],
    ],
    [
      "beliefs at a date, shocks off",
      "beliefs",
      { runs: 1000, date: "2026-01-01", shocks: false },
      ["beliefs", "--runs", "1000", "--date", "2026-01-01", "--no-shocks", "--workers", "0"],
    ],
    [
      "stationary (MCMC)",
      "stationary",
      { method: "mcmc", samples: 3000, burnIn: 300, seed: 5, beta: 1 },
      [
        "stationary",
        "--method",
        "mcmc",
        "--samples",
        "3000",
        "--burn-in",
        "300",
        "--seed",
        "5",
        "--beta",
        "1",
        "--quiet",
      ],
    ],
    ["robust", "robust", { samples: 40, seed: 2 }, ["robust", "--samples", "40", "--seed", "2", "--quiet"]],
    [
      "stakes",
      "stakes",
      { runs: 500, steps: 4, levers: false },
      ["stakes", "--runs", "500", "--steps", "4", "--no-levers"],
    ],
    ["stakes over the kernel", "stakes", { distribution: "kernel" }, ["stakes", "--distribution", "kernel"]],
    [
      "bargain",
      "bargain",
      { runs: 20, seed: 3, methods: ["cm", "eum"] },
      ["bargain", "--runs", "20", "--seed", "3", "--method", "cm,eum"],
    ],
    [
      "forecast",
      "forecast",
      { runs: 400, drivers: false, uncertainty: false },
      ["forecast", "--runs", "400", "--no-drivers", "--no-uncertainty", "--quiet"],
    ],
  ];
  it("the full analysis", async () => {
    const options = { runs: 2000, stakesRuns: 300, forecastRuns: 300, steps: 6, seed: 2 };
    const [api, cli] = await Promise.all([
      viaApi("analyze", options),
      viaCli(
        "analyze",
        "--runs",
        "2000",
        "--stakes-runs",
        "300",
        "--forecast-runs",
        "300",
        "--steps",
        "6",
        "--seed",
        "2",
      ),
    ]);
    const { file: _file, warnings: _warnings, ...rest } = cli;
    expect(untimed(api)).toEqual(untimed(rest));
  }, 120_000);

  for (const [name, engine, options, args] of cases)
    it(name, async () => {
      const [api, cli] = await Promise.all([viaApi(engine, options), viaCli(...args)]);
      expect(untimed(api)).toEqual(untimed(cli));
    }, 60_000);
});
