// Compile a validated Model into the dense form the engines read, and give it a content hash.

import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import type { CompiledMember, CompiledModel, CompiledShock } from "./compiled.js";
import { resolveTempo } from "./tempo.js";
import { DEFAULT_BETA, DEFAULT_SPREAD, DEFAULT_UNRATED_SPREAD, type Model } from "./types.js";

/** Half-width of a model's scale, max(|min|, max): 3 on the default −3..+3 scale. */
function scaleBound(scale: { min: number; max: number }): number {
  return Math.max(-scale.min, scale.max);
}

/** The default β of a scale: DEFAULT_BETA on −3..+3, scaled as 3 / bound otherwise. */
export function defaultBeta(scale: { min: number; max: number }): number {
  return (DEFAULT_BETA * 3) / scaleBound(scale);
}

/** Spread (standard deviation, scale points) of a confidence code, or of an unrated impact. */
export function spreadOf(
  model: Pick<Model, "scale" | "uncertainty">,
  confidence: number | undefined,
): number {
  const u = model.uncertainty;
  const factor = scaleBound(model.scale) / 3;
  if (confidence === undefined) return u?.unrated ?? DEFAULT_UNRATED_SPREAD * factor;
  const c = confidence as 1 | 2 | 3 | 4 | 5;
  return u?.spread[c] ?? DEFAULT_SPREAD[c] * factor;
}

/** JSON with keys sorted at every level and undefined dropped: the canonical form of a value. */
export function canonicalJson(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = walk(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(walk(value));
}

/**
 * Content hash of a model: sha256 of its canonical JSON (normalised, keys sorted). Does not
 * change with key order, quoting, comments, indentation or shorthand spellings.
 */
export function modelHash(model: Model): string {
  return createHash("sha256").update(canonicalJson(model)).digest("hex");
}

export interface CompileOptions {
  /** Zero the same-factor blocks (ScenarioWizard keeps and sums them; that is the default). */
  ignoreSelfImpacts?: boolean;
}

/** Dense form of a validated model. Throws on unresolved references (validate first). */
export function compileModel(model: Model, opts: CompileOptions = {}): CompiledModel {
  const n = model.factors.length;
  const counts = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  const factorIndex = new Map<string, number>();
  const stateIndex = new Map<string, number>();
  model.factors.forEach((f, i) => {
    factorIndex.set(f.id, i);
    counts[i] = f.states.length;
    offsets[i + 1] = offsets[i] + f.states.length;
    f.states.forEach((s, k) => {
      stateIndex.set(`${f.id}=${s.id}`, offsets[i] + k);
    });
  });
  const size = offsets[n];
  const factorOf = new Int32Array(size);
  for (let i = 0; i < n; i++) factorOf.fill(i, offsets[i], offsets[i + 1]);

  const matrix = new Int32Array(size * size);
  const memberMatrices = new Map<string, Int32Array>();
  const cellImpacts = new Map<number, number[]>();
  const variance = new Float64Array(size * size);
  const resolve = (key: string): number => {
    const idx = stateIndex.get(key);
    if (idx === undefined) throw new Error(`unresolved state reference '${key}': validate the model first`);
    return idx;
  };
  const put = (impact: number, author: string | undefined, src: number, dst: number, v: number) => {
    if (opts.ignoreSelfImpacts && factorOf[src] === factorOf[dst]) return;
    const cell = src * size + dst;
    matrix[cell] += v;
    const sd = spreadOf(model, model.impacts[impact].confidence);
    variance[cell] += sd * sd;
    if (author !== undefined) {
      let m = memberMatrices.get(author);
      if (!m) memberMatrices.set(author, (m = new Int32Array(size * size)));
      m[cell] += v;
    }
    if (v !== 0) {
      const list = cellImpacts.get(cell);
      if (list) list.push(impact);
      else cellImpacts.set(cell, [impact]);
    }
  };
  model.impacts.forEach((imp, i) => {
    if (imp.kind === "cell") {
      put(
        i,
        imp.author,
        resolve(`${imp.from.factor}=${imp.from.state}`),
        resolve(`${imp.to.factor}=${imp.to.state}`),
        imp.strength,
      );
    } else {
      const fi = factorIndex.get(imp.from);
      const fj = factorIndex.get(imp.to);
      if (fi === undefined || fj === undefined) throw new Error(`unresolved factor in impacts[${i}]`);
      imp.matrix.forEach((row, r) =>
        row.forEach((v, c) => put(i, imp.author, offsets[fi] + r, offsets[fj] + c, v)),
      );
    }
  });
  let hasSelfImpacts = false;
  for (let r = 0; r < size && !hasSelfImpacts; r++)
    for (let c = offsets[factorOf[r]]; c < offsets[factorOf[r] + 1]; c++)
      if (matrix[r * size + c] !== 0) {
        hasSelfImpacts = true;
        break;
      }

  // Ensemble members: one matrix per author. Impacts without an author count for everyone.
  const members: CompiledMember[] = [];
  if (memberMatrices.size > 0) {
    const shared = new Int32Array(size * size);
    model.impacts.forEach((imp, i) => {
      if (imp.author !== undefined) return;
      const cells = cellImpactsOf(imp, i);
      for (const [cell, v] of cells) shared[cell] += v;
    });
    for (const id of [...memberMatrices.keys()].sort()) {
      const m = memberMatrices.get(id)!;
      for (let c = 0; c < m.length; c++) m[c] += shared[c];
      members.push({ id, matrix: m });
    }
  }
  function cellImpactsOf(imp: Model["impacts"][number], _i: number): [number, number][] {
    const out: [number, number][] = [];
    const push = (src: number, dst: number, v: number) => {
      if (opts.ignoreSelfImpacts && factorOf[src] === factorOf[dst]) return;
      out.push([src * size + dst, v]);
    };
    if (imp.kind === "cell")
      push(
        resolve(`${imp.from.factor}=${imp.from.state}`),
        resolve(`${imp.to.factor}=${imp.to.state}`),
        imp.strength,
      );
    else {
      const fi = factorIndex.get(imp.from)!;
      const fj = factorIndex.get(imp.to)!;
      imp.matrix.forEach((row, r) => row.forEach((v, c) => push(offsets[fi] + r, offsets[fj] + c, v)));
    }
    return out;
  }

  const spread = new Float64Array(size * size);
  for (let c = 0; c < spread.length; c++) spread[c] = Math.sqrt(variance[c]);
  const betaAll = model.dynamics?.beta ?? defaultBeta(model.scale);
  const beta = Float64Array.from(model.factors.map((f) => model.dynamics?.responsiveness[f.id] ?? betaAll));
  const current = Int32Array.from(
    model.factors.map((f) => (f.current === undefined ? -1 : f.states.findIndex((s) => s.id === f.current))),
  );
  const shocks: CompiledShock[] = (model.dynamics?.shocks ?? []).map((sh) => {
    const idx = resolve(`${sh.to.factor}=${sh.to.state}`);
    const f = factorOf[idx];
    const out: CompiledShock = { factor: f, state: idx - offsets[f] };
    if (sh.probability !== undefined) out.probability = sh.probability;
    if (sh.at !== undefined) out.at = sh.at;
    return out;
  });

  return {
    hash: modelHash(model),
    nFactors: n,
    counts,
    offsets,
    size,
    factorOf,
    matrix,
    hasSelfImpacts,
    scale: { ...model.scale },
    factorIds: model.factors.map((f) => f.id),
    factorNames: model.factors.map((f) => f.name),
    factorShort: model.factors.map((f) => f.short),
    stateIds: model.factors.map((f) => f.states.map((s) => s.id)),
    stateLabels: model.factors.map((f) => f.states.map((s) => s.label)),
    stateShort: model.factors.map((f) => f.states.map((s) => s.short)),
    exogenous: model.factors.map((f) => f.exogenous),
    cellImpacts,
    members,
    current,
    beta,
    shocks,
    spread,
    ...resolveTempo(model, betaAll),
  };
}

/** Parses `f=s,g=t` into state indices per factor index (for --fix, --scenario, …). */
export function parseAssignment(cm: CompiledModel, text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) throw new InputError(`'${part}' is not a factor=state pair`, { code: "state-ref" });
    const [fid, sid] = [m[1].trim(), m[2].trim()];
    const i = cm.factorIds.indexOf(fid);
    if (i < 0)
      throw new InputError(`no factor '${fid}'; factors are ${cm.factorIds.join(", ")}`, {
        code: "state-ref",
      });
    const k = cm.stateIds[i].indexOf(sid);
    if (k < 0)
      throw new InputError(
        `factor '${fid}' has no state '${sid}'; its states are ${cm.stateIds[i].join(", ")}`,
        { code: "state-ref" },
      );
    if (out.has(i) && out.get(i) !== k)
      throw new InputError(`factor '${fid}' is given two states`, { code: "state-ref" });
    out.set(i, k);
  }
  return out;
}
