// Review: an article read against the model (POST /api/models/{id}/ingest), its drafts one by
// one — the sentence highlighted in the document, the proposed cell by its names, sign, strength
// and confidence, how it stands to the model's own judgment of the cell — and the analyst's
// decisions (accept, attach as evidence, record as a second view, reject; in the drafted cell or
// another one the analyst chooses), then the claims the reading could not place (gaps), which the
// analyst may place in a cell; all written together as one new model version
// (POST /api/models/{id}/drafts).
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ModelCtx } from "../App";
import { addDocumentFile, api, enc, plainError } from "../api";
import type { DocumentSummary, Draft, DraftsSaved, IngestReport } from "../types";
import { GapCard, GapLine } from "./ReviewGaps";
import { type Decision, DraftCard, DraftLine, ReviewDocument } from "./ReviewParts";
import "./review.css";

export function ReviewView({ ctx }: { ctx: ModelCtx }) {
  const { record, lookup } = ctx;
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [docId, setDocId] = useState<string | null>(ctx.focus?.ingest ?? null);
  const [report, setReport] = useState<IngestReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [minConf, setMinConf] = useState(0);
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const [current, setCurrent] = useState<string | null>(null);
  const [saved, setSaved] = useState<DraftsSaved | null>(null);

  const loadDocs = useCallback(async () => {
    try {
      setDocs(await api.get<DocumentSummary[]>("/api/documents"));
    } catch (e) {
      setError(plainError(e));
    }
  }, []);
  useEffect(() => void loadDocs(), [loadDocs]);

  // Read the article against the version on screen; a new version (after a write) reads it again.
  useEffect(() => {
    if (!docId) return;
    let stale = false;
    setBusy("Reading the article against the model…");
    setError(null);
    api
      .post<IngestReport>(`/api/models/${enc(record.id)}/ingest`, { docId, version: record.version })
      .then((r) => {
        if (stale) return;
        setReport(r);
        setDecisions({});
        setCurrent(r.drafts[0]?.id ?? null);
      })
      .catch((e) => !stale && setError(plainError(e)))
      .finally(() => !stale && setBusy(null));
    return () => {
      stale = true;
    };
  }, [docId, record.id, record.version]);

  const shown = useMemo(
    () => (report?.drafts ?? []).filter((d) => d.confidence >= minConf - 1e-9),
    [report, minConf],
  );
  const gap = report?.gaps.find((g) => g.id === current) ?? null;
  const toRead = report?.gaps.filter((g) => g.reason === "no-claim").length ?? 0;
  const unplaced = (report?.gaps.length ?? 0) - toRead;
  const draft = gap ? null : (shown.find((d) => d.id === current) ?? shown[0] ?? null);
  const toWrite = Object.entries(decisions).filter(
    ([id, d]) =>
      d.action !== "reject" &&
      (report?.drafts.some((x) => x.id === id) || report?.gaps.some((g) => g.id === id)),
  );

  const decideGap = (id: string, dec: Decision | null) => {
    setDecisions((all) => {
      const next = { ...all };
      if (dec) next[id] = dec;
      else delete next[id];
      return next;
    });
    setSaved(null);
  };

  const decide = (d: Draft, dec: Decision | null) => {
    setDecisions((all) => {
      const next = { ...all };
      if (dec) next[d.id] = dec;
      else delete next[d.id];
      return next;
    });
    setSaved(null);
    if (!dec) return;
    // On to the next draft not yet decided.
    const i = shown.findIndex((x) => x.id === d.id);
    const after = [...shown.slice(i + 1), ...shown.slice(0, i)].find(
      (x) => x.id !== d.id && !decisions[x.id],
    );
    if (after) setCurrent(after.id);
  };

  async function onUpload(files: FileList | null) {
    const f = files?.[0];
    if (!f) return;
    setBusy(`Adding ${f.name} to the corpus…`);
    setError(null);
    setSaved(null);
    try {
      const r = await addDocumentFile(f);
      await loadDocs();
      setDocId(r.id);
    } catch (e) {
      setError(plainError(e));
    } finally {
      setBusy(null);
    }
  }

  async function write() {
    if (!report || !docId || toWrite.length === 0) return;
    setBusy(`Writing ${toWrite.length} decisions…`);
    setError(null);
    try {
      const r = await api.post<DraftsSaved>(`/api/models/${enc(record.id)}/drafts`, {
        docId,
        baseVersion: report.version,
        decisions: toWrite.map(([id, d]) => ({
          id,
          action: d.action,
          ...(d.strength !== undefined ? { strength: d.strength } : {}),
          ...(d.from !== undefined ? { from: d.from } : {}),
          ...(d.to !== undefined ? { to: d.to } : {}),
          ...(d.teach !== undefined ? { teach: d.teach } : {}),
        })),
      });
      setSaved(r);
      await ctx.reload();
    } catch (e) {
      setError(plainError(e));
      if ((e as { status?: number }).status === 409) await ctx.reload();
    } finally {
      setBusy(null);
    }
  }

  const docTitle = (d: DocumentSummary) => d.title ?? d.fileName ?? d.id.slice(0, 12);
  return (
    <div className="review-view" aria-busy={busy ? true : undefined}>
      <div className="review-bar">
        <label>
          <span>Article</span>
          <select
            aria-label="Article"
            value={docId ?? ""}
            onChange={(e) => {
              setSaved(null);
              setDocId(e.target.value || null);
            }}
          >
            <option value="">Choose an article of the corpus…</option>
            {docs?.map((d) => (
              <option key={d.id} value={d.id}>
                {docTitle(d)}
                {d.version > 1 ? ` (v${d.version})` : ""}
              </option>
            ))}
          </select>
        </label>
        <label className="file-btn">
          Ingest an article…
          <input
            type="file"
            aria-label="Ingest an article (.txt, .html or .pdf)"
            accept=".txt,.md,.html,.htm,.pdf,text/plain,text/html,application/pdf"
            onChange={(e) => {
              void onUpload(e.target.files);
              e.target.value = "";
            }}
            disabled={!!busy}
          />
        </label>
        <label className="conf-filter">
          <span>Minimum confidence</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={minConf}
            aria-label="Minimum confidence"
            onChange={(e) => setMinConf(Number(e.target.value))}
          />
          <span className="num">{Math.round(minConf * 100)} %</span>
        </label>
      </div>
      {busy && (
        <p className="run-panel running" role="status">
          {busy}
        </p>
      )}
      {error && (
        <div className="run-panel error" role="alert">
          {error}
        </div>
      )}
      {saved && (
        <div className="run-panel ok review-saved" role="status">
          Saved version {saved.version}: {saved.message}
          {saved.source.added ? ` (source '${saved.source.id}' added to the model)` : ""}.{" "}
          <button type="button" className="link" onClick={() => ctx.go("build")}>
            See it in Build
          </button>{" "}
          ·{" "}
          <button type="button" className="link" onClick={() => ctx.go("model")}>
            in the matrix
          </button>
        </div>
      )}
      {!docId && !busy && (
        <p className="muted">
          Choose an article of the corpus, or ingest a new one (.txt, .html or .pdf): each sentence that says
          how one state of the model pushes another becomes a draft judgment for you to review.
        </p>
      )}
      {report && docId === report.document.id && (
        <div className="review-body">
          <aside className="review-queue card">
            <h2>Drafts</h2>
            <p className="muted small">
              {report.document.title ?? report.document.fileName} · read against version {report.version} ·
              source '{report.source.id}'{report.source.inModel ? "" : " (new: added with the first write)"} ·{" "}
              {report.drafts.length} drafts
              {shown.length < report.drafts.length
                ? `, ${report.drafts.length - shown.length} below the cut`
                : ""}
              {unplaced ? ` · ${unplaced} claim${unplaced === 1 ? "" : "s"} the model has no place for` : ""}
              {toRead ? ` · ${toRead} sentence${toRead === 1 ? "" : "s"} to read` : ""}
            </p>
            {shown.length === 0 && <p className="muted">No draft at this confidence.</p>}
            <ol className="draft-list">
              {shown.map((d) => (
                <li key={d.id}>
                  <DraftLine
                    lookup={lookup}
                    draft={d}
                    decision={decisions[d.id]}
                    selected={d.id === draft?.id}
                    onSelect={() => setCurrent(d.id)}
                  />
                </li>
              ))}
            </ol>
            {report.gaps.length > 0 && (
              <>
                <h2 className="gaps-head">Claims without a place</h2>
                <p className="muted small">
                  The reading found these claims but no state for one side, or these sentences name two
                  factors but gave no claim: place one in a cell to write it.
                </p>
                <ol className="draft-list gap-list" aria-label="Claims without a place">
                  {report.gaps.map((g) => (
                    <li key={g.id}>
                      <GapLine
                        lookup={lookup}
                        gap={g}
                        decision={decisions[g.id]}
                        selected={g.id === gap?.id}
                        onSelect={() => setCurrent(g.id)}
                      />
                    </li>
                  ))}
                </ol>
              </>
            )}
            <div className="review-write">
              <button
                type="button"
                className="primary"
                disabled={toWrite.length === 0 || !!busy}
                onClick={() => void write()}
              >
                Write {toWrite.length} decision{toWrite.length === 1 ? "" : "s"}
              </button>
              <span className="muted small">
                {Object.values(decisions).filter((d) => d.action === "reject").length} rejected · one new
                version
              </span>
            </div>
          </aside>
          <div className="review-main">
            {gap && (
              <GapCard
                key={gap.id}
                lookup={lookup}
                gap={gap}
                decision={decisions[gap.id]}
                lines={report.lines}
                quotes={report.quotes}
                onDecide={(dec) => decideGap(gap.id, dec)}
              />
            )}
            {draft && (
              <DraftCard
                key={draft.id}
                lookup={lookup}
                draft={draft}
                index={shown.indexOf(draft)}
                total={shown.length}
                decision={decisions[draft.id]}
                lines={report.lines}
                quotes={report.quotes}
                onDecide={(dec) => decide(draft, dec)}
              />
            )}
            <ReviewDocument report={report} draft={gap ?? draft} />
          </div>
        </div>
      )}
    </div>
  );
}
