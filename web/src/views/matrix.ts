// The matrix as the API sends it (src/model/matrix-view.ts), indexed by cell for display.
import type { CellSource, MatrixRecord as MatrixView } from "../types";

export type { CellSource } from "../types";

export interface MatrixIndex {
  size: number;
  value: (r: number, c: number) => number;
  sources: (r: number, c: number) => CellSource[];
  maxAbs: number;
}

export function indexMatrix(size: number, matrix: MatrixView | null): MatrixIndex {
  const src = new Map<number, CellSource[]>();
  for (const cell of matrix?.cells ?? []) src.set(cell.row * size + cell.column, cell.sources);
  return {
    size,
    value: (r, c) => matrix?.rows[r]?.[c] ?? 0,
    sources: (r, c) => src.get(r * size + c) ?? [],
    maxAbs: matrix?.maxAbs ?? 1,
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
