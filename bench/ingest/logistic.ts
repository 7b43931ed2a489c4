// L2-regularised logistic regression by Newton's method (iteratively reweighted least squares),
// for the drafts' confidence (fit-confidence.ts). The model is p = σ(b + w·x); the fit maximises
//   Σ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)] − (λ/2)·|w|²
// (the intercept b is not penalised). Each step solves (XᵀWX + Λ) δ = Xᵀ(y − p) − Λβ with
// W = diag(pᵢ(1 − pᵢ)), Λ = diag(0, λ, …, λ), by Gaussian elimination with partial pivoting: the
// systems are a handful of unknowns. test/evidence/confidence-fit.test.ts checks it against data
// drawn from known weights and against the closed form of a one-feature, separable-free case.

export interface LogisticFit {
  intercept: number;
  weights: number[];
  iterations: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A x = b in place (A n×n, rows copied); throws on a singular system. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    if (Math.abs(M[piv][c]) < 1e-12) throw new Error("logistic: singular system");
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Fits p = σ(b + w·x) to rows `x` and outcomes `y` (0/1) with L2 penalty `lambda` on w. */
export function fitLogistic(x: number[][], y: number[], lambda: number, maxIter = 100): LogisticFit {
  const d = x[0]?.length ?? 0;
  const beta = new Array<number>(d + 1).fill(0);
  let it = 0;
  for (; it < maxIter; it++) {
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    const g = new Array<number>(d + 1).fill(0);
    for (let i = 0; i < x.length; i++) {
      const row = [1, ...x[i]];
      let z = 0;
      for (let k = 0; k <= d; k++) z += beta[k] * row[k];
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-10);
      for (let a = 0; a <= d; a++) {
        g[a] += (y[i] - p) * row[a];
        for (let b = 0; b <= d; b++) H[a][b] += w * row[a] * row[b];
      }
    }
    for (let k = 1; k <= d; k++) {
      H[k][k] += lambda;
      g[k] -= lambda * beta[k];
    }
    const step = solve(H, g);
    let moved = 0;
    for (let k = 0; k <= d; k++) {
      beta[k] += step[k];
      moved = Math.max(moved, Math.abs(step[k]));
    }
    if (moved < 1e-9) break;
  }
  return { intercept: beta[0], weights: beta.slice(1), iterations: it + 1 };
}

export function predict(fit: LogisticFit, row: number[]): number {
  let z = fit.intercept;
  for (let k = 0; k < row.length; k++) z += fit.weights[k] * row[k];
  return sigmoid(z);
}

/** Mean log-loss of probabilities `p` for outcomes `y` (p clipped to [1e-6, 1 − 1e-6]). */
export function logLoss(p: number[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]));
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(1, p.length);
}

/** Mean squared error of probabilities (the Brier score). */
export function brier(p: number[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return s / Math.max(1, p.length);
}

/** Area under the ROC curve: the chance a random positive outranks a random negative (ties ½). */
export function auc(p: number[], y: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < p.length; i++)
    for (let j = 0; j < p.length; j++)
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        wins += p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0;
      }
  return pairs ? wins / pairs : Number.NaN;
}
