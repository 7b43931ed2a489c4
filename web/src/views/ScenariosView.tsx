// Scenarios view: the consistent scenarios as a tableau (ScenarioWizard style), with TIS and
// basin weights, an explanation of the selected one, and intervention / filter controls.
import { useEffect, useMemo, useRef, useState } from "react";
import { percent, signed } from "../../../src/format.js";
import type { ScenariosReport } from "../../../src/runs/scenarios.js";
import type { ModelCtx } from "../App";
import { stateColor } from "../charts";
import { RunPanel, useRun } from "../run";
import type { Explanation } from "../types";
import { StateLabel, stateTitle } from "./names";

type ScenarioRow = ScenariosReport["scenarios"][number];
type Explained = Explanation & { scenario: Record<string, string> };

interface Control {
  kind: "fix" | "require" | "forbid";
  factor: string;
  state: string;
}

const keyOf = (rec: Record<string, string>, factorIds: string[]) => factorIds.map((f) => rec[f]).join(",");

export function ScenariosView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const { model } = lookup;
  const factorIds = useMemo(() => model.factors.map((f) => f.id), [model]);
  const base = useRun<ScenariosReport>(record.id, record.version, "scenarios");
  const alt = useRun<ScenariosReport>(record.id, record.version, "scenarios");
  const explain = useRun<Explained>(record.id, record.version, "explain");
  const [controls, setControls] = useState<Control[]>([]);
  const [tolerance, setTolerance] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the baseline is run once per model version
  useEffect(() => {
    void base.start({ basins: true });
  }, [record.version]);

  const altOptions = useMemo(() => {
    if (controls.length === 0 && tolerance === 0) return null;
    const o: Record<string, unknown> = {};
    const join = (kind: Control["kind"]) => {
      const by = new Map<string, string[]>();
      for (const c of controls.filter((x) => x.kind === kind))
        by.set(c.factor, [...(by.get(c.factor) ?? []), c.state]);
      return [...by].map(([f, s]) => `${f}=${kind === "fix" ? s[0] : s.join("|")}`).join(",");
    };
    for (const k of ["fix", "require", "forbid"] as const) {
      const v = join(k);
      if (v) o[k] = v;
    }
    if (tolerance > 0) o.maxInconsistency = tolerance;
    o.compare = true;
    return o;
  }, [controls, tolerance]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the controls change
  useEffect(() => {
    if (altOptions) void alt.start(altOptions);
  }, [altOptions, record.version]);

  const baseResult = base.run?.status === "done" ? base.run.result : undefined;
  const altResult = altOptions && alt.run?.status === "done" ? alt.run.result : undefined;
  const shown = altOptions ? altResult : baseResult;

  // The run labels its scenarios (S1… in the order of the model as it is, N1… for new ones) and,
  // under what-if controls, lists what appears, persists and vanishes against the model as it is.
  const names = useMemo(() => {
    const m = new Map<string, ScenarioRow>();
    for (const s of [...(shown?.scenarios ?? []), ...(altResult?.changes?.vanish ?? [])])
      m.set(keyOf(s.states, factorIds), s);
    return m;
  }, [shown, altResult, factorIds]);

  const columns = useMemo(() => {
    if (!shown) return [];
    const changes = altOptions ? shown.changes : undefined;
    if (!changes) return shown.scenarios.map((s) => ({ s, status: "base" as const }));
    const appears = new Set(changes.appear);
    return [
      ...shown.scenarios.map((s) => ({
        s,
        status: appears.has(s.id) ? ("appear" as const) : ("persist" as const),
      })),
      ...changes.vanish.map((s) => ({ s, status: "vanish" as const })),
    ];
  }, [shown, altOptions]);

  // Select the first scenario by default. When new results come in (the what-if changed) and the
  // selected scenario is no longer there, select the first one that is; a vanished scenario can
  // still be selected by clicking it (the explanation then says it vanished).
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useEffect(() => {
    if (!columns.length) return;
    const sel = selectedRef.current;
    const present = columns.filter((c) => c.status !== "vanish");
    const has = (cs: { s: ScenarioRow }[]) => cs.some((c) => keyOf(c.s.states, factorIds) === sel);
    if (sel && has(present)) return;
    if (present.length) setSelected(keyOf(present[0].s.states, factorIds));
    else if (!sel || !has(columns)) setSelected(keyOf(columns[0].s.states, factorIds));
  }, [columns, factorIds]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: explain on selection
  useEffect(() => {
    if (!selected) return;
    const scen = selected
      .split(",")
      .map((s, j) => `${factorIds[j]}=${s}`)
      .join(",");
    void explain.start({ scenario: scen, maxFlips: 8 });
  }, [selected, record.version]);

  const appear = columns.filter((c) => c.status === "appear").length;
  const vanish = columns.filter((c) => c.status === "vanish").length;
  const basinsKnown = baseResult?.basins && !altOptions;
  const totalWeight = baseResult?.basins?.starts ?? 0;
  const selectedStatus = columns.find((c) => keyOf(c.s.states, factorIds) === selected)?.status;

  return (
    <div className="scenarios-view two-col wide-side">
      <div className="main-col">
        <ControlsBar
          ctx={ctx}
          controls={controls}
          setControls={setControls}
          tolerance={tolerance}
          setTolerance={setTolerance}
        />
        <RunPanel handle={base} what="the consistent scenarios" />
        {altOptions && <RunPanel handle={alt} what="the scenarios under your changes" />}
        {shown && (
          <p className="summary" aria-live="polite">
            <strong className="count" data-testid="scenario-count">
              {shown.count}
            </strong>{" "}
            {tolerance > 0
              ? `scenario${shown.count === "1" ? "" : "s"} with inconsistency ≤ ${tolerance}`
              : `consistent scenario${shown.count === "1" ? "" : "s"}`}{" "}
            out of {Number(shown.space).toLocaleString("en")} combinations
            {altOptions && shown.changes && (
              <>
                {" "}
                · <span className="appear-text">{appear} appear</span> ·{" "}
                <span className="vanish-text">{vanish} vanish</span> compared with the model as it is
              </>
            )}
          </p>
        )}
        {shown && shown.scenarios.length === 0 && columns.length === 0 && (
          <p className="note">
            No scenario is consistent under these conditions. Remove a condition or allow some inconsistency.
          </p>
        )}
        {columns.length > 0 && (
          <div className="tableau-wrap">
            <table className="tableau" aria-label="Scenario tableau: scenarios as columns, factors as rows">
              <thead>
                <tr>
                  <th scope="col">Factor</th>
                  {columns.map(({ s, status }) => {
                    const k = keyOf(s.states, factorIds);
                    return (
                      <th key={`${status}-${k}`} scope="col" className={`scol ${status}`}>
                        <button
                          type="button"
                          className={selected === k ? "scen-btn selected" : "scen-btn"}
                          aria-pressed={selected === k}
                          onClick={() => {
                            setSelected(k);
                            // in a narrow window the explanation sits under the tableau
                            if (window.matchMedia("(max-width: 1000px)").matches)
                              requestAnimationFrame(() =>
                                document.querySelector(".explanation")?.scrollIntoView({ block: "start" }),
                              );
                          }}
                          aria-label={`Scenario ${s.id}${s.name ? `, ${s.name}` : ""}${status === "appear" ? " (appears)" : status === "vanish" ? " (vanishes)" : ""}: explain`}
                          title={s.name}
                        >
                          {s.id}
                        </button>
                        {s.name && <span className="scen-name">{s.name}</span>}
                        {status === "appear" && <span className="badge appear">appears</span>}
                        {status === "vanish" && <span className="badge vanish">vanishes</span>}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {model.factors.map((f, j) => (
                  <tr key={f.id}>
                    <th scope="row" title={`${f.name} (${f.short})`}>
                      {f.name}
                    </th>
                    {columns.map(({ s, status }) => {
                      const k = f.states.findIndex((x) => x.id === s.states[f.id]);
                      const st = f.states[k];
                      const fixed = controls.some((c) => c.kind === "fix" && c.factor === f.id);
                      const now = f.current === st?.id;
                      return (
                        <td
                          key={`${status}-${keyOf(s.states, factorIds)}`}
                          className={`state-cell ${status}${fixed ? " fixed" : ""}`}
                          title={
                            k < 0
                              ? undefined
                              : `${stateTitle(lookup.stateName(j, k))}${now ? ", the current state" : ""}`
                          }
                        >
                          <span className="dot" style={{ background: stateColor(k, f.states.length) }} />
                          {st?.short}
                          {now && (
                            <span className="now-mark" title="the current state">
                              <span aria-hidden="true">●</span>
                              <span className="sr-only"> (the current state)</span>
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th
                    scope="row"
                    title="Total impact score: how strongly the factors support each other in the scenario"
                  >
                    TIS (support)
                  </th>
                  {columns.map(({ s, status }) => (
                    <td key={`${status}-${keyOf(s.states, factorIds)}`} className="num">
                      {s.tis}
                    </td>
                  ))}
                </tr>
                <tr>
                  <th
                    scope="row"
                    title="Consistency value: the smallest margin of any factor over its next-best state"
                  >
                    Margin (CV)
                  </th>
                  {columns.map(({ s, status }) => (
                    <td key={`${status}-${keyOf(s.states, factorIds)}`} className="num">
                      {signed(s.consistencyValue)}
                    </td>
                  ))}
                </tr>
                {basinsKnown && (
                  <tr>
                    <th
                      scope="row"
                      title="Share of all starting situations from which step-by-step adjustment ends in this scenario"
                    >
                      Basin weight
                    </th>
                    {columns.map(({ s, status }) => (
                      <td key={`${status}-${keyOf(s.states, factorIds)}`} className="num">
                        {s.basinWeight !== undefined && totalWeight > 0
                          ? percent(s.basinWeight / totalWeight, 1)
                          : "—"}
                      </td>
                    ))}
                  </tr>
                )}
              </tfoot>
            </table>
          </div>
        )}
        {basinsKnown && baseResult?.basins && baseResult.basins.cycleStarts > 0 && (
          <p className="muted small">
            {percent(baseResult.basins.cycleStarts / baseResult.basins.starts, 1)} of starts end in a cycle
            rather than a scenario.
          </p>
        )}
        {shown && (
          <p className="muted small">
            ● marks the current state. TIS: how strongly the factors support one another; margin: how far the
            weakest factor is ahead of its next-best state; basin weight: share of all starting points that
            settle in the scenario.
          </p>
        )}
      </div>
      <aside className="side-col">
        <ExplanationPanel
          ctx={ctx}
          handle={explain}
          name={selected ? names.get(selected)?.id : undefined}
          whatIf={altOptions ? (selectedStatus === "vanish" ? "vanished" : "applied") : null}
        />
      </aside>
    </div>
  );
}

function ControlsBar({
  ctx,
  controls,
  setControls,
  tolerance,
  setTolerance,
}: {
  ctx: ModelCtx;
  controls: Control[];
  setControls: (c: Control[]) => void;
  tolerance: number;
  setTolerance: (n: number) => void;
}) {
  const { model } = ctx.lookup;
  const [kind, setKind] = useState<Control["kind"]>("fix");
  const [factor, setFactor] = useState(model.factors[0].id);
  const f = model.factors.find((x) => x.id === factor) ?? model.factors[0];
  const [state, setState] = useState(f.states[0].id);
  useEffect(() => setState(f.states[0].id), [f]);
  const verb = { fix: "hold", require: "require", forbid: "exclude" } as const;
  const add = () => {
    const rest = controls.filter((c) => !(c.factor === factor && (c.kind === "fix" || kind === "fix")));
    setControls([
      ...rest.filter((c) => !(c.kind === kind && c.factor === factor && c.state === state)),
      { kind, factor, state },
    ]);
  };
  const label = (c: Control) =>
    `${verb[c.kind]} ${ctx.lookup.refName(`${c.factor}=${c.state}`)?.qualified ?? `${c.factor}=${c.state}`}`;
  return (
    <fieldset className="controls">
      <legend>What if…</legend>
      <div className="control-row">
        <select
          aria-label="Kind of change"
          value={kind}
          onChange={(e) => setKind(e.target.value as Control["kind"])}
        >
          <option value="fix">Hold (intervention)</option>
          <option value="require">Require (filter)</option>
          <option value="forbid">Exclude (filter)</option>
        </select>
        <select aria-label="Factor" value={factor} onChange={(e) => setFactor(e.target.value)}>
          {model.factors.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <span>=</span>
        <select aria-label="State" value={state} onChange={(e) => setState(e.target.value)}>
          {f.states.map((s) => (
            <option key={s.id} value={s.id}>
              {s.short} — {s.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={add}>
          Apply
        </button>
        <label className="tolerance">
          allow inconsistency ≤
          <select
            value={tolerance}
            onChange={(e) => setTolerance(Number(e.target.value))}
            aria-label="Most inconsistency allowed"
          >
            {[0, 1, 2, 3].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">
        Hold: an outside intervention sets the factor, which then keeps acting on the others. Require /
        exclude: keep only scenarios with (without) that state.
      </p>
      {controls.length > 0 && (
        <div className="chips">
          {controls.map((c) => (
            <span
              key={`${c.kind}-${c.factor}-${c.state}`}
              className={`chip ${c.kind}`}
              title={(() => {
                const n = ctx.lookup.refName(`${c.factor}=${c.state}`);
                return n ? stateTitle(n) : undefined;
              })()}
            >
              {label(c)}
              <button
                type="button"
                aria-label={`Remove: ${label(c)}`}
                onClick={() => setControls(controls.filter((x) => x !== c))}
              >
                ✕
              </button>
            </span>
          ))}
          <button type="button" className="link" onClick={() => setControls([])}>
            Reset
          </button>
        </div>
      )}
    </fieldset>
  );
}

function ExplanationPanel({
  ctx,
  handle,
  name,
  whatIf,
}: {
  ctx: ModelCtx;
  handle: ReturnType<typeof useRun<Explained>>;
  name?: string;
  /** Under a what-if: whether the selected scenario vanished under it. */
  whatIf: "applied" | "vanished" | null;
}) {
  const { lookup } = ctx;
  const { model } = lookup;
  const e = handle.run?.status === "done" ? handle.run.result : undefined;
  const sName = (j: number, k: number) => lookup.stateName(j, k).qualified;
  const sTitle = (j: number, k: number) => stateTitle(lookup.stateName(j, k));
  const open = (impacts: number[]) => impacts.length && ctx.go("model", { path: `impacts[${impacts[0]}]` });
  return (
    <section className="explanation" aria-label="Why this scenario">
      <h2>Why {name ?? "this scenario"}?</h2>
      {whatIf === "vanished" && (
        <p className="note small vanished-note" role="status">
          {name ?? "This scenario"} vanished under the what-if: it is no longer consistent with your changes.
          Below: why it is consistent in the model as it is.
        </p>
      )}
      {whatIf === "applied" && (
        <p className="muted small">Explained in the model as it is, without the what-if.</p>
      )}
      <RunPanel handle={handle} what="the explanation" />
      {e && (
        <>
          <p className="muted small">
            {e.consistent ? "Consistent" : `Inconsistent (by ${e.inconsistency})`}: each factor's chosen state
            gets at least as much push from the others as any rival state. Numbers: push for the chosen state
            minus push for the best rival. Click a push to open the judgment.
          </p>
          <ol className="why-list">
            {e.factors.map((fx) => {
              const f = model.factors[fx.factor];
              const brink = e.brink.includes(fx.factor);
              return (
                <li key={f.id} className={brink ? "brink" : undefined}>
                  <div className="why-head">
                    <strong title={f.name}>{f.short}</strong> is{" "}
                    <em>
                      <StateLabel name={lookup.stateName(fx.factor, fx.state)} />
                    </em>
                    <span className={`margin ${fx.margin !== null && fx.margin <= 0 ? "zero" : ""}`}>
                      {fx.margin === null ? "" : signed(fx.margin)}
                    </span>
                    {fx.bestRival !== null && (
                      <span className="muted small">
                        {" "}
                        over <StateLabel name={lookup.stateName(fx.factor, fx.bestRival)} />
                      </span>
                    )}
                    {brink && <span className="badge warn">on the brink</span>}
                  </div>
                  <div className="pushes">
                    {fx.for.slice(0, 3).map((c) => (
                      <button
                        key={`f${c.sourceFactor}`}
                        type="button"
                        className="push for"
                        onClick={() => open(c.impacts)}
                        title={`${sTitle(c.sourceFactor, c.sourceState)}: ${signed(c.net)}`}
                      >
                        {sName(c.sourceFactor, c.sourceState)} {signed(c.net)}
                      </button>
                    ))}
                    {fx.against.slice(0, 2).map((c) => (
                      <button
                        key={`a${c.sourceFactor}`}
                        type="button"
                        className="push against"
                        onClick={() => open(c.impacts)}
                        title={`${sTitle(c.sourceFactor, c.sourceState)}: ${signed(c.net)}`}
                      >
                        {sName(c.sourceFactor, c.sourceState)} {signed(c.net)}
                      </button>
                    ))}
                    {fx.for.length === 0 && fx.against.length === 0 && (
                      <span className="muted small">no push from other factors (a tie)</span>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
          {e.flips.length > 0 && (
            <>
              <h3>What would tip it</h3>
              <ul className="flips">
                {e.flips.slice(0, 5).map((fl) => (
                  <li key={`${fl.source}-${fl.target}-${fl.to}`}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => open(fl.impacts)}
                      title={`${sTitle(fl.sourceFactor, fl.sourceState)} → ${sTitle(fl.targetFactor, fl.targetState)}`}
                    >
                      {sName(fl.sourceFactor, fl.sourceState)} → {sName(fl.targetFactor, fl.targetState)}
                    </button>{" "}
                    from {signed(fl.from)} to {signed(fl.to)}{" "}
                    {fl.effect === "makes-inconsistent" ? "breaks this scenario" : "makes it consistent"}
                  </li>
                ))}
              </ul>
            </>
          )}
          {e.flipNote && <p className="muted small">{e.flipNote}</p>}
        </>
      )}
    </section>
  );
}
