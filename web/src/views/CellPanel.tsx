// One matrix cell: the judgment behind it (rationale, evidence passages) and its editor.
import { useEffect, useState } from "react";
import { signed } from "../../../src/format.js";
import type { Impact } from "../../../src/model/types.js";
import type { ModelCtx } from "../App";
import { ApiError, api, enc, plainError } from "../api";
import type { LocatorCheck, VerifyReport } from "../types";
import { type CellSource, heatColor, heatText, type MatrixIndex } from "./matrix";
import { StateLabel } from "./names";

export function CellPanel({
  ctx,
  index,
  r,
  c,
  evidence,
  onClose,
}: {
  ctx: ModelCtx;
  index: MatrixIndex;
  r: number;
  c: number;
  evidence: LocatorCheck[] | null;
  onClose: () => void;
}) {
  const { lookup, record } = ctx;
  const { model } = lookup;
  const sources = index.sources(r, c);
  const value = index.value(r, c);
  const first: CellSource | undefined = sources[0];
  const impact: Impact | undefined = first ? model.impacts[first.impact] : undefined;
  const current = first?.value ?? 0;
  const [draft, setDraft] = useState(String(current));
  const [rationale, setRationale] = useState(impact?.rationale ?? "");
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the editor when the cell or version changes
  useEffect(() => {
    setDraft(String(current));
    setRationale(impact?.rationale ?? "");
  }, [r, c, record.version]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new cell clears the last message
  useEffect(() => setMessage(null), [r, c]);

  const from = lookup.ref(r);
  const to = lookup.ref(c);
  const fromF = model.factors[from.factor];
  const toF = model.factors[to.factor];
  const { min, max } = model.scale;
  const parsed = Number(draft);
  const valid = draft.trim() !== "" && Number.isInteger(parsed) && parsed >= min && parsed <= max;
  const changed = valid && parsed !== current;
  const rationaleChanged = !!impact && rationale.trim() !== (impact.rationale ?? "").trim();

  async function save() {
    setSaving(true);
    setMessage(null);
    let base = record.version;
    try {
      if (first) {
        if (changed) {
          const r1 = await api.patch<{ version: number }>(`/api/models/${enc(record.id)}`, {
            baseVersion: base,
            path: first.path,
            value: parsed,
          });
          base = r1.version;
        }
        if (rationaleChanged) {
          const r2 = await api.patch<{ version: number }>(`/api/models/${enc(record.id)}`, {
            baseVersion: base,
            path: `impacts[${first.impact}].rationale`,
            value: rationale.trim(),
          });
          base = r2.version;
        }
      } else {
        const r3 = await api.patch<{ version: number }>(`/api/models/${enc(record.id)}`, {
          baseVersion: base,
          path: `impacts[${model.impacts.length}]`,
          value: {
            from: `${fromF.id}=${fromF.states[from.state].id}`,
            to: `${toF.id}=${toF.states[to.state].id}`,
            strength: parsed,
            ...(rationale.trim() ? { rationale: rationale.trim() } : {}),
          },
        });
        base = r3.version;
      }
      setMessage({ kind: "ok", text: `Saved as version ${base}. The scenarios will be recomputed for it.` });
      await ctx.reload();
    } catch (e) {
      setMessage({ kind: "error", text: plainError(e) });
      if (e instanceof ApiError && e.status === 409) await ctx.reload();
    } finally {
      setSaving(false);
    }
  }

  const evFor = (src: CellSource) =>
    (impact?.evidence ?? []).map((ev) => {
      const loc = ev.from === ev.to ? `${ev.source}:${ev.from}` : `${ev.source}:${ev.from}-${ev.to}`;
      const resolved = evidence?.find((x) => x.path === `impacts[${src.impact}]` && x.locator === loc);
      return { ev, resolved };
    });

  return (
    <section className="cell-panel" aria-label="Selected judgment">
      <div className="panel-head">
        <h2>Judgment</h2>
        <button type="button" className="link" onClick={onClose} aria-label="Close the judgment">
          ✕
        </button>
      </div>
      <p className="cell-title">
        If <strong>{fromF.name}</strong> is{" "}
        <em>
          <StateLabel name={lookup.stateName(from.factor, from.state)} />
        </em>
        , this {value > 0 ? "promotes" : value < 0 ? "hinders" : "does not affect"}{" "}
        <strong>{toF.name}</strong> being{" "}
        <em>
          <StateLabel name={lookup.stateName(to.factor, to.state)} />
        </em>
        .
      </p>
      <div className="strength-row">
        <span
          className="strength"
          style={{
            background: heatColor(value, index.maxAbs) || "#fff",
            color: heatText(value, index.maxAbs),
          }}
        >
          {signed(value)}
        </span>
        <span className="muted">
          on a scale of {min} to +{max}
          {impact?.confidence ? ` · confidence ${impact.confidence}/5` : ""}
          {impact?.author ? ` · by ${impact.author}` : ""}
          {first ? ` · impacts[${first.impact}]` : " · no judgment (0)"}
        </span>
      </div>
      {sources.length > 1 && (
        <p className="note">
          {sources.length} judgments add up in this cell (several authors); editing changes the first one.
        </p>
      )}
      {from.factor === to.factor && <p className="note">Same-factor cell: a factor acting on itself.</p>}
      <h3>Why</h3>
      <p className="rationale">
        {impact?.rationale ?? <span className="muted">No rationale recorded.</span>}
      </p>
      <h3>Evidence</h3>
      {!first || (impact?.evidence.length ?? 0) === 0 ? (
        <p className="muted">No evidence recorded for this judgment.</p>
      ) : (
        <ul className="evidence-list">
          {evFor(first).map(({ ev, resolved }) => (
            <li key={`${ev.source}:${ev.from}-${ev.to}`}>
              <div className="ev-head">
                <code>
                  {ev.source}:{ev.from}
                  {ev.to !== ev.from ? `-${ev.to}` : ""}
                </code>{" "}
                <span className="muted">{model.sources.find((s) => s.id === ev.source)?.title ?? ""}</span>
                {resolved && resolved.status !== "ok" && (
                  <span className={`badge ${resolved.severity}`} title={resolved.message}>
                    {statusWords(resolved.status)}
                  </span>
                )}
              </div>
              {resolved?.passage?.length ? (
                <blockquote className="passage">
                  {resolved.passage.map((l) => (
                    <span key={l.line} className={l.furniture ? "pline furniture" : "pline"}>
                      <span className="ln">{l.line}</span> {l.text}
                    </span>
                  ))}
                </blockquote>
              ) : (
                <p className="muted small">
                  {evidence === null
                    ? "Looking up the passage…"
                    : resolved && resolved.status !== "no-document"
                      ? resolved.message
                      : "The text of this source is not in the corpus: add the article in Sources to read the passage here."}
                </p>
              )}
              <button
                type="button"
                className="link"
                onClick={() =>
                  ctx.go("sources", { document: { source: ev.source, from: ev.from, to: ev.to } })
                }
              >
                Open in Sources →
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Edit</h3>
      <form
        className="edit-form"
        onSubmit={(e) => {
          e.preventDefault();
          if ((changed || rationaleChanged || (!first && valid)) && !saving) void save();
        }}
      >
        <label>
          Strength
          <input
            type="number"
            min={min}
            max={max}
            step={1}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={!valid}
            aria-describedby="strength-help"
          />
        </label>
        <span id="strength-help" className="muted small">
          whole number from {min} to {max}; 0 = no effect
        </span>
        <label className="block">
          Rationale (one line, in your words)
          <input
            type="text"
            value={rationale}
            onChange={(e) => setRationale(e.target.value)}
            maxLength={400}
          />
        </label>
        <div className="form-row">
          <button
            type="submit"
            className="primary"
            disabled={saving || !(changed || rationaleChanged || (!first && valid && parsed !== 0))}
          >
            {saving ? "Saving…" : first ? "Save as new version" : "Add judgment"}
          </button>
          <span className="muted small">editing version {record.version}</span>
        </div>
        {message && (
          <p
            className={message.kind === "ok" ? "ok-msg" : "error-msg"}
            role={message.kind === "ok" ? "status" : "alert"}
          >
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}

export function statusWords(s: string): string {
  switch (s) {
    case "ok":
      return "found";
    case "no-source":
      return "unknown source";
    case "no-document":
      return "text not in the corpus";
    case "out-of-range":
      return "beyond the end of the text";
    case "blank":
      return "points at blank lines";
    case "furniture":
      return "points at page furniture";
    case "changed":
      return "the text has changed";
    case "unrelated":
      return "passage does not mention the judgment";
    default:
      return s;
  }
}

export async function fetchEvidence(modelId: string, signal?: AbortSignal): Promise<LocatorCheck[]> {
  const data = await api.get<VerifyReport | LocatorCheck[] | { result?: VerifyReport }>(
    `/api/models/${enc(modelId)}/evidence`,
    signal,
  );
  if (Array.isArray(data)) return data;
  if ("checks" in data) return data.checks;
  return (data as { result?: VerifyReport }).result?.checks ?? [];
}
