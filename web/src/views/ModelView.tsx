// Model view: the matrix heatmap, the network, actors and factors, validation problems.
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ModelCtx } from "../App";
import type { LocatorCheck, Problem } from "../types";
import { CellPanel, fetchEvidence } from "./CellPanel";
import { type Cell, Legend, MatrixGrid } from "./MatrixGrid";
import { indexMatrix } from "./matrix";
import { NetworkGraph } from "./NetworkGraph";

type Sub = "matrix" | "network" | "factors";

export function ModelView({ ctx }: { ctx: ModelCtx }) {
  const { lookup, record, matrix } = ctx;
  const { model } = lookup;
  const index = useMemo(() => indexMatrix(lookup.size, matrix), [lookup, matrix]);
  const [sub, setSub] = useState<Sub>("matrix");
  const [short, setShort] = useState(true);
  const [selected, setSelected] = useState<Cell | null>(null);
  const [active, setActive] = useState<Cell>({ r: 0, c: 0 });
  const [evidence, setEvidence] = useState<LocatorCheck[] | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch for every new version
  useEffect(() => {
    const ac = new AbortController();
    setEvidence(null);
    fetchEvidence(record.id, ac.signal)
      .then(setEvidence)
      .catch(() => !ac.signal.aborted && setEvidence([]));
    return () => ac.abort();
  }, [record.id, record.version]);

  const openImpact = useCallback(
    (i: number) => {
      for (let r = 0; r < index.size; r++)
        for (let c = 0; c < index.size; c++)
          if (index.sources(r, c).some((s) => s.impact === i)) {
            setSub("matrix");
            setSelected({ r, c });
            setActive({ r, c });
            requestAnimationFrame(() =>
              document.querySelector<HTMLElement>(`[data-cell="${r}-${c}"]`)?.focus({ preventScroll: false }),
            );
            return true;
          }
      return false;
    },
    [index],
  );

  const openPath = useCallback(
    (path: string) => {
      const imp = /^impacts\[(\d+)\]/.exec(path);
      if (imp && openImpact(Number(imp[1]))) return;
      const m = /^(factors|actors|stakes|issues|sources)\[(\d+)\]/.exec(path);
      setSub("factors");
      setHighlight(m ? `${m[1]}[${m[2]}]` : null);
      if (m)
        requestAnimationFrame(() =>
          document.getElementById(`item-${m[1]}-${m[2]}`)?.scrollIntoView({ block: "center" }),
        );
    },
    [openImpact],
  );

  // In a narrow window the judgment panel sits under the matrix: bring it into view when opened.
  useEffect(() => {
    if (!selected || !window.matchMedia("(max-width: 1000px)").matches) return;
    requestAnimationFrame(() => document.querySelector(".cell-panel")?.scrollIntoView({ block: "start" }));
  }, [selected]);

  // A path handed over from another view (e.g. the Scenarios explanation).
  useEffect(() => {
    if (ctx.focus?.path) openPath(ctx.focus.path);
  }, [ctx.focus, openPath]);

  const problems = record.problems ?? [];
  const counts = `${model.actors.length} actors · ${model.factors.length} factors · ${lookup.size} states · ${model.impacts.length} judgments`;

  return (
    <div className="model-view two-col">
      <div className="main-col">
        <div className="toolbar">
          {/* biome-ignore lint/a11y/useSemanticElements: a segmented control */}
          <div className="segmented" role="group" aria-label="Show">
            {(
              [
                ["matrix", "Matrix"],
                ["network", "Network"],
                ["factors", "Actors & factors"],
              ] as const
            ).map(([id, label]) => (
              <button key={id} type="button" aria-pressed={sub === id} onClick={() => setSub(id)}>
                {label}
              </button>
            ))}
          </div>
          <label className="check">
            <input type="checkbox" checked={!short} onChange={(e) => setShort(!e.target.checked)} /> Long
            names
          </label>
          <span className="muted small">{counts}</span>
        </div>
        {sub === "matrix" && (
          <>
            <div className="matrix-wrap">
              <MatrixGrid
                lookup={lookup}
                index={index}
                short={short}
                selected={selected}
                onSelect={setSelected}
                active={active}
                setActive={setActive}
              />
            </div>
            <Legend maxAbs={Math.max(Math.abs(model.scale.min), model.scale.max)} />
          </>
        )}
        {sub === "network" && (
          <NetworkGraph
            lookup={lookup}
            index={index}
            short={short}
            onEdge={(cell) => {
              setSub("matrix");
              setSelected(cell);
              setActive(cell);
            }}
            onFactor={(j) => openPath(`factors[${j}]`)}
          />
        )}
        {sub === "factors" && <FactorsList ctx={ctx} highlight={highlight} />}
      </div>
      <aside className="side-col">
        {selected ? (
          <CellPanel
            ctx={ctx}
            index={index}
            r={selected.r}
            c={selected.c}
            evidence={evidence}
            onClose={() => {
              setSelected(null);
              document.querySelector<HTMLElement>(`[data-cell="${active.r}-${active.c}"]`)?.focus();
            }}
          />
        ) : (
          <ProblemsPanel problems={problems} onOpen={openPath} />
        )}
      </aside>
    </div>
  );
}

function ProblemsPanel({ problems, onOpen }: { problems: Problem[]; onOpen: (path: string) => void }) {
  const errors = problems.filter((p) => p.severity === "error").length;
  return (
    <section className="problems" aria-label="Validation">
      <h2>Validation</h2>
      {problems.length === 0 ? (
        <p className="ok-msg">The model is valid: no errors, no warnings.</p>
      ) : (
        <>
          <p className="muted small">
            {errors} error{errors === 1 ? "" : "s"}, {problems.length - errors} warning
            {problems.length - errors === 1 ? "" : "s"}. Click one to go to the place.
          </p>
          <ul className="problem-list">
            {problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same problem may be reported twice
              <li key={`${p.path}-${p.code}-${i}`}>
                <button type="button" className={`problem ${p.severity}`} onClick={() => onOpen(p.path)}>
                  <span className="sev">{p.severity}</span> <code>{p.path || "(file)"}</code>
                  {p.line ? <span className="muted"> line {p.line}</span> : null}
                  <span className="msg">{p.message}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small hint">
        Click a cell of the matrix (or move with the arrow keys and press Enter) to read the judgment, its
        evidence, and edit it. Every save is a new version.
      </p>
    </section>
  );
}

function FactorsList({ ctx, highlight }: { ctx: ModelCtx; highlight: string | null }) {
  const { model, actorName } = ctx.lookup;
  return (
    <div className="factors-list">
      <section>
        <h2>Actors</h2>
        <ul className="actor-list">
          {model.actors.map((a, i) => (
            <li
              key={a.id}
              id={`item-actors-${i}`}
              className={highlight === `actors[${i}]` ? "hl" : undefined}
            >
              <strong>{a.name}</strong> <span className="badge">{a.kind}</span>
              {a.description && <div className="muted small">{a.description}</div>}
              <div className="small">
                owns:{" "}
                {model.factors
                  .filter((f) => f.owners.includes(a.id))
                  .map((f) => f.short)
                  .join(", ") || "—"}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2>Factors and their states</h2>
        <div className="factor-cards">
          {model.factors.map((f, j) => (
            <article
              key={f.id}
              id={`item-factors-${j}`}
              className={highlight === `factors[${j}]` ? "factor-card hl" : "factor-card"}
            >
              <h3>
                {f.name} <span className="muted small">({f.short})</span>
                {f.exogenous && <span className="badge">exogenous</span>}
              </h3>
              <div className="small muted">owned by {f.owners.map(actorName).join(", ") || "nobody"}</div>
              <ol className="states">
                {f.states.map((s) => (
                  <li key={s.id} className={f.current === s.id ? "current" : undefined}>
                    <strong>{s.short}</strong> {s.label}
                    {f.current === s.id && <span className="badge now">now</span>}
                  </li>
                ))}
              </ol>
            </article>
          ))}
        </div>
      </section>
    </div>
  );
}
