// The kernel of the text being edited, as the worker answers: the consistent scenarios with
// their ids and names, what the last edit made appear and vanish (and which states changed),
// the time it took, and the model's problems in the words of `muscat check`.
import type { Model, Problem } from "../../../../src/model/types.js";
import type { KernelState } from "../../engine/useKernel";

export function LivePanel({
  kernel,
  model,
  problems,
  onName,
}: {
  kernel: KernelState;
  model: Model;
  problems: Problem[];
  /** Names a scenario (all its states) in the model. */
  onName?: (states: Record<string, string>, name: string) => void;
}) {
  const r = kernel.result;
  const errors = problems.filter((p) => p.severity === "error");
  const factorName = (id: string) => model.factors.find((f) => f.id === id)?.short ?? id;
  const stateLabel = (f: string, s: string) => {
    const fac = model.factors.find((x) => x.id === f);
    const st = fac?.states.find((x) => x.id === s);
    return st ? st.short : s;
  };
  return (
    <aside className="live-panel" aria-labelledby="live-h" aria-busy={kernel.pending}>
      <h3 id="live-h">
        Consistent scenarios{" "}
        {kernel.latencyMs !== null && (
          <span className="muted small" data-testid="kernel-latency">
            {kernel.latencyMs} ms
          </span>
        )}
      </h3>
      {errors.length > 0 && (
        <div className="problems" role="alert">
          <p>
            {errors.length} problem{errors.length === 1 ? "" : "s"} (as <code>muscat check</code> says them):
          </p>
          <ul>
            {errors.slice(0, 6).map((p) => (
              <li key={`${p.path}-${p.message}`}>
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {kernel.error && <p className="error-text">{kernel.error}</p>}
      {r && r.hash !== null && (
        <>
          <p className="summary">
            <strong className="count" data-testid="live-count">
              {r.count}
            </strong>{" "}
            consistent{r.complete ? "" : " (search stopped: the model is too large to redraw as you type)"}
            {(r.appear.length > 0 || r.vanish.length > 0) && (
              <>
                {" "}
                · <span className="appear-text">{r.appear.length} appeared</span> ·{" "}
                <span className="vanish-text">{r.vanish.length} vanished</span>
              </>
            )}
          </p>
          <ul className="live-list">
            {r.scenarios.map((s) => {
              const isNew = r.appear.includes(s.id);
              const ch = r.changedFrom.find((c) => c.id === s.id);
              return (
                <li key={s.id} className={isNew ? "appear" : ""} data-scenario={s.id}>
                  <strong>{s.id}</strong>{" "}
                  {s.name && <span className={s.named ? "given-name" : undefined}>{s.name}</span>}
                  {isNew && <span className="badge appear">new</span>}
                  {onName && (
                    <button
                      type="button"
                      className="link name-btn"
                      aria-label={`Name scenario ${s.id}`}
                      onClick={() => {
                        const name = window.prompt(
                          `A name for ${s.id} (kept in the model)`,
                          s.named ? s.name : "",
                        );
                        if (name?.trim()) onName(s.states, name.trim());
                      }}
                    >
                      name…
                    </button>
                  )}
                  {ch && ch.factors.length > 0 && (
                    <div className="muted small">
                      from {ch.from}:{" "}
                      {ch.factors.map((f) => `${factorName(f)} → ${stateLabel(f, s.states[f])}`).join(", ")}
                    </div>
                  )}
                </li>
              );
            })}
            {r.vanish.map((s) => (
              <li key={`gone-${s.id}`} className="vanish" data-scenario={s.id}>
                <strong>{s.id}</strong> {s.name && <span>{s.name}</span>}{" "}
                <span className="badge vanish">vanished</span>
              </li>
            ))}
          </ul>
          {r.scenarios.length === 0 && (
            <p className="note">
              No scenario is consistent: every combination has a factor pushed elsewhere.
            </p>
          )}
        </>
      )}
    </aside>
  );
}
