import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DATA_NAME,
  deu3StackRows,
  FIT_METHODS,
  fitShipped,
  groupBootstrap,
  OUTER_FOLDS,
  OUTER_SEED,
} from "../../bench/deu3/stack.js";
import {
  type CombineFit,
  combineIssue,
  conformalQuantile,
  dot,
  fitCombination,
  groupedFolds,
  predictCombination,
  ridge,
  ridgeLad,
  SHIPPED_FIT,
} from "../../src/bargain/combine.js";
import shipped from "../../src/bargain/combine-fit.json" with { type: "json" };
import { readDeu3File } from "../../src/bargain/csv.js";
import { makeRng } from "../../src/random.js";
import { fixture } from "./helpers.js";

const data = readDeu3File(fixture("deu3/deu3.csv"));
const rows = deu3StackRows(data, FIT_METHODS);

describe("grouped folds on DEU III", () => {
  const folds = groupedFolds(
    rows.map((r) => r.proposal),
    OUTER_FOLDS,
    OUTER_SEED,
  );
  it("are pinned for the seed (hash of the sorted proposals of every fold)", () => {
    const listing = Array.from({ length: OUTER_FOLDS }, (_, f) =>
      [...new Set(rows.filter((_, i) => folds[i] === f).map((r) => r.proposal))].sort().join(","),
    ).join("\n");
    expect(rows.length).toBe(253);
    expect(createHash("sha256").update(listing).digest("hex").slice(0, 16)).toBe("c27f25272ff4511d");
    expect(folds.slice(0, 12)).toEqual([7, 7, 7, 7, 6, 6, 2, 4, 0, 0, 1, 1]);
  });
  it("put every proposal on one side only (no leak) and are balanced", () => {
    const foldOf = new Map<string, number>();
    rows.forEach((r, i) => {
      const f = foldOf.get(r.proposal);
      if (f !== undefined) expect(folds[i]).toBe(f);
      foldOf.set(r.proposal, folds[i]);
    });
    for (let f = 0; f < OUTER_FOLDS; f++) {
      const test = new Set(rows.filter((_, i) => folds[i] === f).map((r) => r.proposal));
      const train = new Set(rows.filter((_, i) => folds[i] !== f).map((r) => r.proposal));
      expect([...test].filter((p) => train.has(p))).toEqual([]);
    }
    const sizes = Array.from({ length: OUTER_FOLDS }, (_, f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(12);
  });
  it("depend on the seed only", () => {
    const g = rows.map((r) => r.proposal);
    expect(groupedFolds(g, 5, 3)).toEqual(groupedFolds(g, 5, 3));
    expect(groupedFolds(g, 5, 3)).not.toEqual(groupedFolds(g, 5, 4));
  });
});

/** Random design with a known linear signal. */
function synthetic(n: number, p: number, seed: number) {
  const rng = makeRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.normal()));
  const beta = Array.from({ length: p }, (_, j) => (j % 2 ? 1 : -0.5) * (j + 1));
  const y = X.map((x) => dot(x, beta) + 2 * rng.normal());
  return { X, y, beta };
}

/** Least squares by modified Gram–Schmidt QR of the augmented system [X; √λ I] β ≈ [y; 0]. */
function ridgeByQr(X: number[][], y: number[], lambda: number): number[] {
  const p = X[0].length;
  const A = [
    ...X.map((r) => [...r]),
    ...Array.from({ length: p }, (_, j) =>
      Array.from({ length: p }, (_, k) => (j === k ? Math.sqrt(lambda) : 0)),
    ),
  ];
  const b = [...y, ...new Array(p).fill(0)];
  const m = A.length;
  const Q = A.map((r) => [...r]);
  const R = Array.from({ length: p }, () => new Array(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += Q[i][k] * Q[i][j];
      R[k][j] = s;
      for (let i = 0; i < m; i++) Q[i][j] -= s * Q[i][k];
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += Q[i][j] ** 2;
    R[j][j] = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) Q[i][j] /= R[j][j];
  }
  const qtb = Array.from({ length: p }, (_, j) => A.reduce((s, _, i) => s + Q[i][j] * b[i], 0));
  const x = new Array(p).fill(0);
  for (let j = p - 1; j >= 0; j--) {
    let s = qtb[j];
    for (let k = j + 1; k < p; k++) s -= R[j][k] * x[k];
    x[j] = s / R[j][j];
  }
  return x;
}

describe("ridge and ridge-LAD solutions", () => {
  const { X, y } = synthetic(80, 6, 11);
  it("ridge equals the QR solution of the augmented least-squares problem", () => {
    for (const lambda of [0.01, 1, 50]) {
      const a = ridge(X, y, lambda);
      const b = ridgeByQr(X, y, lambda);
      a.forEach((v, j) => expect(v).toBeCloseTo(b[j], 7));
    }
  });
  it("ridge's gradient is zero: Xᵀ(Xβ − y) + λβ = 0", () => {
    const lambda = 3;
    const beta = ridge(X, y, lambda);
    for (let j = 0; j < beta.length; j++) {
      const g = X.reduce((s, x, i) => s + x[j] * (dot(x, beta) - y[i]), 0) + lambda * beta[j];
      expect(Math.abs(g)).toBeLessThan(1e-6);
    }
  });
  it("ridge-LAD lowers its objective below ridge's and below nearby points", () => {
    const lambda = 2;
    const obj = (b: number[]) =>
      X.reduce((s, x, i) => s + Math.abs(y[i] - dot(x, b)), 0) + (lambda / 2) * dot(b, b);
    const lad = ridgeLad(X, y, lambda);
    expect(obj(lad)).toBeLessThan(obj(ridge(X, y, lambda)));
    const rng = makeRng(5);
    for (let t = 0; t < 50; t++) {
      const near = lad.map((v) => v + 0.01 * rng.normal());
      expect(obj(lad)).toBeLessThanOrEqual(obj(near) + 1e-3);
    }
  });
});

describe("conformal coverage on synthetic data", () => {
  it("the CV conformal interval covers about 90 % (many seeded replications, binomial tolerance)", () => {
    const reps = 200;
    let hits = 0;
    let total = 0;
    for (let r = 0; r < reps; r++) {
      const rng = makeRng(1000 + r);
      const n = 60;
      // Issues on 0–100: outcome = compromise + noise, with a method that carries some signal.
      const make = () => {
        const cm = 20 + 60 * rng.next();
        const signal = 10 * rng.normal();
        const y = Math.min(100, Math.max(0, cm + signal + 12 * rng.normal()));
        const actors = [0, 1, 2, 3].map((k) => ({
          name: `a${k}`,
          clout: 1 + k,
          salience: 0.5,
          position: Math.min(100, Math.max(0, cm + 20 * rng.normal())),
        }));
        return {
          raw: {
            cm,
            median: cm + signal,
            spread: 20,
            salience: 0.5,
            hhi: 0.3,
            actors: actors.length,
            hasReversion: 0,
            reversionGap: 0,
            reversionDistance: 0,
          } as Record<string, number>,
          y,
          g: `p${Math.floor(rng.next() * 1e9)}`,
        };
      };
      const train = Array.from({ length: n }, make);
      const spec = {
        methods: ["cm", "median"] as const,
        summaries: [],
        reversion: false,
        even: [],
        interactWith: [],
      };
      const folds = groupedFolds(
        train.map((t) => t.g),
        5,
        r,
      );
      const res: number[] = [];
      for (let f = 0; f < 5; f++) {
        const tr = train.filter((_, i) => folds[i] !== f);
        const fit = fitCombination(
          tr.map((t) => t.raw),
          tr.map((t) => t.y),
          { ...spec, methods: [...spec.methods] },
          "squared",
          1,
        );
        train.forEach((t, i) => {
          if (folds[i] === f) res.push(Math.abs(t.y - predictCombination(fit, t.raw)));
        });
      }
      const fit = fitCombination(
        train.map((t) => t.raw),
        train.map((t) => t.y),
        { ...spec, methods: [...spec.methods] },
        "squared",
        1,
      );
      const q = conformalQuantile(res, 0.9);
      for (let k = 0; k < 20; k++) {
        const t = make();
        const p = predictCombination(fit, t.raw);
        if (Math.abs(t.y - p) <= q) hits++;
        total++;
      }
    }
    // 4000 test points, but clustered by replication: allow 4 binomial sds of 4000 plus slack.
    const cover = hits / total;
    const sd = Math.sqrt((0.9 * 0.1) / total);
    expect(cover).toBeGreaterThan(0.9 - 4 * sd - 0.01);
    expect(cover).toBeLessThan(0.9 + 4 * sd + 0.02);
  });
  it("the conformal rank is ⌈(n+1)(1−α)⌉ and Infinity beyond n", () => {
    const r = Array.from({ length: 19 }, (_, i) => i + 1);
    expect(conformalQuantile(r, 0.9)).toBe(18);
    expect(conformalQuantile(r, 0.5)).toBe(10);
    expect(conformalQuantile([1, 2, 3], 0.9)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("the shipped fit (src/bargain/combine-fit.json)", () => {
  it("is what bench/deu3/fit.ts computes on DEU III (within rounding)", () => {
    const fit = fitShipped(rows, FIT_METHODS);
    const json = shipped as unknown as CombineFit;
    expect(json.data).toEqual({
      name: DATA_NAME,
      rows: 253,
      groups: new Set(rows.map((r) => r.proposal)).size,
    });
    expect(json.candidate).toBe(fit.candidate);
    expect(json.spec).toEqual(fit.spec);
    expect(json.columns).toEqual(fit.columns);
    expect(json.methods).toEqual(fit.methods);
    fit.coef.forEach((v, j) => expect(json.coef[j]).toBeCloseTo(v, 8));
    fit.scale.forEach((v, j) => expect(json.scale[j]).toBeCloseTo(v, 8));
    fit.conformal.residuals.forEach((v, j) => expect(json.conformal.residuals[j]).toBeCloseTo(v, 8));
    expect(json.conformal.quantiles["0.9"]).toBeCloseTo(fit.conformal.quantiles["0.9"], 8);
    expect(SHIPPED_FIT.coef).toEqual(json.coef);
  });
  it("forecasts DEU III issues inside the training ranges, few beyond the distance warning", () => {
    let warned = 0;
    for (const r of rows) {
      const c = combineIssue(SHIPPED_FIT, r.issue);
      expect(c.position).toBeGreaterThanOrEqual(0);
      expect(c.position).toBeLessThanOrEqual(100);
      expect(c.interval[0]).toBeLessThanOrEqual(c.position);
      expect(c.interval[1]).toBeGreaterThanOrEqual(c.position);
      expect(c.extrapolation.outside).toEqual([]);
      if (c.extrapolation.warnings.length) warned++;
    }
    expect(warned).toBeLessThanOrEqual(2);
  });
  it("warns for two actors far from EU legislation", () => {
    const c = combineIssue(SHIPPED_FIT, {
      actors: [
        { name: "a", clout: 1, salience: 1, position: 0 },
        { name: "b", clout: 1, salience: 1, position: 100 },
      ],
      reversion: 50,
      forecasts: { cm: 50, median: 0, nbs: 50, eum: 50, smp: 50 },
    });
    expect(c.extrapolation.warnings.some((w) => w.startsWith("2 actors"))).toBe(true);
    expect(c.extrapolation.outside.map((o) => o.feature)).toContain("actors");
    expect(c.extrapolation.distance).toBeGreaterThan(2);
  });
  it("a wider level gives a wider interval", () => {
    const r = rows[0];
    const a = combineIssue(SHIPPED_FIT, r.issue, 0.5);
    const b = combineIssue(SHIPPED_FIT, r.issue, 0.9);
    expect(b.interval[1] - b.interval[0]).toBeGreaterThanOrEqual(a.interval[1] - a.interval[0]);
  });
});

describe("group bootstrap", () => {
  it("is seeded and brackets the mean", () => {
    const g = rows.map((r) => r.proposal);
    const v = rows.map((r) => Math.abs(r.outcome - r.raw.cm));
    const a = groupBootstrap(g, [v], 200, 1);
    expect(groupBootstrap(g, [v], 200, 1)).toEqual(a);
    expect(a.lo[0]).toBeLessThan(a.mean[0]);
    expect(a.hi[0]).toBeGreaterThan(a.mean[0]);
  });
});
