// The judgment beside the selected cell of the entry grid: its strength, confidence, rationale
// and evidence, edited in place. Evidence is attached by selecting a passage in a document of
// the corpus: the selected lines become the locator (`source:from-to`), and a document the
// model does not cite yet is added to its sources first (matched by content hash).
import { useEffect, useMemo, useState } from "react";
import type { ModelOp } from "../../../../src/model/ops.js";
import type { Evidence, Model, StateRef } from "../../../../src/model/types.js";
import { api, enc, plainError } from "../../api";
import type { DocumentFull, DocumentSummary } from "../../types";

const CONFIDENCE = ["guess", "weak", "moderate", "strong", "near certain"];

export function CellNote({
  model,
  label,
  from,
  to,
  strength,
  rationale,
  confidence,
  evidence,
  apply,
  onRationale,
}: {
  model: Model;
  label: string;
  from: StateRef;
  to: StateRef;
  strength: number | null;
  rationale: string;
  confidence: number | undefined;
  evidence: Evidence[];
  apply: (ops: ModelOp | ModelOp[]) => string | null;
  onRationale: (r: string) => void;
}) {
  const [draft, setDraft] = useState(rationale);
  const [picking, setPicking] = useState(false);
  const judged = strength !== null;
  const title = (id: string) => model.sources.find((s) => s.id === id)?.title ?? id;
  return (
    <div className="cell-note">
      <strong>{label}</strong> <span className="muted">{judged ? `strength ${strength}` : "not judged"}</span>
      <div className="cell-note-row">
        <label className="stack">
          Confidence
          <select
            value={confidence ?? ""}
            disabled={!judged}
            onChange={(e) =>
              apply({
                op: "setCell",
                from,
                to,
                strength,
                confidence: e.target.value === "" ? undefined : Number(e.target.value),
              })
            }
          >
            <option value="">not rated</option>
            {CONFIDENCE.map((w, i) => (
              <option key={w} value={i + 1}>
                {i + 1} {w}
              </option>
            ))}
          </select>
        </label>
        <label className="stack grow">
          Rationale
          <textarea
            rows={2}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => draft.trim() !== rationale.trim() && onRationale(draft.trim())}
          />
        </label>
      </div>
      <div className="cell-evidence">
        <span className="muted small">Evidence:</span>
        {evidence.length === 0 && <span className="muted small"> none yet</span>}
        <ul>
          {evidence.map((e, i) => {
            const loc = e.from === e.to ? `${e.source}:${e.from}` : `${e.source}:${e.from}-${e.to}`;
            return (
              <li key={loc}>
                <code>{loc}</code> <span className="small">{title(e.source)}</span>{" "}
                <button
                  type="button"
                  className="link small"
                  aria-label={`Remove evidence ${loc}`}
                  onClick={() => apply({ op: "removeEvidence", from, to, index: i })}
                >
                  remove
                </button>
              </li>
            );
          })}
        </ul>
        <button
          type="button"
          disabled={!judged}
          title={judged ? undefined : "Type a strength first: evidence belongs to a judgment"}
          aria-expanded={picking}
          onClick={() => setPicking(!picking)}
        >
          {picking ? "Close the sources" : "Attach a passage…"}
        </button>
      </div>
      {picking && (
        <PassagePicker
          model={model}
          onCite={(src, lines) => {
            const ops: ModelOp[] = [];
            let id = src.id;
            if (src.add) {
              ops.push(src.add);
              id = src.add.op === "addSource" ? src.add.id : id;
            }
            ops.push({ op: "addEvidence", from, to, source: id, lines });
            const problem = apply(ops);
            if (!problem) setPicking(false);
            return problem;
          }}
        />
      )}
    </div>
  );
}

/** The model's source for a corpus document, or the operation that adds one. */
function sourceFor(model: Model, doc: DocumentFull): { id: string; add?: ModelOp } {
  const have = model.sources.find(
    (s) =>
      (s.sha256 && (s.sha256 === doc.id || s.sha256 === doc.rawSha256)) ||
      (s.file && doc.fileName && s.file === doc.fileName),
  );
  if (have) return { id: have.id };
  const base =
    (doc.outlet ?? doc.title ?? doc.fileName ?? "source")
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 24)
      .replace(/-[^-]*$/, "") || "source";
  const taken = new Set(model.sources.map((s) => s.id));
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  const lines = doc.text.split(/\r\n|\n|\r/).length;
  return {
    id,
    add: {
      op: "addSource",
      id,
      title: doc.title ?? doc.fileName ?? id,
      outlet: doc.outlet ?? undefined,
      date: doc.date ?? undefined,
      url: doc.url ?? undefined,
      file: doc.fileName ?? undefined,
      sha256: doc.id,
      lines,
    },
  };
}

/** The line number of the element holding a DOM node, if it is a line of the picker. */
function lineOf(node: Node | null): number | null {
  const el = node instanceof Element ? node : node?.parentElement;
  const li = el?.closest<HTMLElement>("[data-pick-line]");
  return li ? Number(li.dataset.pickLine) : null;
}

function PassagePicker({
  model,
  onCite,
}: {
  model: Model;
  onCite: (src: { id: string; add?: ModelOp }, lines: [number, number]) => string | null;
}) {
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [docId, setDocId] = useState<string>("");
  const [doc, setDoc] = useState<DocumentFull | null>(null);
  const [range, setRange] = useState<[number, number] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<DocumentSummary[]>("/api/documents")
      .then((d) => {
        setDocs(d);
        // The first document the model already cites, else the first one.
        const cited = d.find((x) => model.sources.some((s) => s.sha256 === x.id || s.file === x.fileName));
        setDocId((cur) => cur || (cited ?? d[0])?.id || "");
      })
      .catch((e) => setError(plainError(e)));
  }, [model.sources]);
  useEffect(() => {
    if (!docId) return;
    const ac = new AbortController();
    setRange(null);
    api
      .get<DocumentFull>(`/api/documents/${enc(docId)}`, ac.signal)
      .then(setDoc)
      .catch((e) => !ac.signal.aborted && setError(plainError(e)));
    return () => ac.abort();
  }, [docId]);
  // The selected lines follow the text selection inside the document.
  useEffect(() => {
    const onSel = () => {
      const s = document.getSelection();
      if (!s || s.isCollapsed) return;
      const a = lineOf(s.anchorNode);
      const b = lineOf(s.focusNode);
      if (a !== null && b !== null) setRange([Math.min(a, b), Math.max(a, b)]);
    };
    document.addEventListener("selectionchange", onSel);
    return () => document.removeEventListener("selectionchange", onSel);
  }, []);

  const lines = useMemo(() => doc?.text.split(/\r\n|\n|\r/) ?? [], [doc]);
  const src = doc ? sourceFor(model, doc) : null;
  // Clicking a line number picks that line; shift-click extends the range (keyboard: Enter, Shift+Enter).
  const pick = (l: number, extend: boolean) =>
    setRange((r) => (extend && r ? [Math.min(r[0], l), Math.max(r[1], l)] : [l, l]));

  if (error) return <p className="error-text">{error}</p>;
  if (!docs) return <p className="muted small">Loading the corpus…</p>;
  if (docs.length === 0)
    return (
      <p className="muted small">
        The corpus is empty: add the article in the Sources view (or <code>muscat corpus add FILE</code>),
        then select its passage here.
      </p>
    );
  return (
    <div className="passage-picker">
      <div className="picker-head">
        <label>
          Document{" "}
          <select value={docId} onChange={(e) => setDocId(e.target.value)}>
            {docs.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title ?? d.fileName ?? d.id.slice(0, 12)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={!range || !src}
          onClick={() => {
            if (!range || !src) return;
            const p = onCite(src, range);
            if (p) setError(p);
          }}
        >
          {range
            ? `Cite line${range[0] === range[1] ? ` ${range[0]}` : `s ${range[0]}–${range[1]}`}`
            : "Select a passage"}
        </button>
        {src?.add && (
          <span className="muted small">cited as a new source '{src.id}' (added to the model's sources)</span>
        )}
      </div>
      <ol className="picker-lines" aria-label="Document text: select a passage, or click line numbers">
        {lines.map((t, i) => {
          const l = i + 1;
          const on = range && l >= range[0] && l <= range[1];
          return (
            <li key={l} data-pick-line={l} className={on ? "on" : undefined}>
              <button
                type="button"
                className="ln"
                aria-label={`line ${l}`}
                onClick={(e) => pick(l, e.shiftKey)}
              >
                {l}
              </button>
              <span className="ltext">{t || "\u00a0"}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
