// The matrix as a spreadsheet: type a judgment (−3…+3, the model's scale) into a cell, move with
// the arrow keys, Enter and Tab, paste a block copied from a spreadsheet. A cell of a factor on
// itself is not a judgment and cannot be typed into. Empty means unjudged; 0 is a judgment.
import {
  type ClipboardEvent,
  type KeyboardEvent,
  memo,
  type RefObject,
  useMemo,
  useRef,
  useState,
} from "react";
import type { MatrixView } from "../../../../src/model/matrix-view.js";
import type { Model } from "../../../../src/model/types.js";
import { heatColor, heatText } from "../matrix";

export interface Cell {
  r: number;
  c: number;
}

export function EntryGrid({
  model,
  view,
  selected,
  onSelect,
  onSet,
  onPaste,
  unjudgedOnly,
  marked,
}: {
  model: Model;
  view: MatrixView;
  selected: Cell | null;
  onSelect: (cell: Cell) => void;
  /** A typed value (null: the cell emptied). */
  onSet: (cell: Cell, value: number | null) => void;
  /** A pasted block of values (null: an empty field) with its top-left cell. */
  onPaste: (at: Cell, rows: (number | null)[][]) => void;
  unjudgedOnly: boolean;
  /** Cells changed since the saved version. */
  marked: Set<string>;
}) {
  const { min, max } = model.scale;
  const size = view.labels.length;
  const factorOf = useMemo(() => model.factors.flatMap((f, j) => f.states.map(() => j)), [model]);
  const judged = useMemo(() => new Set(view.cells.map((c) => `${c.row}-${c.column}`)), [view]);
  const [draft, setDraft] = useState<{ key: string; text: string } | null>(null);

  const parse = (t: string): number | null | undefined => {
    const s = t.trim().replace("−", "-");
    if (s === "") return null;
    if (!/^[+-]?\d+$/.test(s)) return undefined;
    const v = Number(s);
    return v >= min && v <= max ? v : undefined;
  };
  const focus = (r: number, c: number) =>
    document.querySelector<HTMLInputElement>(`[data-rc="${r}-${c}"]`)?.focus();
  const move = (r: number, c: number, dr: number, dc: number) => {
    for (let i = r + dr, j = c + dc; i >= 0 && i < size && j >= 0 && j < size; i += dr, j += dc)
      if (factorOf[i] !== factorOf[j]) return focus(i, j);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>, r: number, c: number) => {
    const d: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      Enter: [e.shiftKey ? -1 : 1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const step = d[e.key];
    if (!step) return;
    e.preventDefault();
    move(r, c, step[0], step[1]);
  };
  const paste = (e: ClipboardEvent<HTMLInputElement>, r: number, c: number) => {
    const text = e.clipboardData.getData("text/plain");
    if (!/[\t\n]/.test(text.trim())) return; // one value: let the input take it
    e.preventDefault();
    const rows = text
      .replace(/\r/g, "")
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => line.split(/\t|;|,/).map((x) => parse(x) ?? null));
    onPaste({ r, c }, rows);
  };

  // The handlers change every render (they close over the latest props); rows read them
  // through a ref, so a row re-renders only when what it shows changes.
  const latest = useRef({ onSelect, onSet, setDraft, onKey, paste, parse });
  latest.current = { onSelect, onSet, setDraft, onKey, paste, parse };
  const handlers = latest;

  const rowsShown = useMemo(() => {
    const all = [...Array(size).keys()];
    if (!unjudgedOnly) return all;
    return all.filter((r) => all.some((c) => factorOf[r] !== factorOf[c] && !judged.has(`${r}-${c}`)));
  }, [size, unjudgedOnly, factorOf, judged]);

  return (
    <div className="entry-wrap">
      <table className="entry-grid" aria-label="Cross-impact judgments: rows act on columns">
        <thead>
          <tr>
            <th rowSpan={2} className="corner">
              row acts on column →
            </th>
            {model.factors.map((f) => (
              <th key={f.id} colSpan={f.states.length} className="fgroup" title={f.name}>
                {f.short}
              </th>
            ))}
          </tr>
          <tr>
            {model.factors.flatMap((f) =>
              f.states.map((s, k) => (
                <th
                  key={`${f.id}=${s.id}`}
                  className={k === 0 ? "shead first" : "shead"}
                  title={`${f.name}: ${s.label}`}
                >
                  {s.short}
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {rowsShown.map((r) => {
            const f = model.factors[factorOf[r]];
            const s =
              f.states[r - model.factors.slice(0, factorOf[r]).reduce((n, x) => n + x.states.length, 0)];
            const cells = view.labels.map((_, c): RowCell => {
              const key = `${r}-${c}`;
              if (factorOf[r] === factorOf[c]) return null;
              const v = view.rows[r][c];
              const shown = judged.has(key) ? (v > 0 ? `+${v}` : String(v)) : "";
              return {
                v,
                text: draft?.key === key ? draft.text : shown,
                bad: draft?.key === key && parse(draft.text) === undefined,
                marked: marked.has(key),
                selected: selected?.r === r && selected?.c === c,
              };
            });
            return (
              <GridRow
                key={r}
                r={r}
                head={`${f.name}: ${s.label}`}
                factorShort={f.short}
                stateShort={s.short}
                labels={view.labels}
                cells={cells}
                signature={JSON.stringify(cells)}
                maxAbs={view.maxAbs}
                handlers={handlers}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

type RowCell = { v: number; text: string; bad: boolean; marked: boolean; selected: boolean } | null;

interface RowHandlers {
  onSelect: (cell: Cell) => void;
  onSet: (cell: Cell, value: number | null) => void;
  setDraft: (d: { key: string; text: string } | null) => void;
  onKey: (e: KeyboardEvent<HTMLInputElement>, r: number, c: number) => void;
  paste: (e: ClipboardEvent<HTMLInputElement>, r: number, c: number) => void;
  parse: (t: string) => number | null | undefined;
}

/** One row of the grid; re-rendered only when its `signature` (what it shows) changes. */
const GridRow = memo(
  function GridRow({
    r,
    head,
    factorShort,
    stateShort,
    labels,
    cells,
    maxAbs,
    handlers,
  }: {
    r: number;
    head: string;
    factorShort: string;
    stateShort: string;
    labels: string[];
    cells: RowCell[];
    signature: string;
    maxAbs: number;
    handlers: RefObject<RowHandlers>;
  }) {
    return (
      <tr>
        <th scope="row" title={head}>
          <span className="muted">{factorShort}</span> {stateShort}
        </th>
        {cells.map((cell, c) => {
          const key = `${r}-${c}`;
          if (!cell) return <td key={key} className="self" aria-hidden="true" />;
          return (
            <td
              key={key}
              className={`${cell.marked ? "marked " : ""}${cell.selected ? "sel" : ""}`}
              style={{ background: heatColor(cell.v, maxAbs), color: heatText(cell.v, maxAbs) }}
            >
              <input
                data-rc={key}
                value={cell.text}
                inputMode="numeric"
                aria-label={`${labels[r]} on ${labels[c]}`}
                aria-invalid={cell.bad || undefined}
                className={cell.bad ? "bad" : undefined}
                onFocus={() => handlers.current.onSelect({ r, c })}
                onBlur={() => handlers.current.setDraft(null)}
                onChange={(e) => {
                  const h = handlers.current;
                  h.setDraft({ key, text: e.target.value });
                  const p = h.parse(e.target.value);
                  if (p !== undefined) h.onSet({ r, c }, p);
                }}
                onKeyDown={(e) => handlers.current.onKey(e, r, c)}
                onPaste={(e) => handlers.current.paste(e, r, c)}
              />
            </td>
          );
        })}
      </tr>
    );
  },
  (a, b) =>
    a.signature === b.signature &&
    a.maxAbs === b.maxAbs &&
    a.head === b.head &&
    a.labels.join() === b.labels.join(),
);
