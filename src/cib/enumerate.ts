// CIB by plain enumeration (odometer) — the reference method of ScenarioWizard: visit every
// scenario of the space, factor 0 most significant, with incremental score updates (moving
// one factor subtracts its old row from θ and adds its new row). Used for basins, for
// checking the branch and bound, and as the benchmark baseline. Same filters, interventions
// and tolerance semantics as findKernel.

import type { CompiledModel } from "../model/compiled.js";
import { nowMs, prepare, type RunControl, spaceSizeOf, stopRequested } from "./core.js";
import { buildSpec, compareKernelScenarios, type KernelOptions, type KernelResult } from "./kernel.js";

/**
 * Visits every scenario of the (filtered) space in odometer order. `visit(z, theta)` gets the
 * current scenario and its θ (length M); both are reused buffers: copy them to keep them.
 * Returns false when stopped.
 */
export function odometer(
  counts: ArrayLike<number>,
  allowed: number[][],
  m: number,
  matrix: Int32Array,
  offsets: ArrayLike<number>,
  visit: (z: Int32Array, theta: Int32Array) => void,
  ctl: RunControl = {},
): boolean {
  const n = counts.length;
  if (allowed.some((a) => a.length === 0)) return true;
  const pos = new Int32Array(n);
  const z = new Int32Array(n);
  const theta = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    z[i] = allowed[i][0];
    const r = (offsets[i] + z[i]) * m;
    for (let c = 0; c < m; c++) theta[c] += matrix[r + c];
  }
  const live = ctl.shouldStop !== undefined || ctl.signal !== undefined || ctl.onProgress !== undefined;
  const start = nowMs();
  let done = 0;
  for (;;) {
    visit(z, theta);
    done++;
    if (live && (done & 0xfffff) === 0) {
      ctl.onProgress?.({ done, elapsedMs: nowMs() - start });
      if (stopRequested(ctl)) return false;
    }
    let i = n - 1;
    for (; i >= 0; i--) {
      const old = z[i];
      const al = allowed[i];
      let q = pos[i] + 1;
      const wrap = q >= al.length;
      if (wrap) q = 0;
      pos[i] = q;
      const nw = al[q];
      if (nw !== old) {
        z[i] = nw;
        const ro = (offsets[i] + old) * m;
        const rn = (offsets[i] + nw) * m;
        for (let c = 0; c < m; c++) theta[c] += matrix[rn + c] - matrix[ro + c];
      }
      if (!wrap) break;
    }
    if (i < 0) return true;
  }
}

/**
 * The kernel by full enumeration (no pruning). Same options and result shape as findKernel;
 * `nodes` is the number of scenarios visited. Meant for small spaces and for checking.
 */
export function enumerateKernel(model: CompiledModel, opts: KernelOptions = {}): KernelResult {
  const start = nowMs();
  const p = prepare(model, opts);
  const spec = buildSpec(p, opts);
  const T = spec.tolerance;
  const { n, offsets, counts } = p;
  const found: KernelResult["scenarios"] = [];
  let visited = 0;
  const complete = odometer(
    counts,
    spec.allowed,
    p.m,
    p.matrix,
    offsets,
    (z, theta) => {
      visited++;
      let ic = 0;
      let tis = 0;
      let cv = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const a = offsets[i];
        const k = z[i];
        const tk = theta[a + k];
        tis += tk;
        if (spec.exempt[i] || counts[i] < 2) continue;
        let rival = Number.NEGATIVE_INFINITY;
        for (let l = 0; l < counts[i]; l++) if (l !== k && theta[a + l] > rival) rival = theta[a + l];
        if (rival - tk > ic) {
          ic = rival - tk;
          if (ic > T) return;
        }
        if (tk - rival < cv) cv = tk - rival;
      }
      found.push({
        states: Array.from(z),
        inconsistency: ic,
        tis,
        cv: cv === Number.POSITIVE_INFINITY ? 0 : cv,
      });
    },
    opts,
  );
  found.sort(compareKernelScenarios);
  const groups = new Map<number, number>();
  for (const s of found) groups.set(s.inconsistency, (groups.get(s.inconsistency) ?? 0) + 1);
  let searchSpace = 1n;
  for (const a of spec.allowed) searchSpace *= BigInt(a.length);
  return {
    kind: "cib.kernel",
    complete,
    tolerance: T,
    ignoreSelfImpacts: opts.ignoreSelfImpacts ?? false,
    scenarios: found,
    count: String(found.length),
    truncated: false,
    groups: [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([ic, c]) => ({ inconsistency: ic, count: String(c) })),
    spaceSize: spaceSizeOf(counts).toString(),
    searchSpaceSize: searchSpace.toString(),
    nodes: visited,
    elapsedMs: nowMs() - start,
    components: [Array.from({ length: n }, (_, i) => i)],
    counting: "search",
    listing: { kind: "all" },
  };
}
