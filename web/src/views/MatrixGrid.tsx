// The cross-impact matrix as a keyboard-navigable heatmap grid, grouped by factor.
import { Fragment, memo, useCallback, useEffect, useRef } from "react";
import type { Lookup } from "../lookup";
import { heatColor, heatText, type MatrixIndex } from "./matrix";

export interface Cell {
  r: number;
  c: number;
}

function MatrixGridImpl({
  lookup,
  index,
  short,
  selected,
  onSelect,
  active,
  setActive,
}: {
  lookup: Lookup;
  index: MatrixIndex;
  short: boolean;
  selected: Cell | null;
  onSelect: (c: Cell) => void;
  active: Cell;
  setActive: (c: Cell) => void;
}) {
  const { model, offsets, size, factorOf } = lookup;
  const ref = useRef<HTMLTableElement>(null);
  const focusCell = useCallback((c: Cell) => {
    const el = ref.current?.querySelector<HTMLElement>(`[data-cell="${c.r}-${c.c}"]`);
    el?.focus();
  }, []);
  useEffect(() => {
    if (selected) {
      const el = ref.current?.querySelector<HTMLElement>(`[data-cell="${selected.r}-${selected.c}"]`);
      el?.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }, [selected]);

  const onKey = (e: React.KeyboardEvent, r: number, c: number) => {
    let nr = r;
    let nc = c;
    if (e.key === "ArrowUp") nr--;
    else if (e.key === "ArrowDown") nr++;
    else if (e.key === "ArrowLeft") nc--;
    else if (e.key === "ArrowRight") nc++;
    else if (e.key === "Home") nc = 0;
    else if (e.key === "End") nc = size - 1;
    else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelect({ r, c });
      return;
    } else return;
    e.preventDefault();
    nr = Math.max(0, Math.min(size - 1, nr));
    nc = Math.max(0, Math.min(size - 1, nc));
    setActive({ r: nr, c: nc });
    focusCell({ r: nr, c: nc });
  };

  const fName = (j: number) => (short ? model.factors[j].short : model.factors[j].name);
  const sName = (j: number, k: number) =>
    short ? model.factors[j].states[k].short : model.factors[j].states[k].label;
  const cls = (r: number, c: number) => {
    const parts = ["cell"];
    if (factorOf[r] === factorOf[c]) parts.push("self");
    if (c === offsets[factorOf[c]]) parts.push("fstart");
    if (r === offsets[factorOf[r]]) parts.push("rstart");
    if (selected && selected.r === r && selected.c === c) parts.push("selected");
    return parts.join(" ");
  };

  return (
    <table
      ref={ref}
      className={short ? "matrix short" : "matrix long"}
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA grid pattern on a table
      role="grid"
      aria-label="Cross-impact matrix: rows are the acting states, columns the states acted upon. Use the arrow keys to move and Enter to open a judgment."
    >
      <thead>
        <tr>
          <th className="corner" colSpan={2} rowSpan={2} scope="col">
            <span className="muted">row acts on column →</span>
          </th>
          {model.factors.map((f, j) => (
            <th key={f.id} colSpan={f.states.length} className="fhead" scope="colgroup" title={f.name}>
              {fName(j)}
            </th>
          ))}
        </tr>
        <tr>
          {model.factors.map((f, j) =>
            f.states.map((s, k) => (
              <th
                key={`${f.id}=${s.id}`}
                scope="col"
                className={k === 0 ? "shead fstart" : "shead"}
                title={`${f.name}: ${s.label}`}
              >
                <span>{sName(j, k)}</span>
              </th>
            )),
          )}
        </tr>
      </thead>
      <tbody>
        {model.factors.map((f, j) =>
          f.states.map((s, k) => {
            const r = offsets[j] + k;
            return (
              <tr key={`${f.id}=${s.id}`} className={k === 0 ? "rstart" : undefined}>
                {k === 0 && (
                  <th rowSpan={f.states.length} scope="rowgroup" className="frow" title={f.name}>
                    {fName(j)}
                  </th>
                )}
                <th scope="row" className="srow" title={`${f.name}: ${s.label}`}>
                  {sName(j, k)}
                </th>
                {Array.from({ length: size }, (_, c) => {
                  const v = index.value(r, c);
                  const judged = index.sources(r, c).length > 0;
                  const isActive = active.r === r && active.c === c;
                  return (
                    <td
                      // biome-ignore lint/suspicious/noArrayIndexKey: the column index is the cell's identity
                      key={c}
                      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: cells of the ARIA grid
                      role="gridcell"
                      data-cell={`${r}-${c}`}
                      tabIndex={isActive ? 0 : -1}
                      aria-selected={selected?.r === r && selected?.c === c}
                      aria-label={`${lookup.label(r)} acting on ${lookup.label(c)}: ${v > 0 ? "+" : ""}${v}${judged ? "" : ", not judged"}`}
                      className={cls(r, c)}
                      style={{ background: heatColor(v, index.maxAbs), color: heatText(v, index.maxAbs) }}
                      onClick={() => {
                        setActive({ r, c });
                        onSelect({ r, c });
                      }}
                      onKeyDown={(e) => onKey(e, r, c)}
                    >
                      {v !== 0 ? (v > 0 ? `+${v}` : `−${-v}`) : judged ? "0" : ""}
                    </td>
                  );
                })}
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}

export const MatrixGrid = memo(MatrixGridImpl);

export function Legend({ maxAbs }: { maxAbs: number }) {
  const steps = [];
  const d = Math.max(1, Math.ceil(maxAbs / 3));
  for (let v = -maxAbs; v <= maxAbs; v += d) steps.push(v);
  return (
    <div className="legend" aria-hidden="true">
      <span>hinders</span>
      {steps.map((v) => (
        <Fragment key={v}>
          <span
            className="swatch"
            style={{ background: v === 0 ? "#fff" : heatColor(v, maxAbs), color: heatText(v, maxAbs) }}
          >
            {v > 0 ? `+${v}` : v}
          </span>
        </Fragment>
      ))}
      <span>promotes</span>
    </div>
  );
}
