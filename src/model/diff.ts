// Differences between two model versions: the changed values by model path (on the normalised
// models, so `impacts[3].strength` names the judgment) and a unified line diff of the files.
import { formatPath, type PathSegment } from "./paths.js";

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

const MAX_CHANGES = 2000;

/** Every leaf that differs between a and b (at most 2000), by path. */
export function modelDiff(a: unknown, b: unknown): Change[] {
  const out: Change[] = [];
  const walk = (x: unknown, y: unknown, path: PathSegment[]) => {
    if (out.length >= MAX_CHANGES) return;
    if (x === y) return;
    const xo = x !== null && typeof x === "object";
    const yo = y !== null && typeof y === "object";
    if (xo && yo && Array.isArray(x) === Array.isArray(y)) {
      if (Array.isArray(x) && Array.isArray(y)) {
        for (let i = 0; i < Math.max(x.length, y.length); i++) walk(x[i], y[i], [...path, i]);
      } else {
        const xr = x as Record<string, unknown>;
        const yr = y as Record<string, unknown>;
        for (const k of new Set([...Object.keys(xr), ...Object.keys(yr)])) walk(xr[k], yr[k], [...path, k]);
      }
      return;
    }
    out.push({ path: formatPath(path), before: x ?? null, after: y ?? null });
  };
  walk(a, b, []);
  return out;
}

/**
 * A unified diff (3 lines of context) of two texts. Longest common subsequence over the lines
 * between the common prefix and suffix; beyond 4,000,000 cells the middle is shown replaced.
 */
export function textDiff(a: string, b: string, nameA = "a", nameB = "b"): string {
  if (a === b) return "";
  const A = a.split("\n");
  const B = b.split("\n");
  let pre = 0;
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  let suf = 0;
  while (suf < A.length - pre && suf < B.length - pre && A[A.length - 1 - suf] === B[B.length - 1 - suf])
    suf++;
  const a2 = A.slice(pre, A.length - suf);
  const b2 = B.slice(pre, B.length - suf);
  // ops: ' ' keep, '-' delete, '+' insert, over the whole files
  const ops: { op: " " | "-" | "+"; line: string }[] = A.slice(0, pre).map((line) => ({
    op: " " as const,
    line,
  }));
  if (a2.length * b2.length > 4_000_000) {
    for (const line of a2) ops.push({ op: "-", line });
    for (const line of b2) ops.push({ op: "+", line });
  } else {
    const n = a2.length;
    const m = b2.length;
    const L = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i * (m + 1) + j] =
          a2[i] === b2[j]
            ? L[(i + 1) * (m + 1) + j + 1] + 1
            : Math.max(L[(i + 1) * (m + 1) + j], L[i * (m + 1) + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a2[i] === b2[j]) {
        ops.push({ op: " ", line: a2[i] });
        i++;
        j++;
      } else if (j < m && (i === n || L[i * (m + 1) + j + 1] >= L[(i + 1) * (m + 1) + j])) {
        ops.push({ op: "+", line: b2[j++] });
      } else ops.push({ op: "-", line: a2[i++] });
    }
  }
  for (const line of A.slice(A.length - suf)) ops.push({ op: " ", line });
  // hunks with 3 lines of context
  const out = [`--- ${nameA}`, `+++ ${nameB}`];
  const ctx = 3;
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k].op === " ") k++;
    if (k >= ops.length) break;
    let start = Math.max(0, k - ctx);
    let end = k;
    // extend while changes are within 2*ctx of each other
    for (;;) {
      while (end < ops.length && ops[end].op !== " ") end++;
      let next = end;
      while (next < ops.length && ops[next].op === " " && next - end < 2 * ctx) next++;
      if (next < ops.length && ops[next].op !== " " && next - end < 2 * ctx) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + ctx);
    let aLine = 1;
    let bLine = 1;
    for (let q = 0; q < start; q++) {
      if (ops[q].op !== "+") aLine++;
      if (ops[q].op !== "-") bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.op !== "+").length;
    const bCount = hunk.filter((o) => o.op !== "-").length;
    out.push(`@@ -${aLine},${aCount} +${bLine},${bCount} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    k = stop;
    start = stop;
  }
  return `${out.join("\n")}\n`;
}
