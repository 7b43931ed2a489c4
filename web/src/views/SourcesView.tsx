// Sources: the corpus, one document with the passages the judgments cite highlighted and the
// page furniture (menus, appeals, related links) greyed out; an article to ingest goes on to
// the review of its drafts (ReviewView).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ModelCtx } from "../App";
import { addDocumentFile, api, enc, plainError } from "../api";
import type { Lookup } from "../lookup";
import type { DocumentFull, DocumentSummary, LocatorCheck, VerifyReport } from "../types";
import { statusWords } from "./CellPanel";
import { RefText, refPlain } from "./names";

export function SourcesView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const { model } = lookup;
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [docId, setDocId] = useState<string | null>(null);
  const [doc, setDoc] = useState<DocumentFull | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<{ from: number; to: number } | null>(null);
  const [selectedPath, setSelectedPath] = useState<string | null>(null);

  const loadCorpus = useCallback(async () => {
    try {
      const [d, r] = await Promise.all([
        api.get<DocumentSummary[]>("/api/documents"),
        api.get<VerifyReport>(`/api/models/${enc(record.id)}/evidence`),
      ]);
      setDocs(d);
      setReport(r);
      return { d, r };
    } catch (e) {
      setError(plainError(e));
      return null;
    }
  }, [record.id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load on open, pick the focused document
  useEffect(() => {
    void loadCorpus().then((x) => {
      if (!x) return;
      const f = ctx.focus?.document;
      if (f) {
        const id = docForSource(f.source, x.r, x.d, model);
        if (id) {
          setDocId(id);
          setTarget({ from: f.from, to: f.to });
          return;
        }
        setError(
          `The text of source '${f.source}' is not in the corpus yet. Add the article below (it is matched by its file name or content hash).`,
        );
      }
      if (x.d.length) setDocId((cur) => cur ?? x.d[0].id);
    });
  }, [record.version]);

  useEffect(() => {
    if (!docId) return;
    const ac = new AbortController();
    api
      .get<DocumentFull>(`/api/documents/${enc(docId)}`, ac.signal)
      .then(setDoc)
      .catch((e) => !ac.signal.aborted && setError(plainError(e)));
    return () => ac.abort();
  }, [docId]);

  const checks = useMemo(
    () => (report?.checks ?? []).filter((c) => docId && c.document === docId),
    [report, docId],
  );
  const sourceId = useMemo(() => {
    if (!docId || !report) return null;
    return report.coverage.find((c) => c.document === docId)?.source ?? null;
  }, [report, docId]);

  return (
    <div className="sources-view two-col">
      <aside className="corpus-col">
        <h2>Corpus</h2>
        {docs && docs.length === 0 && (
          <p className="muted small">
            The corpus is empty. The project ships no article text: add the model's sources (
            {model.sources.map((s) => s.file ?? s.id).join(", ")}) below, or with{" "}
            <code>muscat corpus add FILE</code>.
          </p>
        )}
        <ul className="doc-list">
          {docs?.map((d) => {
            const src = report?.coverage.find((c) => c.document === d.id);
            return (
              <li key={d.id}>
                <button
                  type="button"
                  className={d.id === docId ? "doc-btn selected" : "doc-btn"}
                  aria-pressed={d.id === docId}
                  onClick={() => {
                    setDocId(d.id);
                    setTarget(null);
                  }}
                >
                  <strong>{d.title ?? d.fileName ?? d.id.slice(0, 12)}</strong>
                  <span className="muted small">
                    {[d.outlet, d.date, d.language].filter(Boolean).join(" · ")}
                  </span>
                  <span className="small">
                    {d.keptCount}/{d.lineCount} lines kept
                    {src
                      ? ` · source '${src.source}', ${src.judgments.length} judgments`
                      : " · not cited by this model"}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        <AddDocument
          onAdded={async () => {
            setError(null);
            await loadCorpus();
          }}
        />
        <IngestArticle onAdded={(id) => ctx.go("review", { ingest: id })} />
        {docId && (
          <p className="small">
            <button type="button" className="link" onClick={() => ctx.go("review", { ingest: docId })}>
              Review the drafts of this document →
            </button>
          </p>
        )}
        {report && (
          <p className="muted small">
            Evidence: {report.counts.ok} of {report.counts.locators} locators check out
            {report.counts.errors ? `, ${report.counts.errors} errors` : ""}
            {report.counts.warnings ? `, ${report.counts.warnings} warnings` : ""}.
          </p>
        )}
      </aside>
      <div className="main-col">
        {error && (
          <div className="run-panel error" role="alert">
            {error}
          </div>
        )}
        {doc ? (
          <DocumentText
            lookup={lookup}
            doc={doc}
            checks={checks}
            sourceId={sourceId}
            target={target}
            selectedPath={selectedPath}
            onJudgment={(c) => {
              setSelectedPath(c.path);
              setTarget(null);
            }}
            onOpenModel={(path) => ctx.go("model", { path })}
          />
        ) : (
          docs && docs.length > 0 && <p className="muted">Choose a document.</p>
        )}
      </div>
    </div>
  );
}

function docForSource(
  source: string,
  r: VerifyReport,
  docs: DocumentSummary[],
  model: ModelCtx["lookup"]["model"],
): string | null {
  const cov = r.coverage.find((c) => c.source === source);
  if (cov?.document && docs.some((d) => d.id === cov.document)) return cov.document;
  const src = model.sources.find((s) => s.id === source);
  const byHash = docs.find((d) => src?.sha256 && d.id === src.sha256);
  if (byHash) return byHash.id;
  const byName = docs.find((d) => src?.file && d.fileName === src.file);
  return byName?.id ?? null;
}

function DocumentText({
  lookup,
  doc,
  checks,
  sourceId,
  target,
  selectedPath,
  onJudgment,
  onOpenModel,
}: {
  lookup: Lookup;
  doc: DocumentFull;
  checks: LocatorCheck[];
  sourceId: string | null;
  target: { from: number; to: number } | null;
  selectedPath: string | null;
  onJudgment: (c: LocatorCheck) => void;
  onOpenModel: (path: string) => void;
}) {
  const lines = useMemo(() => doc.text.split(/\r\n|\n|\r/), [doc.text]);
  const blocks = useMemo(() => new Map(doc.blocks.map((b) => [b.line, b])), [doc.blocks]);
  // Which judgments cite each line.
  const cites = useMemo(() => {
    const m = new Map<number, LocatorCheck[]>();
    for (const c of checks) {
      const mm = /:(\d+)(?:-(\d+))?$/.exec(c.locator);
      if (!mm) continue;
      const a = Number(mm[1]);
      const b = mm[2] ? Number(mm[2]) : a;
      for (let l = a; l <= b; l++) m.set(l, [...(m.get(l) ?? []), c]);
    }
    return m;
  }, [checks]);
  const ref = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!target) return;
    const el = ref.current?.querySelector<HTMLElement>(`[data-line="${target.from}"]`);
    el?.scrollIntoView({ block: "center" });
    el?.focus();
  }, [target]);
  const inTarget = (l: number) => !!target && l >= target.from && l <= target.to;
  const selLines = new Set<number>();
  if (selectedPath) for (const [l, cs] of cites) if (cs.some((c) => c.path === selectedPath)) selLines.add(l);
  const judgments = [...new Map(checks.map((c) => [c.path, c])).values()];
  const furniture = doc.blocks.filter((b) => !b.kept).length;

  return (
    <div className="doc-view">
      <header className="doc-head">
        <h2>{doc.title ?? doc.fileName ?? "Document"}</h2>
        <p className="muted small">
          {[doc.outlet, doc.date, doc.language, sourceId ? `cited as '${sourceId}'` : null]
            .filter(Boolean)
            .join(" · ")}{" "}
          · {lines.length} lines, {furniture} greyed out as page furniture · {judgments.length} judgments cite
          it · id <code>{doc.id.slice(0, 12)}</code>
        </p>
        <p className="legend small">
          <span className="key cited">cited by a judgment</span>
          <span className="key furniture">page furniture (not article text)</span>
          {target && <span className="key target">the passage you opened</span>}
        </p>
      </header>
      <div className="doc-body">
        <ol className="doc-lines" ref={ref} aria-label="Document text, line by line">
          {lines.map((text, i) => {
            const l = i + 1;
            const b = blocks.get(l);
            const furn = b ? !b.kept : false;
            const cs = cites.get(l) ?? [];
            const cls = [
              "dline",
              furn ? "furniture" : "",
              cs.length ? "cited" : "",
              inTarget(l) ? "target" : "",
              selLines.has(l) ? "sel" : "",
              text.trim() === "" ? "blank" : "",
            ]
              .filter(Boolean)
              .join(" ");
            return (
              <li
                key={l}
                data-line={l}
                className={cls}
                tabIndex={inTarget(l) && l === target?.from ? -1 : undefined}
                title={furn && b ? `Page furniture (${b.role}): ${b.reasons.join(", ")}` : undefined}
              >
                <span className="ln" aria-hidden="true">
                  {l}
                </span>
                <span className="ltext">
                  {text || "\u00a0"}
                  {furn && <span className="sr-only"> (page furniture)</span>}
                </span>
                {cs.length > 0 && (
                  <span className="cite-count" title={cs.map((c) => refPlain(lookup, c.judgment)).join("\n")}>
                    {cs.length}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
        <aside className="doc-judgments">
          <h3>Judgments citing this text</h3>
          {judgments.length === 0 && <p className="muted small">None in this model.</p>}
          <ul>
            {judgments.map((c) => (
              <li key={c.path} className={c.path === selectedPath ? "sel" : undefined}>
                <button type="button" className="link" onClick={() => onJudgment(c)}>
                  <RefText lookup={lookup} text={c.judgment} />
                </button>
                <span className="muted small">
                  {" "}
                  {c.locator}
                  {c.status !== "ok" ? ` · ${statusWords(c.status)}` : ""}
                </span>
                {c.rationale && <div className="small">{c.rationale}</div>}
                <button type="button" className="link small" onClick={() => onOpenModel(c.path)}>
                  open in the model →
                </button>
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}

function AddDocument({ onAdded }: { onAdded: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const onFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setMsg(null);
    try {
      const done: string[] = [];
      for (const f of Array.from(files)) {
        const r = await addDocumentFile(f);
        done.push(`${f.name}: ${r.status ?? "added"}`);
      }
      setMsg({ ok: true, text: done.join("; ") });
      await onAdded();
    } catch (e) {
      setMsg({ ok: false, text: plainError(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="add-doc">
      <label className="file-btn">
        {busy ? "Adding…" : "Add documents…"}
        <input
          type="file"
          multiple
          accept=".txt,.md,.html,.htm,.pdf,text/*,application/pdf"
          onChange={(e) => void onFiles(e.target.files)}
          disabled={busy}
        />
      </label>
      {msg && (
        <p className={msg.ok ? "ok-msg small" : "error-msg small"} role={msg.ok ? "status" : "alert"}>
          {msg.text}
        </p>
      )}
    </div>
  );
}

/** Adds an article to the corpus and opens the review of its drafts. */
function IngestArticle({ onAdded }: { onAdded: (id: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    setBusy(true);
    setMsg(null);
    try {
      onAdded((await addDocumentFile(f)).id);
    } catch (e) {
      setMsg(plainError(e));
      setBusy(false);
    }
  };
  return (
    <div className="add-doc">
      <label className="file-btn">
        {busy ? "Reading…" : "Ingest an article…"}
        <input
          type="file"
          aria-label="Ingest an article and review its drafts (.txt, .html or .pdf)"
          accept=".txt,.md,.html,.htm,.pdf,text/plain,text/html,application/pdf"
          onChange={(e) => void onFile(e.target.files?.[0])}
          disabled={busy}
        />
      </label>
      {msg && (
        <p className="error-msg small" role="alert">
          {msg}
        </p>
      )}
    </div>
  );
}
