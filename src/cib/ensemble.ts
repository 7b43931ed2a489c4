// CIB ensembles — several matrices for one system (one per analyst or workshop group).
//
// Method: cib-method.md "Ensembles" (cf. Weimer-Jehle 2023, ch. on ensemble and group CIB):
// (a) the kernel of the summed matrix (the mean gives the same kernel, by the invariance under
// multiplying the matrix by c > 0); (b) each member's kernel, and for every scenario
// consistent in at least one member, the share of members in which it is consistent; a quorum
// q lists the scenarios consistent in ≥ q members. Both are reported.

import { InputError } from "../errors.js";
import type { CompiledModel } from "../model/compiled.js";
import { compareScenarios, scenarioKey } from "./core.js";
import { findKernel, type KernelOptions, type KernelResult } from "./kernel.js";

export interface EnsembleMemberInput {
  id: string;
  matrix: Int32Array;
}

export interface EnsembleScenario {
  states: number[];
  /** Members in which the scenario is consistent. */
  members: string[];
  memberCount: number;
  /** memberCount / number of members. */
  share: number;
  /** Consistent under the summed matrix. */
  inSummedKernel: boolean;
  /** memberCount ≥ quorum. */
  meetsQuorum: boolean;
}

export interface EnsembleResult {
  kind: "cib.ensemble";
  memberIds: string[];
  quorum: number;
  summed: KernelResult;
  perMember: { id: string; kernel: KernelResult }[];
  /** Every scenario consistent in ≥ 1 member or in the summed kernel; by memberCount desc, then states. */
  scenarios: EnsembleScenario[];
  complete: boolean;
}

export interface EnsembleOptions extends Omit<KernelOptions, "matrix"> {
  /** Members (default: model.members). */
  members?: EnsembleMemberInput[] | Int32Array[];
  /** Minimum member count for meetsQuorum (default: a strict majority). */
  quorum?: number;
}

/** The matrices an ensemble searches: each member's, and their sum. */
export function ensembleMatrices(
  model: CompiledModel,
  opts: EnsembleOptions = {},
): { members: EnsembleMemberInput[]; sum: Int32Array } {
  const raw = opts.members ?? model.members;
  const members: EnsembleMemberInput[] = raw.map((x, i) =>
    x instanceof Int32Array ? { id: `member${i + 1}`, matrix: x } : x,
  );
  if (members.length === 0)
    throw new InputError("ensemble: no member matrices (model.members is empty)", { code: "option" });
  const mm = model.size * model.size;
  const sum = new Int32Array(mm);
  for (const mem of members) {
    if (mem.matrix.length !== mm)
      throw new Error(`ensemble member ${mem.id}: matrix has ${mem.matrix.length} cells, expected ${mm}`);
    for (let c = 0; c < mm; c++) sum[c] += mem.matrix[c];
  }
  return { members, sum };
}

/**
 * Summed-matrix kernel, per-member kernels and member shares. The kernels are searched here,
 * unless `found` brings them (searched elsewhere, e.g. on a pool, with the same options).
 */
export function ensembleAnalysis(
  model: CompiledModel,
  opts: EnsembleOptions = {},
  found?: { summed: KernelResult; perMember: KernelResult[] },
): EnsembleResult {
  const { members, sum } = ensembleMatrices(model, opts);
  const { members: _m, quorum: _q, ...kopts } = opts;
  const quorum = opts.quorum ?? Math.floor(members.length / 2) + 1;
  const summed = found?.summed ?? findKernel(model, { ...kopts, matrix: sum });
  const perMember = members.map((mem, i) => ({
    id: mem.id,
    kernel: found?.perMember[i] ?? findKernel(model, { ...kopts, matrix: mem.matrix }),
  }));
  const map = new Map<string, EnsembleScenario>();
  const get = (states: number[]) => {
    const k = scenarioKey(states);
    let e = map.get(k);
    if (!e) {
      e = { states, members: [], memberCount: 0, share: 0, inSummedKernel: false, meetsQuorum: false };
      map.set(k, e);
    }
    return e;
  };
  for (const pm of perMember)
    for (const s of pm.kernel.scenarios) {
      if (s.inconsistency > 0) continue;
      const e = get(s.states);
      e.members.push(pm.id);
      e.memberCount++;
    }
  for (const s of summed.scenarios) if (s.inconsistency === 0) get(s.states).inSummedKernel = true;
  const scenarios = [...map.values()];
  for (const e of scenarios) {
    e.share = e.memberCount / members.length;
    e.meetsQuorum = e.memberCount >= quorum;
  }
  scenarios.sort((a, b) => b.memberCount - a.memberCount || compareScenarios(a.states, b.states));
  return {
    kind: "cib.ensemble",
    memberIds: members.map((m) => m.id),
    quorum,
    summed,
    perMember,
    scenarios,
    complete: summed.complete && perMember.every((p) => p.kernel.complete),
  };
}
