// The cross-impact matrix as an analyst reads it: every factor with its states, the summed
// value of every cell, and for each judged cell the judgments behind it, each with the model
// path of the value it stores (`impacts[3].strength`, or `impacts[5].matrix[1][0]` for a block)
// so that an editor can change exactly that value. Explicit zeros count as judgments. The app
// reads this rather than rebuilding the index.
import type { CompiledModel } from "./compiled.js";
import type { Evidence, Model } from "./types.js";

/** A judgment behind a cell: the impact, the value it adds to the cell, and that value's path. */
export interface CellSource {
  impact: number;
  value: number;
  path: string;
}

/** One judged cell: row and column are global state indices; from/to are `factor=state`. */
export interface MatrixCell {
  row: number;
  column: number;
  from: string;
  to: string;
  /** The cell's value: the sum of its judgments (zeroed self-impacts are not applied here). */
  strength: number;
  /** Every judgment behind the cell, in model order. */
  sources: CellSource[];
  /** The first judgment's rationale and evidence. */
  rationale: string | null;
  evidence: Evidence[];
}

export interface MatrixFactor {
  id: string;
  name: string;
  short: string;
  states: { id: string; label: string; short: string }[];
}

export interface MatrixView {
  hash: string;
  factors: MatrixFactor[];
  /** `factor=state` of every row (and column), in order. */
  labels: string[];
  /** Every cell's value, row by row. */
  rows: number[][];
  /** The judged cells, row-major. */
  cells: MatrixCell[];
  /** The largest |value| on the scale or in the matrix, for colouring. */
  maxAbs: number;
}

export function matrixView(model: Model, cm: CompiledModel): MatrixView {
  const M = cm.size;
  const labels: string[] = [];
  cm.factorIds.forEach((f, i) => {
    for (const s of cm.stateIds[i]) labels.push(`${f}=${s}`);
  });
  const rows: number[][] = [];
  for (let r = 0; r < M; r++) rows.push(Array.from(cm.matrix.subarray(r * M, (r + 1) * M)));
  // Every judgment's cells, explicit zeros included (a 0 in a block is a judgment too).
  const index = new Map(labels.map((l, g) => [l, g]));
  const sources = new Map<number, CellSource[]>();
  const add = (r: number, c: number, src: CellSource) => {
    const key = r * M + c;
    const list = sources.get(key);
    if (list) list.push(src);
    else sources.set(key, [src]);
  };
  model.impacts.forEach((imp, i) => {
    if (imp.kind === "cell") {
      const r = index.get(`${imp.from.factor}=${imp.from.state}`);
      const c = index.get(`${imp.to.factor}=${imp.to.state}`);
      if (r !== undefined && c !== undefined)
        add(r, c, { impact: i, value: imp.strength, path: `impacts[${i}].strength` });
      return;
    }
    const a = cm.factorIds.indexOf(imp.from);
    const b = cm.factorIds.indexOf(imp.to);
    if (a < 0 || b < 0) return;
    imp.matrix.forEach((row, r) =>
      row.forEach((value, c) =>
        add(cm.offsets[a] + r, cm.offsets[b] + c, {
          impact: i,
          value,
          path: `impacts[${i}].matrix[${r}][${c}]`,
        }),
      ),
    );
  });
  const cells: MatrixCell[] = [...sources]
    .sort((x, y) => x[0] - y[0])
    .map(([key, list]) => {
      const r = Math.floor(key / M);
      const c = key % M;
      const first = model.impacts[list[0].impact];
      return {
        row: r,
        column: c,
        from: labels[r],
        to: labels[c],
        strength: cm.matrix[key],
        sources: list,
        rationale: first.rationale ?? null,
        evidence: first.evidence,
      };
    });
  let maxAbs = Math.max(Math.abs(model.scale.min), Math.abs(model.scale.max));
  for (const v of cm.matrix) maxAbs = Math.max(maxAbs, Math.abs(v));
  return {
    hash: cm.hash,
    factors: model.factors.map((f) => ({
      id: f.id,
      name: f.name,
      short: f.short,
      states: f.states.map((s) => ({ id: s.id, label: s.label, short: s.short })),
    })),
    labels,
    rows,
    cells,
    maxAbs,
  };
}
