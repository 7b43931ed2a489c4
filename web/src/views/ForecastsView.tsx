// Forecasts: the model's questions with probabilities, drivers and indicators; a finished
// forecast saved as a vintage as of a date (the model's asOf by default, or a later one; kept in
// the store, scored later exactly as issued, counting outcomes dated before that date as
// known); the
// resolutions of the questions (recorded here, kept outside the model); and, once both exist,
// the vintage's scores, calibration table and reliability chart (all computed by the server).
// With two vintages or more, each question shows its forecast history (p and its judgment
// interval by as-of date) and the scores panel the mean Brier across vintages
// (GET /api/models/{id}/history, src/forecast/history.ts).
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ForecastHistoryRecord } from "../../../src/contract/api.js";
import { fixed, percent, percentRange, signed } from "../../../src/format.js";
import { addSteps } from "../../../src/model/step.js";
import type { ModelCtx } from "../App";
import { api, enc, plainError } from "../api";
import { type ChartOption, EChart } from "../charts";
import { RunPanel, useRun } from "../run";
import type {
  ForecastResult,
  QuestionForecast,
  ResolutionRecord,
  VintageScore,
  VintageSummary,
} from "../types";
import { RefLabel, StateLabel } from "./names";

const pct = (p: number | null | undefined, d = 0) => percent(p, d);
/** A change of a probability in percentage points: +14.9 pts. */
const pts = (x: number) => `${signed(100 * x, 1)} pts`;
/** "judgment-and-tempo-90" → "90% ranges from judgment and tempo uncertainty". */
const intervalWords = (s: string) => {
  const m = /^(judgment|judgment-and-tempo)-(\d+)$/.exec(s);
  return m
    ? `${m[2]}% ranges from ${m[1] === "judgment" ? "judgment" : "judgment and tempo"} uncertainty`
    : s === "none"
      ? "no judgment ranges"
      : s;
};

type Scored = VintageScore & { reliabilitySvg: string | null };
type QuestionHistory = ForecastHistoryRecord["questions"][number];

/** The day after a date YYYY-MM-DD. */
const dayAfter = (date: string) => addSteps(date, { years: 0, months: 0, weeks: 0, days: 1 }, 1);

export function ForecastsView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const questions = lookup.model.questions ?? [];
  const fc = useRun<ForecastResult>(record.id, record.version, "forecast");
  const [vintages, setVintages] = useState<VintageSummary[]>([]);
  const [vid, setVid] = useState<string>("");
  const [resolutions, setResolutions] = useState<ResolutionRecord[]>([]);
  const [score, setScore] = useState<Scored | null>(null);
  const [history, setHistory] = useState<ForecastHistoryRecord | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const modelAsOf = lookup.model.asOf;
  const [asOf, setAsOf] = useState<string>(modelAsOf);
  const base = `/api/models/${enc(record.id)}`;

  const loadVintages = useCallback(async () => {
    const list = await api.get<VintageSummary[]>(`${base}/vintages`);
    setVintages(list);
    return list;
  }, [base]);
  useEffect(() => {
    Promise.all([loadVintages(), api.get<{ resolutions: ResolutionRecord[] }>(`${base}/resolutions`)])
      .then(([list, res]) => {
        setVid((v) => v || (list.at(-1)?.id ?? ""));
        setResolutions(res.resolutions);
      })
      .catch((e) => setMsg({ ok: false, text: plainError(e) }));
  }, [base, loadVintages]);
  useEffect(() => {
    setScore(null);
    if (!vid || resolutions.length === 0) return;
    api
      .get<Scored>(`/api/vintages/${enc(vid)}/score`)
      .then(setScore)
      .catch((e) => setMsg({ ok: false, text: plainError(e) }));
  }, [vid, resolutions]);

  // The forecast history across the vintages, again whenever a vintage or a resolution is saved.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetched again when the resolutions change
  useEffect(() => {
    if (vintages.length === 0) {
      setHistory(null);
      return;
    }
    api
      .get<ForecastHistoryRecord>(`${base}/history`)
      .then(setHistory)
      .catch((e) => setMsg({ ok: false, text: plainError(e) }));
  }, [base, vintages, resolutions]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per version
  useEffect(() => {
    // The probabilities first (seconds); drivers and indicators on request (a minute or more:
    // hundreds of simulations).
    if (questions.length) void fc.start({ drivers: false });
  }, [record.version]);
  const r = fc.run?.status === "done" || fc.run?.status === "cancelled" ? fc.run.result : undefined;
  const doneRun = fc.run?.status === "done" && fc.run.result ? fc.run : null;
  // The earliest date the finished forecast can be issued as of: the model's date, or the day
  // after the last observation it is conditioned on (what it uses must be known before then).
  const lastObserved = (doneRun?.result?.observations?.used ?? []).reduce<string | null>(
    (a, o) => (a === null || o.date > a ? o.date : a),
    null,
  );
  const earliestAsOf = lastObserved && lastObserved >= modelAsOf ? dayAfter(lastObserved) : modelAsOf;
  // The as-of date starts at the earliest one, again whenever that changes.
  useEffect(() => setAsOf(earliestAsOf), [earliestAsOf]);
  const savedFromRun = doneRun ? vintages.find((v) => v.runId === doneRun.runId) : undefined;

  const saveVintage = async () => {
    if (!doneRun) return;
    setMsg(null);
    if (asOf && asOf < modelAsOf) {
      setMsg({
        ok: false,
        text: `The as-of date ${asOf} is before the model's date (${modelAsOf}): the model holds knowledge as of its own date, so it cannot issue a forecast as of an earlier one. Nothing was saved.`,
      });
      return;
    }
    if (asOf && asOf < earliestAsOf) {
      setMsg({
        ok: false,
        text: `These forecasts are conditioned on observations up to ${lastObserved}, not yet known as of ${asOf}: issue them as of ${earliestAsOf} or later. Nothing was saved.`,
      });
      return;
    }
    try {
      const v = await api.post<VintageSummary>(`${base}/vintages`, {
        runId: doneRun.runId,
        ...(asOf ? { asOf } : {}),
      });
      await loadVintages();
      setVid(v.id);
      setMsg({ ok: true, text: `Saved vintage ${v.id}, as of ${v.asOf}.` });
    } catch (e) {
      setMsg({ ok: false, text: plainError(e) });
    }
  };

  if (!questions.length)
    return (
      <p className="note">
        This model asks no forecast questions yet. Add a <code>questions:</code> section to the model file
        (see docs/model-format.md) to get probabilities here.
      </p>
    );

  return (
    <div className="forecast-view">
      <div className="toolbar">
        <button
          type="button"
          onClick={() => void fc.start({ drivers: false }, { force: true })}
          disabled={fc.busy}
        >
          Recompute forecasts
        </button>
        <button
          type="button"
          onClick={() => void fc.start({})}
          disabled={fc.busy}
          title="One-at-a-time changes of every judgment and current state, and the states to watch: hundreds of simulations, a minute or more"
        >
          Find drivers and indicators
        </button>
        {doneRun && (
          <>
            <label
              className="small"
              title="The date the vintage speaks for: outcomes dated before it count as known and are not scored. The model's date by default (a hindcast once that date is past), or the day after the last observation the forecasts use; never earlier."
            >
              as of{" "}
              <input
                type="date"
                aria-label="Issue the vintage as of"
                value={asOf}
                min={earliestAsOf}
                disabled={!!savedFromRun}
                onChange={(e) => setAsOf(e.target.value)}
              />
            </label>
            <button
              type="button"
              onClick={() => void saveVintage()}
              disabled={!!savedFromRun}
              title="Keep these forecasts exactly as issued, as of the date beside, to score them when the questions resolve"
            >
              {savedFromRun ? `Saved as vintage (as of ${savedFromRun.asOf})` : "Save as vintage"}
            </button>
          </>
        )}
        {r && (
          <span className="muted small">
            {r.runs.toLocaleString("en")} runs per question, seed {r.seed}
            {r.uncertainty
              ? r.interval.startsWith("judgment-and-tempo")
                ? ", judgments, rates and β drawn from their priors"
                : ", judgments drawn around their values"
              : ""}
            ; {intervalWords(r.interval)}
          </span>
        )}
      </div>
      <RunPanel handle={fc} what="the forecasts" />
      {msg && (
        <p className={msg.ok ? "ok-msg small" : "error-msg small"} role={msg.ok ? "status" : "alert"}>
          {msg.text}
        </p>
      )}
      <section className="card vintages" aria-labelledby="vintages-h">
        <h2 id="vintages-h">Vintages</h2>
        {vintages.length === 0 ? (
          <p className="muted small">
            No vintage yet. Save a finished forecast as a vintage to score it later, exactly as it was issued,
            once its questions resolve.
          </p>
        ) : (
          <label className="form-row small">
            Vintage to score
            <select value={vid} onChange={(e) => setVid(e.target.value)} aria-label="Vintage to score">
              {vintages.map((v) => (
                <option
                  key={v.id}
                  value={v.id}
                  title={`made ${v.made.slice(0, 16).replace("T", " ")} UTC${v.asOfFrom === "model" ? "; made before vintages carried an as-of date: its model's date stands for it" : ""}`}
                >
                  {v.id} · as of {v.asOf}
                  {v.asOfFrom === "model" ? " (model's date)" : ""} ·{" "}
                  {v.modelVersion === null ? "from a model file" : `version ${v.modelVersion}`} ·{" "}
                  {v.runs.toLocaleString("en")} runs, seed {v.seed}
                </option>
              ))}
            </select>
          </label>
        )}
      </section>
      <ResolutionsEditor
        modelId={record.id}
        questions={questions.map((q) => ({ id: q.id, text: q.text }))}
        saved={resolutions}
        onSaved={(list) => {
          setResolutions(list);
          setMsg({ ok: true, text: `Saved ${list.length} resolution${list.length === 1 ? "" : "s"}.` });
        }}
        onError={(text) => setMsg({ ok: false, text })}
      />
      {score ? (
        <Scores
          s={score}
          history={history}
          questionText={(id) => questions.find((q) => q.id === id)?.text ?? id}
        />
      ) : (
        <p className="muted small">
          {resolutions.length === 0
            ? "No resolutions are recorded for these questions yet: scores and a reliability chart appear once outcomes are known and recorded above."
            : vid
              ? ""
              : "Save a forecast as a vintage to score it against the recorded resolutions."}
        </p>
      )}
      {r?.start?.inferred && r.start.inferred.length > 0 && (
        <p className="muted small">
          The model gives no current state for{" "}
          {r.start.inferred.map((id) => lookup.model.factors.find((f) => f.id === id)?.name ?? id).join(", ")}
          : the runs start them in the state the rest of the current situation favours most.
        </p>
      )}
      <div className="questions">
        {(r?.questions ?? []).map((q) => (
          <QuestionCard
            key={q.id}
            q={q}
            ctx={ctx}
            outcome={resolutions.find((x) => x.question === q.id)?.outcome}
            history={history?.questions.find((x) => x.id === q.id)}
          />
        ))}
        {!r &&
          questions.map((q) => (
            <article key={q.id} className="card question">
              <h3>{q.text}</h3>
              <p className="muted small">
                {q.mode === "by" ? "by" : "at"} {String(q.horizon)}
              </p>
            </article>
          ))}
      </div>
    </div>
  );
}

function QuestionCard({
  q,
  ctx,
  outcome,
  history,
}: {
  q: QuestionForecast;
  ctx: ModelCtx;
  outcome?: "yes" | "no";
  history?: QuestionHistory;
}) {
  const { lookup } = ctx;
  return (
    <article className="card question">
      <div className="q-head">
        <div className="q-prob">{pct(q.p)}</div>
        <div>
          <h3>{q.text}</h3>
          <p className="muted small">
            {q.mode === "by" ? "at any time up to the end of" : "at the end of"} {q.horizon.date} · range{" "}
            {percentRange(q.interval.lo, q.interval.hi)} over the model's uncertain inputs
            {q.given.length > 0 && (
              <>
                {" "}
                · given{" "}
                {q.given.map((g, i) => (
                  <span key={g}>
                    {i > 0 && ", "}
                    <RefLabel lookup={lookup} id={g} />
                  </span>
                ))}
              </>
            )}
            {outcome !== undefined && (
              <span className={`badge ${outcome === "yes" ? "appear" : "vanish"}`}>resolved {outcome}</span>
            )}
          </p>
          <div className="q-bar">
            <span className="bar-track">
              <span className="bar-fill" style={{ width: `${100 * q.p}%` }} />
              <span
                className="whisker"
                style={{
                  left: `${100 * q.interval.lo}%`,
                  width: `${100 * (q.interval.hi - q.interval.lo)}%`,
                }}
              />
            </span>
          </div>
        </div>
      </div>
      {history && history.points.length >= 2 && <QuestionHistoryChart h={history} />}
      <div className="grid-2 tight">
        <div>
          <h4>Drivers</h4>
          {q.drivers?.length ? (
            <ul className="small">
              {q.drivers.map((d) =>
                d.kind === "impact" ? (
                  <li key={`i${d.impact}`}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => ctx.go("model", { path: `impacts[${d.impact}]` })}
                    >
                      <RefLabel lookup={lookup} id={d.from} /> → <RefLabel lookup={lookup} id={d.to} />
                    </button>{" "}
                    {signed(d.strength)} → {signed(d.changedTo)}:{" "}
                    <span title="change of the probability, in percentage points">{pts(d.effect)}</span>
                  </li>
                ) : (
                  <li key={`c${d.factor}${d.to}`}>
                    if <RefLabel lookup={lookup} id={`${d.factor}=${d.to}`} /> now (not{" "}
                    {lookup.refName(`${d.factor}=${d.from}`) ? (
                      <StateLabel name={lookup.refName(`${d.factor}=${d.from}`)!} />
                    ) : (
                      "no current state"
                    )}
                    ): <span title="change of the probability, in percentage points">{pts(d.effect)}</span>
                  </li>
                ),
              )}
            </ul>
          ) : (
            <p className="muted small">not computed: use "Find drivers and indicators"</p>
          )}
        </div>
        <div>
          <h4>Indicators to watch</h4>
          {q.indicators?.length ? (
            <ul className="small">
              {q.indicators.map((x) => (
                <li key={`${x.factor}=${x.state}`}>
                  <RefLabel lookup={lookup} id={`${x.factor}=${x.state}`} />: {pct(x.p)} (
                  <span title="change of the probability, in percentage points">{pts(x.shift)}</span>)
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">not computed: use "Find drivers and indicators"</p>
          )}
        </div>
      </div>
    </article>
  );
}

/**
 * A question's forecast history: p in each vintage by its as-of date, with the judgment interval
 * as a band (vintages with the same as-of date sit on the same day, in the order made).
 */
function QuestionHistoryChart({ h }: { h: QuestionHistory }) {
  const option = useMemo<ChartOption>(() => {
    const at = (x: QuestionHistory["points"][number]) => x.asOf;
    return {
      grid: { left: 44, right: 14, top: 26, bottom: 26 },
      tooltip: {
        trigger: "axis",
        formatter: (items: { dataIndex: number }[]) => {
          const x = h.points[items[0]?.dataIndex ?? 0];
          if (!x) return "";
          const scored =
            x.brier !== null
              ? `; Brier ${fixed(x.brier)}`
              : x.excluded === "known"
                ? "; outcome known by then: not scored"
                : "";
          return `as of ${x.asOf}: ${pct(x.p)} (interval ${percentRange(x.interval.lo, x.interval.hi)})${scored}`;
        },
      },
      legend: { top: 0, data: ["p", "judgment interval"], textStyle: { fontSize: 11 } },
      xAxis: {
        type: "time",
        splitNumber: 4,
        axisLabel: { fontSize: 10, hideOverlap: true, formatter: "{yyyy}-{MM}-{dd}" },
      },
      yAxis: {
        type: "value",
        min: 0,
        max: 1,
        interval: 0.25,
        axisLabel: { formatter: (v: number) => percent(v, 0), fontSize: 10 },
      },
      series: [
        {
          name: "lo",
          type: "line",
          data: h.points.map((x) => [at(x), x.interval.lo]),
          stack: "band",
          lineStyle: { opacity: 0 },
          symbol: "none",
          tooltip: { show: false },
        },
        {
          name: "judgment interval",
          type: "line",
          data: h.points.map((x) => [at(x), x.interval.hi - x.interval.lo]),
          stack: "band",
          lineStyle: { opacity: 0 },
          areaStyle: { color: "rgba(52,101,164,0.18)" },
          color: "rgba(52,101,164,0.35)",
          symbol: "none",
        },
        {
          name: "p",
          type: "line",
          data: h.points.map((x) => [at(x), x.p]),
          color: "#3465a4",
          symbol: "circle",
          symbolSize: 6,
          lineStyle: { width: 2 },
        },
      ],
    };
  }, [h]);
  const first = h.points[0];
  const last = h.points[h.points.length - 1];
  return (
    <div className="q-history">
      <EChart
        option={option}
        height={150}
        label={`Forecast history of “${h.text}”: ${h.points.length} vintages, from ${pct(first.p)} as of ${first.asOf} to ${pct(last.p)} as of ${last.asOf}, with the judgment interval`}
      />
      <p className="muted small">
        {h.points.length} vintages, as of {first.asOf} to {last.asOf}
        {h.meanBrier !== null
          ? ` · mean Brier across the ${h.scored} vintage${h.scored === 1 ? "" : "s"} that scored it: ${fixed(h.meanBrier)}`
          : h.resolution
            ? " · no vintage scored its outcome (known before each as-of date)"
            : ""}
      </p>
    </div>
  );
}

type Draft = { outcome: "" | "yes" | "no"; date: string; source: string };

/** Per question: yes / no / unresolved, the date it resolved and a source; saved all at once. */
function ResolutionsEditor({
  modelId,
  questions,
  saved,
  onSaved,
  onError,
}: {
  modelId: string;
  questions: { id: string; text: string }[];
  saved: ResolutionRecord[];
  onSaved: (list: ResolutionRecord[]) => void;
  onError: (text: string) => void;
}) {
  const fromSaved = useCallback(() => {
    const m: Record<string, Draft> = {};
    for (const q of questions) {
      const r = saved.find((x) => x.question === q.id);
      m[q.id] = { outcome: r?.outcome ?? "", date: r?.date ?? "", source: r?.source ?? "" };
    }
    return m;
  }, [questions, saved]);
  const [draft, setDraft] = useState<Record<string, Draft>>(fromSaved);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the saved set changes
  useEffect(() => setDraft(fromSaved()), [saved]);
  const set = (id: string, patch: Partial<Draft>) =>
    setDraft((d) => ({ ...d, [id]: { ...(d[id] ?? { outcome: "", date: "", source: "" }), ...patch } }));

  const save = async () => {
    const missing = questions.filter((q) => draft[q.id]?.outcome && !draft[q.id].date);
    if (missing.length) {
      onError(
        `Give the date each resolved question was resolved on (missing for ${missing.map((q) => `“${q.text}”`).join(", ")}); nothing was saved.`,
      );
      return;
    }
    const list = questions
      .filter((q) => draft[q.id]?.outcome)
      .map((q) => {
        const d = draft[q.id];
        return {
          question: q.id,
          outcome: d.outcome as "yes" | "no",
          date: d.date,
          ...(d.source.trim() ? { source: d.source.trim() } : {}),
        };
      });
    setBusy(true);
    try {
      const r = await api.put<{ resolutions: ResolutionRecord[] }>(
        `/api/models/${enc(modelId)}/resolutions`,
        { resolutions: list },
      );
      onSaved(r.resolutions);
    } catch (e) {
      onError(`The resolutions were not saved (nothing changed). ${plainError(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const n = saved.length;
  return (
    <section className="card resolutions" aria-labelledby="resolutions-h">
      <div className="form-row">
        <h2 id="resolutions-h">Resolutions</h2>
        <span className="muted small">
          {n} of {questions.length} questions resolved · kept outside the model (a model carries no hindsight)
        </span>
        <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? "Hide the editor" : "Record resolutions"}
        </button>
      </div>
      {open && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <table className="small-table resolutions-table">
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Outcome</th>
                <th scope="col">Resolved on</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {questions.map((q) => {
                const d = draft[q.id] ?? { outcome: "", date: "", source: "" };
                return (
                  <tr key={q.id} data-question={q.id}>
                    <th scope="row" id={`question-${q.id}`} className="q-title" title={`${q.text} (${q.id})`}>
                      <span className="q-text">{q.text}</span>
                    </th>
                    <td>
                      <select
                        aria-label={`Outcome of ${q.id}`}
                        aria-describedby={`question-${q.id}`}
                        value={d.outcome}
                        onChange={(e) => set(q.id, { outcome: e.target.value as Draft["outcome"] })}
                      >
                        <option value="">unresolved</option>
                        <option value="yes">yes</option>
                        <option value="no">no</option>
                      </select>
                    </td>
                    <td>
                      <input
                        type="date"
                        aria-label={`Date ${q.id} resolved`}
                        aria-describedby={`question-${q.id}`}
                        value={d.date}
                        disabled={!d.outcome}
                        onChange={(e) => set(q.id, { date: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        aria-label={`Source for ${q.id}`}
                        aria-describedby={`question-${q.id}`}
                        placeholder="URL or citation"
                        value={d.source}
                        disabled={!d.outcome}
                        maxLength={2000}
                        onChange={(e) => set(q.id, { source: e.target.value })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="form-row">
            <button type="submit" disabled={busy}>
              Save resolutions
            </button>
            <button type="button" onClick={() => setDraft(fromSaved())} disabled={busy}>
              Undo changes
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Scores({
  s,
  history,
  questionText,
}: {
  s: Scored;
  history: ForecastHistoryRecord | null;
  questionText: (id: string) => string;
}) {
  const m = s.summary;
  const d = m.decomposition;
  const h = history?.summary;
  return (
    <section className="card scores" aria-labelledby="scores-h">
      <h2 id="scores-h">
        Scores of vintage {s.vintage.id} ({m.n} resolved question{m.n === 1 ? "" : "s"}, {m.yes} yes)
      </h2>
      <p className="small as-of-note">Scored {s.asOf.note}.</p>
      {history && history.vintages.length >= 2 && h && (
        <p className="small history-brier">
          Over time ({history.vintages.length} vintages, as of {history.vintages[0].asOf} to{" "}
          {history.vintages[history.vintages.length - 1].asOf}): mean Brier across vintages{" "}
          <strong className="mean-brier">{fixed(h.meanBrierAcrossVintages)}</strong> (each vintage's mean over
          the questions it scored, {h.vintagesScored} vintage{h.vintagesScored === 1 ? "" : "s"}); across
          questions {fixed(h.meanBrierAcrossQuestions)} ({h.questionsScored} question
          {h.questionsScored === 1 ? "" : "s"}).{" "}
          <span className="muted">
            By vintage:{" "}
            {history.vintages
              .map((v) => `${v.asOf} ${v.meanBrier === null ? "—" : fixed(v.meanBrier)} (${v.scored})`)
              .join(" · ")}
            .
          </span>
        </p>
      )}
      {s.warnings.map((w) => (
        <p key={w} className="note small">
          {w}
        </p>
      ))}
      {s.excluded.map((x) => (
        <p key={x.id} className="note small">
          Not scored: <span title={x.id}>{questionText(x.id)}</span>: {x.reason}
        </p>
      ))}
      {m.n === 0 ? (
        <p className="muted small">None of this vintage's questions is resolved yet.</p>
      ) : (
        <div className="grid-2">
          <div>
            <table className="small-table score-table">
              <caption>Brier score (lower is better) and log score (higher is better)</caption>
              <thead>
                <tr>
                  <th scope="col" />
                  <th scope="col">Brier</th>
                  <th scope="col">log</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">these forecasts</th>
                  <td className="num brier">{fixed(m.brier)}</td>
                  <td className="num">{fixed(m.log)}</td>
                </tr>
                <tr>
                  <th scope="row">always 50%</th>
                  <td className="num">{fixed(m.baselines.half.brier)}</td>
                  <td className="num">{fixed(m.baselines.half.log)}</td>
                </tr>
                <tr>
                  <th scope="row">base rate {pct(m.baselines.baseRate.p)}</th>
                  <td className="num">{fixed(m.baselines.baseRate.brier)}</td>
                  <td className="num">{fixed(m.baselines.baseRate.log)}</td>
                </tr>
                <tr>
                  <th scope="row">skill vs 50%</th>
                  <td className="num">{fixed(m.skill.brierVsHalf)}</td>
                  <td className="num">{fixed(m.skill.logVsHalf)}</td>
                </tr>
                <tr>
                  <th scope="row">skill vs base rate</th>
                  <td className="num">{fixed(m.skill.brierVsBaseRate)}</td>
                  <td className="num">{fixed(m.skill.logVsBaseRate)}</td>
                </tr>
              </tbody>
            </table>
            <p className="muted small">
              {d
                ? `Murphy decomposition (${d.bins} bins): reliability ${fixed(d.reliability)} (0 = calibrated), resolution ${fixed(d.resolution)}, uncertainty ${fixed(d.uncertainty)}.`
                : `No decomposition: ${m.decompositionNote ?? "too few resolved questions"}.`}{" "}
              {s.unresolved.length} question{s.unresolved.length === 1 ? "" : "s"} still unresolved.
            </p>
            <table className="small-table calibration-table">
              <caption>Calibration</caption>
              <thead>
                <tr>
                  <th scope="col">forecasts</th>
                  <th scope="col">n</th>
                  <th scope="col">mean forecast</th>
                  <th scope="col">observed</th>
                  <th scope="col">95% interval</th>
                </tr>
              </thead>
              <tbody>
                {m.calibration
                  .filter((c) => c.n > 0)
                  .map((c) => (
                    <tr key={c.from}>
                      <th scope="row">{percentRange(c.from, c.to, 0)}</th>
                      <td className="num">{c.n}</td>
                      <td className="num">{pct(c.meanForecast)}</td>
                      <td className="num">{pct(c.observed)}</td>
                      <td className="num">{percentRange(c.lo, c.hi, 0)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <div>
            {s.reliabilitySvg && (
              <img
                className="reliability"
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(s.reliabilitySvg)}`}
                alt={`Reliability chart: forecast probability against observed frequency for ${m.n} resolved questions; Brier ${fixed(m.brier)}`}
                width={480}
                height={460}
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
