// Muscat's browser UI: one model at a time, views over the model, the engines' results and its sources.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { api, enc, plainError } from "./api";
import { type Lookup, makeLookup } from "./lookup";
import type { MatrixRecord, ModelRecord, ModelSummary } from "./types";

// Each view is its own chunk, loaded when it is first shown: the first view loads only what it
// draws (the charting and graph libraries come with the views that use them).
const BeliefsView = lazy(() => import("./views/BeliefsView").then((m) => ({ default: m.BeliefsView })));
const BuildView = lazy(() => import("./views/build/BuildView").then((m) => ({ default: m.BuildView })));
const ForecastsView = lazy(() => import("./views/ForecastsView").then((m) => ({ default: m.ForecastsView })));
const ModelView = lazy(() => import("./views/ModelView").then((m) => ({ default: m.ModelView })));
const ProbabilitiesView = lazy(() =>
  import("./views/ProbabilitiesView").then((m) => ({ default: m.ProbabilitiesView })),
);
const ReviewView = lazy(() => import("./views/ReviewView").then((m) => ({ default: m.ReviewView })));
const ScenariosView = lazy(() => import("./views/ScenariosView").then((m) => ({ default: m.ScenariosView })));
const SourcesView = lazy(() => import("./views/SourcesView").then((m) => ({ default: m.SourcesView })));
const StakesView = lazy(() => import("./views/StakesView").then((m) => ({ default: m.StakesView })));

export const VIEWS = [
  {
    id: "model",
    title: "Model",
    explain:
      "Who acts, the factors and their states, and the cross-impact judgments: how a state of one factor pushes each state of another (+ promotes, − hinders). Click a cell to see why and edit it.",
  },
  {
    id: "build",
    title: "Build",
    explain:
      "Make or reshape the model: its factors, states and actors, and the judgments typed into the matrix as in a spreadsheet. The consistent scenarios are redrawn as you type; save to keep a version.",
  },
  {
    id: "scenarios",
    title: "Scenarios",
    explain:
      "The consistent scenarios: combinations in which every factor is in the state the others push it to. Select one to see why; fix or exclude states to see which scenarios appear and vanish.",
  },
  {
    id: "probabilities",
    title: "Probabilities",
    explain:
      "How likely each scenario is and when: futures simulated in calendar time from the current situation (each factor moves at its own pace), state probabilities over time, the paths to a condition, and its outlook: the numbers to quote.",
  },
  {
    id: "beliefs",
    title: "Beliefs",
    explain:
      "Every factor's distribution over its states at a chosen date, from simulated runs. Click a state to clamp it: every other bar updates at once (conditioning on the runs where it holds, not an intervention).",
  },
  {
    id: "forecasts",
    title: "Forecasts",
    explain:
      "Concrete questions answered from the model's probabilities, the drivers behind each, and indicators to watch; scored once the outcomes are recorded.",
  },
  {
    id: "stakes",
    title: "Stakes & bargaining",
    explain:
      "Who gains and who loses in each consistent scenario and in expectation; where the bargaining on each issue is forecast to land, round by round.",
  },
  {
    id: "sources",
    title: "Sources",
    explain:
      "The documents the judgments rest on: the text with each cited passage highlighted and page furniture (menus, appeals, links) greyed out.",
  },
  {
    id: "review",
    title: "Review",
    explain:
      "Ingest an article (.txt, .html or .pdf) and review what it says about the model: each draft judgment with its sentence in the text, how it stands to the model's own judgment (new, supports, contradicts), and your decision; the decisions are written as one new version.",
  },
] as const;

export type ViewId = (typeof VIEWS)[number]["id"];

export interface Focus {
  /** A path inside the model to show, e.g. `impacts[12].to`. */
  path?: string;
  /** A document and line range to show in Sources. */
  document?: { source: string; from: number; to: number };
  /** A corpus document to review the drafts of (its id). */
  ingest?: string;
}

export interface ModelCtx {
  record: ModelRecord;
  matrix: MatrixRecord | null;
  lookup: Lookup;
  /** Reload the latest version (after an edit, or a conflict). */
  reload: () => Promise<void>;
  /** Open another model (a new one, a copy, an import), refreshing the list of models. */
  open: (id: string) => Promise<void>;
  go: (view: ViewId, focus?: Focus) => void;
  focus: Focus | null;
}

const SEED_ID = "oman-2025";

function viewFromHash(): ViewId {
  const h = window.location.hash.replace(/^#\/?/, "").split("?")[0];
  return (VIEWS.find((v) => v.id === h)?.id ?? "model") as ViewId;
}

export function App() {
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [modelId, setModelId] = useState<string | null>(null);
  const [record, setRecord] = useState<ModelRecord | null>(null);
  const [matrix, setMatrix] = useState<MatrixRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<ViewId>(viewFromHash);
  const [focus, setFocus] = useState<Focus | null>(null);

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    api
      .get<ModelSummary[]>("/api/models")
      .then((list) => {
        setModels(list);
        const wanted = new URLSearchParams(window.location.search).get("model");
        const pick = list.find((m) => m.id === wanted) ?? list.find((m) => m.id === SEED_ID) ?? list[0];
        if (pick) setModelId(pick.id);
        else setError("The store holds no model yet. Start the server once with the seed model (npm start).");
      })
      .catch((e) => setError(plainError(e)));
  }, []);

  const load = useCallback(async (id: string) => {
    try {
      const [r, m] = await Promise.all([
        api.get<ModelRecord>(`/api/models/${enc(id)}`),
        api.get<MatrixRecord>(`/api/models/${enc(id)}/matrix`).catch(() => null),
      ]);
      setRecord(r);
      setMatrix(m);
      setError(null);
      setModels(
        (list) =>
          list?.map((x) =>
            x.id === r.id ? { ...x, version: r.version, hash: r.hash, updatedAt: r.updatedAt } : x,
          ) ?? list,
      );
    } catch (e) {
      setError(plainError(e));
    }
  }, []);

  useEffect(() => {
    if (modelId) void load(modelId);
  }, [modelId, load]);

  const lookup = useMemo(() => (record ? makeLookup(record.model) : null), [record]);

  const go = useCallback((v: ViewId, f?: Focus) => {
    setFocus(f ?? null);
    if (window.location.hash !== `#${v}`) window.location.hash = v;
    setView(v);
  }, []);

  const open = useCallback(async (id: string) => {
    setModels(await api.get<ModelSummary[]>("/api/models"));
    setModelId(id);
  }, []);

  const ctx: ModelCtx | null =
    record && lookup ? { record, matrix, lookup, reload: () => load(record.id), open, go, focus } : null;
  const current = VIEWS.find((v) => v.id === view)!;

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand" title="Muscat: scenario analysis of negotiations">
          Muscat
        </div>
        <div className="model-title">
          {record ? (
            <>
              <h1>{record.model.title}</h1>
              <div className="model-meta">
                <span title="Model id">{record.id}</span>
                <span title="Every save is a new version">version {record.version}</span>
                <span title="Content hash of the model: every result names it">
                  hash <code>{record.hash.slice(0, 12)}</code>
                </span>
                <span title="The date the model describes">as of {record.model.asOf}</span>
              </div>
            </>
          ) : (
            <h1>{error ? "Muscat" : "Loading the model…"}</h1>
          )}
        </div>
        {models && models.length > 1 && (
          <label className="model-picker">
            <span>Model</span>
            <select value={modelId ?? ""} onChange={(e) => setModelId(e.target.value)}>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <a className="docs-link" href="/api/docs" target="_blank" rel="noreferrer">
          API
        </a>
      </header>
      <nav className="tabs" aria-label="Views">
        <div role="tablist" aria-label="Views" className="tablist">
          {VIEWS.map((v, i) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              id={`tab-${v.id}`}
              aria-selected={v.id === view}
              aria-controls="view"
              tabIndex={v.id === view ? 0 : -1}
              className={v.id === view ? "tab active" : "tab"}
              onClick={() => go(v.id)}
              onKeyDown={(e) => {
                const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
                if (!d) return;
                e.preventDefault();
                const next = VIEWS[(i + d + VIEWS.length) % VIEWS.length];
                go(next.id);
                document.getElementById(`tab-${next.id}`)?.focus();
              }}
            >
              {v.title}
            </button>
          ))}
        </div>
      </nav>
      <main id="view" role="tabpanel" aria-labelledby={`tab-${view}`} className="view">
        <p className="explain">{current.explain}</p>
        {error && (
          <div className="run-panel error" role="alert">
            {error}
          </div>
        )}
        {ctx && (
          <div key={`${ctx.record.id}`} className="view-body">
            <Suspense fallback={<p className="muted">Loading the view…</p>}>
              {view === "model" && <ModelView ctx={ctx} />}
              {view === "build" && <BuildView ctx={ctx} />}
              {view === "scenarios" && <ScenariosView ctx={ctx} />}
              {view === "probabilities" && <ProbabilitiesView ctx={ctx} />}
              {view === "beliefs" && <BeliefsView ctx={ctx} />}
              {view === "forecasts" && <ForecastsView ctx={ctx} />}
              {view === "stakes" && <StakesView ctx={ctx} />}
              {view === "sources" && <SourcesView ctx={ctx} />}
              {view === "review" && <ReviewView ctx={ctx} />}
            </Suspense>
          </div>
        )}
      </main>
    </div>
  );
}
