// The heavy model work behind the API, as plain functions of a model text: check a text (parse,
// validate, hash: what a save needs, plus the serialised text/model/problems a read sends),
// the validated model itself, the cross-impact matrix (whole or a page of rows) serialised, and
// setting one value in the text. The server runs them in a worker thread (model-worker.ts) for
// large texts and inline for small ones (model-cache.ts decides); both run this same code.
// Serialised answers are UTF-8 bytes (a Uint8Array with its own buffer), so a worker can hand
// them over without a copy and the main thread never builds the big string.
// A memo of the last few texts' validated model (and matrix) is kept per thread, so a page of
// the matrix after a read of the same text does not parse it again.
import { createHash } from "node:crypto";
import { compileModel } from "../model/compile.js";
import { setInModelText } from "../model/edit.js";
import { type MatrixView, matrixView } from "../model/matrix-view.js";
import type { Problem } from "../model/types.js";
import { type Validated, validateModelText } from "../store/models.js";

/** A page of matrix rows: the first row (0-based) and how many. */
export type RowRange = [from: number, count: number];

export type ModelTask =
  | { kind: "check"; text: string }
  | { kind: "model"; text: string }
  | { kind: "matrix"; text: string; rows?: RowRange }
  | { kind: "set"; text: string; path: (string | number)[]; value: unknown };

/** What a save needs of a valid text, and the read's `"text","model","problems"` as JSON bytes. */
export interface Checked {
  id: string;
  title: string;
  hash: string;
  problems: Problem[];
  /** UTF-8 JSON of `{ text, model, problems }`. */
  record: Uint8Array;
}

export interface ModelTaskResults {
  check: Checked;
  model: Validated;
  matrix: Uint8Array;
  set: string;
}

/** The content key of a text: its sha256 (hex). */
export const contentKey = (text: string): string => createHash("sha256").update(text).digest("hex");

const encoder = new TextEncoder();
export const jsonBytes = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

interface Memo {
  validated: Validated;
  view?: MatrixView;
}
const MEMO_ENTRIES = 2;
const memo = new Map<string, Memo>();

function memoFor(text: string): Memo {
  const key = contentKey(text);
  let m = memo.get(key);
  if (m) memo.delete(key);
  else m = { validated: validateModelText(text) };
  memo.set(key, m);
  while (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  return m;
}

/** Rows [from, from+count) of a matrix view, with the judged cells in those rows. */
export function matrixPage(view: MatrixView, [from, count]: RowRange) {
  const total = view.rows.length;
  const start = Math.min(from, total);
  const end = Math.min(total, start + count);
  return {
    ...view,
    rows: view.rows.slice(start, end),
    cells: view.cells.filter((c) => c.row >= start && c.row < end),
    page: { from: start, count: end - start, total },
  };
}

export function runModelTask<K extends ModelTask["kind"]>(
  task: Extract<ModelTask, { kind: K }>,
): ModelTaskResults[K];
export function runModelTask(task: ModelTask): ModelTaskResults[keyof ModelTaskResults] {
  switch (task.kind) {
    case "check": {
      const { validated: v } = memoFor(task.text);
      return {
        id: v.model.id,
        title: v.model.title,
        hash: v.hash,
        problems: v.problems,
        record: jsonBytes({ text: task.text, model: v.model, problems: v.problems }),
      };
    }
    case "model":
      return memoFor(task.text).validated;
    case "matrix": {
      const m = memoFor(task.text);
      m.view ??= matrixView(m.validated.model, compileModel(m.validated.model));
      return jsonBytes(task.rows ? matrixPage(m.view, task.rows) : m.view);
    }
    case "set":
      return setInModelText(task.text, task.path, task.value);
  }
}
