// Models in and out of the app: import a .scw, YAML/JSON model or matrix CSV (button or drop
// onto the page), export the version on screen in the same formats, and make its report (the
// full analysis run as a job, then rendered as HTML or PDF by the server).
import { type DragEvent, useRef, useState } from "react";
import type { ModelCtx } from "../../App";
import { api, enc, plainError, runEngine } from "../../api";

const ACCEPT = ".scw,.yaml,.yml,.json,.csv";

/** Reads a dropped or chosen file and imports it as a new model; returns the new model's id. */
export async function importFile(file: File): Promise<string> {
  const text = await file.text();
  const saved = await api.post<{ id: string }>("/api/model-imports", { text, fileName: file.name });
  return saved.id;
}

export function FilesBar({
  ctx,
  onMessage,
}: {
  ctx: ModelCtx;
  onMessage: (kind: "ok" | "error", text: string) => void;
}) {
  const { record } = ctx;
  const input = useRef<HTMLInputElement>(null);
  const [report, setReport] = useState<{ busy: boolean; runId?: number; progress?: string }>({ busy: false });
  const base = `/api/models/${enc(record.id)}/export?version=${record.version}&format=`;

  const importChosen = async (file: File | undefined) => {
    if (!file) return;
    try {
      const id = await importFile(file);
      onMessage("ok", `Imported ${file.name} as the model '${id}'.`);
      await ctx.open(id);
    } catch (e) {
      onMessage("error", `${file.name}: ${plainError(e)}`);
    }
  };
  const makeReport = async () => {
    setReport({ busy: true, progress: "starting" });
    try {
      const run = await runEngine(record.id, "analyze", {}, record.version, (r) =>
        setReport({ busy: true, runId: r.runId, progress: r.progress?.message ?? r.status }),
      );
      if (run.status !== "done") throw new Error(run.error ?? `the analysis ${run.status}`);
      setReport({ busy: false, runId: run.runId });
      window.open(`/api/runs/${run.runId}/report`, "_blank", "noopener");
    } catch (e) {
      setReport({ busy: false });
      onMessage("error", `The report could not be made: ${plainError(e)}`);
    }
  };

  return (
    <div className="files-bar">
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        aria-label="Import a model file"
        data-testid="import-input"
        onChange={(e) => {
          void importChosen(e.target.files?.[0]);
          e.target.value = "";
        }}
      />
      <button
        type="button"
        onClick={() => input.current?.click()}
        title="A .scw, YAML/JSON model or matrix CSV (or drop it on the page)"
      >
        Import…
      </button>
      <span className="export-links">
        Export{" "}
        {(["yaml", "json", "scw", "csv"] as const).map((f) => (
          <a key={f} href={`${base}${f}`} download>
            {f === "yaml" ? "YAML" : f === "json" ? "JSON" : f === "scw" ? ".scw" : "CSV"}
          </a>
        ))}
      </span>
      <button type="button" onClick={() => void makeReport()} disabled={report.busy}>
        {report.busy ? `Report: ${report.progress ?? "running"}…` : "Make report"}
      </button>
      {report.runId !== undefined && !report.busy && (
        <span className="export-links">
          <a href={`/api/runs/${report.runId}/report`} target="_blank" rel="noreferrer">
            HTML
          </a>
          <a href={`/api/runs/${report.runId}/report?format=pdf`}>PDF</a>
        </span>
      )}
    </div>
  );
}

/** Drop handlers for a model file dropped anywhere on the view. */
export function dropImport(ctx: ModelCtx, onMessage: (kind: "ok" | "error", text: string) => void) {
  return {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes("Files")) e.preventDefault();
    },
    onDrop: async (e: DragEvent) => {
      const file = e.dataTransfer.files[0];
      if (!file) return;
      e.preventDefault();
      try {
        const id = await importFile(file);
        onMessage("ok", `Imported ${file.name} as the model '${id}'.`);
        await ctx.open(id);
      } catch (err) {
        onMessage("error", `${file.name}: ${plainError(err)}`);
      }
    },
  };
}
