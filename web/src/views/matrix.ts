// Indexes of the cross-impact matrix for display: values and the judgments behind each cell.
import type { Lookup } from "../lookup";
import type { MatrixResponse } from "../types";

/** A judgment behind a matrix cell: the impact and, for a block, the row and column in it. */
export interface CellSource {
  impact: number;
  r?: number;
  c?: number;
}

export interface MatrixIndex {
  size: number;
  value: (r: number, c: number) => number;
  sources: (r: number, c: number) => CellSource[];
  maxAbs: number;
}

export function indexMatrix(lookup: Lookup, matrix: MatrixResponse | null): MatrixIndex {
  const { model, size, offsets } = lookup;
  const values = new Float64Array(size * size);
  const src = new Map<number, CellSource[]>();
  const add = (r: number, c: number, s: CellSource, v: number) => {
    if (r < 0 || c < 0) return;
    const key = r * size + c;
    values[key] += v;
    const list = src.get(key);
    if (list) list.push(s);
    else src.set(key, [s]);
  };
  model.impacts.forEach((imp, i) => {
    if (imp.kind === "cell") {
      const r = lookup.stateIndex(`${imp.from.factor}=${imp.from.state}`);
      const c = lookup.stateIndex(`${imp.to.factor}=${imp.to.state}`);
      add(r, c, { impact: i }, imp.strength);
    } else {
      const a = lookup.factorIndex(imp.from);
      const b = lookup.factorIndex(imp.to);
      if (a < 0 || b < 0) return;
      imp.matrix.forEach((row, r) =>
        row.forEach((v, c) => add(offsets[a] + r, offsets[b] + c, { impact: i, r, c }, v)),
      );
    }
  });
  // The server's matrix is authoritative for the values when it matches the model's size.
  if (matrix?.rows && matrix.rows.length === size && matrix.rows.every((row) => row.length === size)) {
    matrix.rows.forEach((row, r) => row.forEach((v, c) => (values[r * size + c] = v)));
  }
  let maxAbs = Math.max(Math.abs(model.scale.min), Math.abs(model.scale.max));
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  return {
    size,
    value: (r, c) => values[r * size + c],
    sources: (r, c) => src.get(r * size + c) ?? [],
    maxAbs,
  };
}

/** Background colour of a matrix value: green promotes, red hinders, white none. */
export function heatColor(v: number, maxAbs: number): string {
  if (v === 0) return "transparent";
  const t = Math.min(1, Math.abs(v) / maxAbs);
  const l = 94 - 52 * t;
  return v > 0 ? `hsl(145 48% ${l}%)` : `hsl(4 62% ${l + 2}%)`;
}

export const heatText = (v: number, maxAbs: number) => (Math.abs(v) / maxAbs > 0.55 ? "#fff" : "#1d2327");

/** Model path of the value that a cell's judgment stores. */
export function valuePath(s: CellSource): string {
  return s.r === undefined ? `impacts[${s.impact}].strength` : `impacts[${s.impact}].matrix[${s.r}][${s.c}]`;
}
