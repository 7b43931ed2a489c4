// Question probabilities against an exact computation (the succession Markov chain, built
// independently, over all scenarios of a small model), judgment intervals, drivers and
// indicators, start inference, and the model-format side of questions.
import { describe, expect, it } from "vitest";
import { inferStart, questionSeed } from "../../src/forecast/forecast.js";
import { compileCondition, forecastQuestions, judgmentInterval } from "../../src/forecast/index.js";
import { compileModel } from "../../src/model/compile.js";
import type { CompiledModel } from "../../src/model/compiled.js";
import { parseModelText } from "../../src/model/load.js";
import { modelToYaml } from "../../src/model/serialize.js";
import { addSteps, daysBetween, parseDuration, stepsUntil } from "../../src/model/step.js";
import { simulate } from "../../src/prob/simulate.js";
import { buildSpec, parseCondition } from "../../src/prob/spec.js";
import { propagate, transient } from "../../src/prob/transient.js";
import { createPool } from "../../src/workers/pool.js";

const TOY = `id: toy
title: Toy
asOf: 2025-04-15
step: P1M
factors:
  - { id: a, name: A, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
  - { id: b, name: B, current: x, states: [{ id: x, label: X }, { id: y, label: Y }, { id: z, label: Z }] }
  - { id: c, name: C, current: x, states: [{ id: x, label: X }, { id: y, label: Y }] }
impacts:
  - { from: a=x, to: b=y, strength: 2, confidence: 3 }
  - { from: a=y, to: b=z, strength: 2, confidence: 2 }
  - { from: b=y, to: c=y, strength: 2, confidence: 4 }
  - { from: b=z, to: a=y, strength: 1 }
  - { from: c=y, to: a=y, strength: 1, confidence: 1 }
  - { from: c=x, to: b=x, strength: 1 }
  - { from: b=x, to: a=x, strength: 1 }
questions:
  - { id: q-any, text: Will A be y or C be y by 2025-08-15?, condition: { any: [a=y, c=y] }, horizon: 2025-08-15 }
  - { id: q-all, text: "Will B be y while C is y, within 5 steps?", condition: { all: [b=y, c=y] }, horizon: 5 }
  - { id: q-at, text: Will B be z on 2025-07-15?, condition: b=z, horizon: 2025-07-15, mode: at }
  - { id: q-given, text: "With A held at y, will C be y within 4 steps?", condition: c=y, horizon: 4, given: a=y }
`;

function load(text: string) {
  const r = parseModelText(text, { file: "toy.yaml" });
  if (!r.model) throw new Error(JSON.stringify(r.problems));
  return r.model;
}

/** Exact P(condition by K) or P(condition at K) by the independent succession chain. */
function exact(
  cm: CompiledModel,
  start: number[],
  cond: (z: number[]) => boolean,
  K: number,
  mode: "by" | "at",
  fixed: Set<number> = new Set(),
): number {
  const n = cm.nFactors;
  const M = cm.size;
  const all: number[][] = [[]];
  for (let f = 0; f < n; f++) {
    const next: number[][] = [];
    for (const z of all) for (let s = 0; s < cm.counts[f]; s++) next.push([...z, s]);
    all.splice(0, all.length, ...next);
  }
  const key = (z: number[]) => z.join(",");
  const beta = 1;
  const trans = new Map<string, [number[], number][]>();
  for (const z of all) {
    const theta = new Array(M).fill(0);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < M; c++) theta[c] += cm.matrix[(cm.offsets[i] + z[i]) * M + c];
    const moves: [number[], number][] = [[z, 1]];
    for (let j = 0; j < n; j++) {
      if (fixed.has(j)) continue;
      for (let l = 0; l < cm.counts[j]; l++) {
        if (l === z[j]) continue;
        const w = Math.exp(beta * (theta[cm.offsets[j] + l] - theta[cm.offsets[j] + z[j]]));
        const to = z.slice();
        to[j] = l;
        moves.push([to, w]);
      }
    }
    const total = moves.reduce((s, m) => s + m[1], 0);
    trans.set(
      key(z),
      moves.map(([t, w]) => [t, w / total]),
    );
  }
  // Distribution over (scenario, hit-so-far).
  let dist = new Map<string, number>([[`${key(start)}|${mode === "by" && cond(start) ? 1 : 0}`, 1]]);
  for (let k = 1; k <= K; k++) {
    const next = new Map<string, number>();
    for (const [s, p] of dist) {
      const [zk, h] = s.split("|");
      const z = zk.split(",").map(Number);
      for (const [t, q] of trans.get(zk)!) {
        const hit = mode === "by" ? (h === "1" || cond(t) ? 1 : 0) : 0;
        const kk = `${key(t)}|${hit}`;
        next.set(kk, (next.get(kk) ?? 0) + p * q);
      }
      void z;
    }
    dist = next;
  }
  let p = 0;
  for (const [s, q] of dist) {
    const [zk, h] = s.split("|");
    if (mode === "by" ? h === "1" : cond(zk.split(",").map(Number))) p += q;
  }
  return p;
}

describe("questions in the model file", () => {
  it("load, serialise and load again to the same model (and hash)", () => {
    const m = load(TOY);
    expect(m.questions).toHaveLength(4);
    expect(m.questions![0].condition).toEqual({
      kind: "any",
      of: [
        { kind: "state", ref: { factor: "a", state: "y" } },
        { kind: "state", ref: { factor: "c", state: "y" } },
      ],
    });
    expect(m.questions![3].given).toEqual([{ factor: "a", state: "y" }]);
    const again = load(modelToYaml(m));
    expect(again).toEqual(m);
    expect(compileModel(again).hash).toBe(compileModel(m).hash);
  });

  it("a model without questions keeps its hash (no questions key is added)", () => {
    const m = load(TOY.slice(0, TOY.indexOf("questions:")));
    expect("questions" in m).toBe(false);
    const withEmpty = load(`${TOY.slice(0, TOY.indexOf("questions:"))}questions: []\n`);
    expect(compileModel(withEmpty).hash).toBe(compileModel(m).hash);
  });

  it("reports bad references with a suggestion, horizons before asOf, long horizons", () => {
    const bad = TOY.replace(
      "condition: b=z, horizon: 2025-07-15",
      "condition: bb=z, horizon: 2025-04-01",
    ).replace("horizon: 4, given: a=y", "horizon: 2026-12-15, given: a=q");
    const r = parseModelText(bad, { file: "toy.yaml" });
    const msgs = r.problems.map((p) => `${p.severity} ${p.code} ${p.path}: ${p.message}`);
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /error unknown-reference questions\[2\]\.condition: no factor 'bb' \(did you mean 'b'\?\)/,
      ),
    );
    expect(msgs).toContainEqual(expect.stringMatching(/error horizon-before-asof questions\[2\]\.horizon/));
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /error unknown-reference questions\[3\]\.given\[0\]: factor 'a' has no state 'q'/,
      ),
    );
    const far = parseModelText(TOY.replace("horizon: 4, given: a=y", "horizon: 2026-12-15, given: a=y"));
    expect(far.problems.map((p) => p.code)).toEqual(["long-horizon"]);
    expect(far.model).toBeDefined();
  });
});

describe("step arithmetic", () => {
  it("adds calendar months (clamped), weeks and days; counts whole steps to a date", () => {
    const m = parseDuration("P1M")!;
    expect(addSteps("2025-01-31", m, 1)).toBe("2025-02-28");
    expect(addSteps("2024-01-31", m, 1)).toBe("2024-02-29");
    expect(addSteps("2025-04-15", m, 18)).toBe("2026-10-15");
    expect(addSteps("2025-04-15", parseDuration("P2W")!, 2)).toBe("2025-05-13");
    expect(addSteps("2025-04-15", parseDuration("P1Y6M")!, 1)).toBe("2026-10-15");
    expect(stepsUntil("2025-04-15", m, "2025-10-15")).toBe(6);
    expect(stepsUntil("2025-04-15", m, "2025-10-14")).toBe(5);
    expect(stepsUntil("2025-04-15", m, "2025-05-14")).toBe(0);
    expect(stepsUntil("2025-04-15", parseDuration("P1W")!, "2025-05-15")).toBe(4);
    expect(parseDuration("P")).toBeUndefined();
    expect(parseDuration("P0M")).toBeUndefined();
  });
});

describe("forecastQuestions", () => {
  const model = load(TOY);
  // These tests check the stepwise succession mode against its exact chain (the continuous-time
  // default is checked against uniformization below).
  const cm = { ...compileModel(model), mode: "succession" } as CompiledModel;

  it("compiles any-of / all-of conditions to DNF", () => {
    const dnf = compileCondition(cm, {
      kind: "all",
      of: [
        {
          kind: "any",
          of: [
            { kind: "state", ref: { factor: "a", state: "y" } },
            { kind: "state", ref: { factor: "b", state: "x" } },
          ],
        },
        {
          kind: "any",
          of: [
            { kind: "state", ref: { factor: "a", state: "x" } },
            { kind: "state", ref: { factor: "c", state: "y" } },
          ],
        },
      ],
    });
    // (a=y or b=x) and (a=x or c=y) = (a=y,c=y) or (b=x,a=x) or (b=x,c=y); a=y,a=x is dropped.
    expect(dnf).toEqual([
      { factors: [0, 2], states: [1, 1] },
      { factors: [1, 0], states: [0, 0] },
      { factors: [1, 2], states: [0, 1] },
    ]);
  });

  it("matches the exact chain for any-of, all-of, at and given questions (no judgment draws)", async () => {
    const runs = 20000;
    const r = await forecastQuestions(model, cm, { runs, seed: 3, uncertainty: false, drivers: false });
    const start = [0, 0, 0];
    const expected = {
      "q-any": exact(cm, start, (z) => z[0] === 1 || z[2] === 1, 4, "by"),
      "q-all": exact(cm, start, (z) => z[1] === 1 && z[2] === 1, 5, "by"),
      "q-at": exact(cm, start, (z) => z[1] === 2, 3, "at"),
      "q-given": exact(cm, [1, 0, 0], (z) => z[2] === 1, 4, "by", new Set([0])),
    } as Record<string, number>;
    expect(r.questions.map((q) => q.horizon.steps)).toEqual([4, 5, 3, 4]);
    for (const q of r.questions) {
      const e = expected[q.id];
      const se = Math.sqrt((e * (1 - e)) / runs);
      expect(Math.abs(q.p - e), `${q.id}: ${q.p} vs exact ${e}`).toBeLessThan(4 * se + 1e-9);
      expect(q.mc.lo).toBeLessThanOrEqual(q.p);
      expect(q.mc.hi).toBeGreaterThanOrEqual(q.p);
    }
    // Any-of is not the sum of its parts.
    const pa = exact(cm, start, (z) => z[0] === 1, 4, "by");
    const pc = exact(cm, start, (z) => z[2] === 1, 4, "by");
    expect(expected["q-any"]).toBeLessThan(pa + pc - 0.01);
  });

  it("in calendar time: matches exact uniformization at the horizon instant, by and at", async () => {
    const cc = compileModel(model);
    const r = await forecastQuestions(model, cc, {
      runs: 20_000,
      seed: 3,
      uncertainty: false,
      drivers: false,
    });
    expect(r.interval).toBe("none");
    for (const [id, cond, mode] of [
      ["q-all", "b=y,c=y", "by"],
      ["q-at", "b=z", "at"],
    ] as const) {
      const q = r.questions.find((x) => x.id === id)!;
      // the horizon is the end of its date (or of the step's date), in days from asOf
      const days = daysBetween(model.asOf, q.horizon.date) + 1;
      expect(q.horizon.days).toBe(days);
      const spec = buildSpec(
        { ...cc, current: Int32Array.from([0, 0, 0]) },
        {
          steps: 1,
          mode: "continuous",
          grid: Float64Array.from([0, days]),
          conditions: [parseCondition(cc, cond)],
        },
      );
      const ex = transient(spec);
      const e = mode === "by" ? ex.reached[0][1] : ex.holds[0][1];
      const se = Math.sqrt((e * (1 - e)) / 20_000);
      expect(Math.abs(q.p - e), `${id}: ${q.p} vs exact ${e}`).toBeLessThan(4 * se + 1e-9);
    }
  }, 60_000);

  it("a conditional question (observed state at a date) matches the exact conditional probability", async () => {
    // P(b=z on 2025-09-01 | a=y observed on 2025-06-01), by Bayes over the scenario at the
    // observation instant: exact transient probabilities to it, then from each scenario on.
    const cc = compileModel(model);
    const q = {
      id: "q-cond",
      text: "cond",
      condition: { kind: "state" as const, ref: { factor: "b", state: "z" } },
      horizon: "2025-09-01",
      mode: "at" as const,
      given: [],
      observed: [{ ref: { factor: "a", state: "y" }, date: "2025-06-01" }],
      evidence: [],
    };
    const r = await forecastQuestions({ ...model, questions: [q] }, cc, {
      runs: 40_000,
      seed: 2,
      uncertainty: false,
      drivers: false,
    });
    const t1 = daysBetween(model.asOf, "2025-06-01");
    const t2 = daysBetween(model.asOf, "2025-09-01") + 1; // the end of the horizon's day
    const start = { ...cc, current: Int32Array.from([0, 0, 0]) };
    const first = transient(
      buildSpec(start, { steps: 1, mode: "continuous", grid: Float64Array.from([0, t1]) }),
    );
    let joint = 0;
    let marginal = 0;
    first.p[1].forEach((w, x) => {
      const z = [Math.floor(x / 6), Math.floor(x / 2) % 3, x % 2];
      if (z[0] !== 1 || w === 0) return;
      marginal += w;
      const next = transient(
        buildSpec(
          { ...cc, current: Int32Array.from(z) },
          {
            steps: 1,
            mode: "continuous",
            grid: Float64Array.from([0, t2 - t1]),
            conditions: [parseCondition(cc, "b=z")],
          },
        ),
      );
      joint += w * next.holds[0][1];
    });
    const exact = joint / marginal;
    const got = r.questions[0];
    const n = 40_000 * marginal;
    expect(Math.abs(got.p - exact), `${got.p} vs ${exact}`).toBeLessThan(
      4 * Math.sqrt((exact * (1 - exact)) / n),
    );
  }, 60_000);

  it("observations recorded in the model update the forecast to the exact posterior (2 % report error)", async () => {
    const cc = compileModel(model);
    const withObs = {
      ...model,
      observations: [{ ref: { factor: "a", state: "y" }, date: "2025-06-01", evidence: [] }],
    };
    const r = await forecastQuestions(withObs, cc, {
      runs: 40_000,
      seed: 6,
      uncertainty: false,
      drivers: false,
      only: ["q-at"],
    });
    expect(r.observations?.used).toEqual([{ state: "a=y", date: "2025-06-01" }]);
    const step = r.observations!.perQuestion[0].steps[0];
    // Exact: carry the start to the observation, weigh by the report's likelihood, carry on.
    const t1 = daysBetween(model.asOf, "2025-06-01");
    const t2 = daysBetween(model.asOf, "2025-07-15") + 1; // the end of the horizon's day
    const start = { ...cc, current: Int32Array.from([0, 0, 0]) };
    const spec = buildSpec(start, { steps: 1, mode: "continuous", grid: Float64Array.from([0, t1]) });
    const first = transient(spec).p[1];
    const post = first.map((w, x) => w * (Math.floor(x / 6) === 1 ? 0.98 : 0.02));
    const total = post.reduce((a, b) => a + b, 0);
    const after = propagate(
      spec,
      post.map((v) => v / total),
      t2 - t1,
    );
    const exact = after.reduce((a, v, x) => a + (Math.floor(x / 2) % 3 === 2 ? v : 0), 0);
    const q = r.questions[0];
    expect(Math.abs(q.p - exact), `${q.p} vs ${exact}`).toBeLessThan(
      5 * Math.sqrt((exact * (1 - exact)) / step.ess),
    );
    // As of the model's date, nothing is observed yet: the unconditioned forecast.
    const before = await forecastQuestions(withObs, cc, {
      runs: 2000,
      seed: 6,
      uncertainty: false,
      drivers: false,
      only: ["q-at"],
      observedUntil: model.asOf,
    });
    expect(before.observations).toBeNull();
  }, 60_000);

  it("gives the same JSON on a worker pool as in this thread", async () => {
    const cc = compileModel(model);
    const o = { runs: 1500, seed: 8, driverRuns: 300, top: 3 } as const;
    const a = await forecastQuestions(model, cc, o);
    const pool = createPool(2);
    try {
      const b = await forecastQuestions(model, cc, { ...o, pool });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("a question's stream is keyed by its id: the same question in another file gives the same answer", async () => {
    const cc = compileModel(model);
    const a = await forecastQuestions(model, cc, { runs: 1000, seed: 7, drivers: false });
    const reordered = { ...model, questions: [...(model.questions ?? [])].reverse().slice(0, 2) };
    const b = await forecastQuestions(reordered, compileModel(reordered), {
      runs: 1000,
      seed: 7,
      drivers: false,
    });
    for (const q of b.questions) {
      const same = a.questions.find((x) => x.id === q.id)!;
      expect(q.p).toBe(same.p);
      expect(q.mc).toEqual(same.mc);
      expect(q.seed).toBe(questionSeed(7, q.id));
    }
  }, 60_000);

  it("is deterministic in the seed, and judgment draws widen the interval", async () => {
    const a = await forecastQuestions(model, cm, { runs: 2000, seed: 5, drivers: false });
    const b = await forecastQuestions(model, cm, { runs: 2000, seed: 5, drivers: false });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.uncertainty).toBe(true);
    for (const q of a.questions) {
      expect(q.interval.lo).toBeLessThanOrEqual(q.p);
      expect(q.interval.hi).toBeGreaterThanOrEqual(q.p);
    }
    expect(a.questions.some((q) => q.interval.hi - q.interval.lo > 0.02)).toBe(true);
  });

  it("drivers are common-random-numbers differences on the judged matrix, largest first", async () => {
    const r = await forecastQuestions(model, cm, {
      runs: 2000,
      seed: 9,
      driverRuns: 1500,
      only: ["q-all"],
      top: 50,
    });
    const q = r.questions[0];
    const effects = q.drivers!.map((d) => Math.abs(d.effect));
    expect(effects).toEqual([...effects].sort((x, y) => y - x));
    expect(q.drivers!.length).toBeGreaterThan(3);
    // Recompute one impact driver and one current-state driver directly with the engine.
    const imp = q.drivers!.find((d) => d.kind === "impact")!;
    if (imp.kind !== "impact") throw new Error();
    const runOnce = async (c: CompiledModel, given?: Map<number, number>) => {
      const dnf = compileCondition(cm, model.questions![1].condition);
      const { tally, spec } = await simulate(c, {
        steps: 5,
        runs: 1500,
        seed: questionSeed(9, "q-all"),
        record: true,
        paths: false,
        given,
      });
      let hits = 0;
      const n = spec.nFactors;
      for (const rec of tally.records)
        for (let run = 0; run < rec.length / (6 * n); run++) {
          let yes = false;
          for (let k = 0; k <= 5 && !yes; k++) {
            const o = (run * 6 + k) * n;
            yes = dnf.some((c2) => c2.factors.every((f, i) => rec[o + f] === c2.states[i]));
          }
          if (yes) hits++;
        }
      return hits / 1500;
    };
    const p0 = await runOnce(cm);
    expect(q.judged).toBeCloseTo(p0, 12);
    const [f, s] = imp.from.split("=");
    const [g, t] = imp.to.split("=");
    const fi = cm.factorIds.indexOf(f);
    const gi = cm.factorIds.indexOf(g);
    const cell =
      (cm.offsets[fi] + cm.stateIds[fi].indexOf(s)) * cm.size + cm.offsets[gi] + cm.stateIds[gi].indexOf(t);
    const m = cm.matrix.slice();
    m[cell] = imp.changedTo;
    expect(imp.p).toBeCloseTo(await runOnce({ ...cm, matrix: m }), 12);
    expect(imp.effect).toBeCloseTo(imp.p - p0, 12);
    const cur = q.drivers!.find((d) => d.kind === "current");
    if (cur?.kind === "current") {
      const fj = cm.factorIds.indexOf(cur.factor);
      expect(cur.p).toBeCloseTo(await runOnce(cm, new Map([[fj, cm.stateIds[fj].indexOf(cur.to)]])), 12);
    }
  });

  it("indicators: observed states shift the probability as the exact chain says", async () => {
    const r = await forecastQuestions(model, cm, {
      runs: 20000,
      seed: 4,
      uncertainty: false,
      driverRuns: 200,
      only: ["q-all"],
      top: 10,
    });
    const q = r.questions[0];
    expect(q.indicators!.length).toBeGreaterThan(0);
    const shifts = q.indicators!.map((x) => Math.abs(x.shift));
    expect(shifts).toEqual([...shifts].sort((x, y) => y - x));
    for (const ind of q.indicators!) {
      const f = cm.factorIds.indexOf(ind.factor);
      const start = [0, 0, 0];
      start[f] = cm.stateIds[f].indexOf(ind.state);
      const e = exact(cm, start, (z) => z[1] === 1 && z[2] === 1, 5, "by");
      expect(Math.abs(ind.p - e), `${ind.factor}=${ind.state}`).toBeLessThan(0.02);
    }
    // Observing b=y and c=y together would answer the question; a single b=y does not.
    expect(q.indicators!.some((x) => x.factor === "b" && x.state === "y")).toBe(true);
  });

  it("infers the start of factors without a current state from the others' balance", () => {
    const m = load(
      TOY.replace(
        "current: x, states: [{ id: x, label: X }, { id: y, label: Y }, { id: z",
        "states: [{ id: x, label: X }, { id: y, label: Y }, { id: z",
      ),
    );
    const c = compileModel(m);
    const s = inferStart(c);
    expect(s.inferred).toEqual([1]);
    // With a=x and c=x, b=y gets +2 (from a=x) and b=x +1 (from c=x): b starts at y.
    expect(s.current[1]).toBe(1);
  });
});

describe("judgmentInterval", () => {
  it("recovers the spread of the per-matrix probabilities when sampling noise is small", () => {
    const runs = Array(100).fill(1_000_000);
    const hits = runs.map((n, g) => (g < 50 ? 0.2 * n : 0.8 * n));
    const i = judgmentInterval(hits, runs, 0.9);
    expect(i.lo).toBeCloseTo(0.2, 3);
    expect(i.hi).toBeCloseTo(0.8, 3);
    expect(i.sd).toBeCloseTo(Math.sqrt((0.09 * 100) / 99), 3);
  });

  it("shrinks to the point when every matrix has the same probability (only binomial noise)", () => {
    // 40 groups of 50 runs with hits spread exactly as binomial noise would (var = p(1-p)/n).
    const runs = Array(40).fill(50);
    const hits = runs.map((_, g) => (g % 2 === 0 ? 23 : 27));
    const i = judgmentInterval(hits, runs);
    expect(i.sd).toBe(0);
    expect(i.lo).toBeCloseTo(0.5, 12);
    expect(i.hi).toBeCloseTo(0.5, 12);
  });
});
