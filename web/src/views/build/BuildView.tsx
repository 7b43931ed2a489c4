// Build view: make or reshape a model in the app. The model's text is edited here, in the
// browser, by the same operations and validator as the command line (src/model/ops.ts,
// parseModelText), with undo and redo; the kernel of every edit comes from the CIB engine in a
// web worker within a few milliseconds, with what appeared and vanished marked. Saving sends
// the text as a new version.
import { useCallback, useEffect, useMemo, useState } from "react";
import { compileModel } from "../../../../src/model/compile.js";
import { setInModelText } from "../../../../src/model/edit.js";
import { parseModelText } from "../../../../src/model/load.js";
import { matrixView } from "../../../../src/model/matrix-view.js";
import { applyOp, blankModel, lastParsed, type ModelOp, previewRemoval } from "../../../../src/model/ops.js";
import type { Model, StateRef } from "../../../../src/model/types.js";
import type { ModelCtx } from "../../App";
import { api, enc, plainError } from "../../api";
import { useKernel } from "../../engine/useKernel";
import { CellNote } from "./CellNote";
import { DetailsForms } from "./DetailsForms";
import { type Cell, EntryGrid } from "./EntryGrid";
import { dropImport, FilesBar } from "./FilesBar";
import { LivePanel } from "./LivePanel";
import { Outline } from "./Outline";
import { TextEditor } from "./TextEditor";
import { useHistory } from "./useHistory";

const refOf = (label: string): StateRef => {
  const [factor, state] = label.split("=");
  return { factor, state };
};

export function BuildView({ ctx }: { ctx: ModelCtx }) {
  const { record } = ctx;
  const history = useHistory(record.text);
  const { text } = history;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version (saved here or elsewhere) starts a new history
  useEffect(() => history.reset(record.text), [record.id, record.version]);

  // The text parsed as the command line parses it; the last valid model stays on screen while
  // the text has errors.
  const parsed = useMemo(() => lastParsed(text) ?? parseModelText(text), [text]);
  const [lastGood, setLastGood] = useState<Model>(record.model);
  useEffect(() => {
    if (parsed.model) setLastGood(parsed.model);
  }, [parsed]);
  const model = parsed.model ?? lastGood;
  const view = useMemo(() => matrixView(model, compileModel(model)), [model]);
  const saved = useMemo(() => matrixView(record.model, compileModel(record.model)), [record.model]);
  const marked = useMemo(() => {
    const out = new Set<string>();
    if (saved.labels.join() !== view.labels.join()) return out;
    view.rows.forEach((row, r) => row.forEach((v, c) => v !== saved.rows[r][c] && out.add(`${r}-${c}`)));
    return out;
  }, [view, saved]);

  // The saved version's kernel is the reference for scenario ids.
  const [reference, setReference] = useState<Record<string, string>[]>([]);
  const kernel = useKernel(parsed.model ?? null, parsed.problems, reference);
  // biome-ignore lint/correctness/useExhaustiveDependencies: take the reference once per version
  useEffect(() => setReference([]), [record.version]);
  useEffect(() => {
    const r = kernel.result;
    if (reference.length === 0 && text === record.text && r && r.hash !== null)
      setReference(r.scenarios.map((s) => s.states));
  }, [kernel.result, reference.length, text, record.text]);

  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [selected, setSelected] = useState<Cell | null>(null);
  const [unjudgedOnly, setUnjudgedOnly] = useState(false);
  const [mode, setMode] = useState<"matrix" | "details" | "file">("matrix");

  const apply = useCallback(
    (ops: ModelOp | ModelOp[]): string | null => {
      try {
        // Several operations are one undo step.
        const list = Array.isArray(ops) ? ops : [ops];
        history.change(list.reduce((t, op) => applyOp(t, op).text, history.text));
        setMessage(null);
        return null;
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        setMessage({ kind: "error", text: m });
        return m;
      }
    },
    [history],
  );
  const confirmRemoval = (op: ModelOp, what: string) => {
    let goes: string[] = [];
    try {
      goes = previewRemoval(history.text, op);
    } catch {
      return true; // applyOp reports the problem
    }
    if (goes.length === 0) return true;
    return window.confirm(
      `Removing ${what} also removes:\n${goes.slice(0, 15).join("\n")}${goes.length > 15 ? `\n… and ${goes.length - 15} more` : ""}\n\nRemove it?`,
    );
  };
  const setCell = (c: Cell, strength: number | null) =>
    apply({ op: "setCell", from: refOf(view.labels[c.r]), to: refOf(view.labels[c.c]), strength });
  const paste = (at: Cell, rows: (number | null)[][]) => {
    let t = history.text;
    try {
      rows.forEach((row, i) =>
        row.forEach((v, j) => {
          const r = at.r + i;
          const c = at.c + j;
          if (r >= view.labels.length || c >= view.labels.length) return;
          const from = refOf(view.labels[r]);
          const to = refOf(view.labels[c]);
          if (from.factor === to.factor) return;
          t = applyOp(t, { op: "setCell", from, to, strength: v }).text;
        }),
      );
      history.change(t);
      setMessage({
        kind: "ok",
        text: `Pasted ${rows.length} × ${rows[0]?.length ?? 0} values (one undo step).`,
      });
    } catch (e) {
      setMessage({ kind: "error", text: `Nothing pasted: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "z") return;
      if ((e.target as HTMLElement)?.tagName === "TEXTAREA") return;
      e.preventDefault();
      if (e.shiftKey) history.redo();
      else history.undo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [history]);

  const dirty = text !== record.text;
  const errors = parsed.problems.filter((p) => p.severity === "error");
  const save = async () => {
    try {
      await api.put(`/api/models/${enc(record.id)}`, { text, baseVersion: record.version });
      setMessage({ kind: "ok", text: `Saved as version ${record.version + 1}.` });
      await ctx.reload();
    } catch (e) {
      setMessage({ kind: "error", text: plainError(e) });
    }
  };
  const create = async (source: "blank" | "copy") => {
    const title = window.prompt(
      source === "blank" ? "Title of the new model" : "Title of the copy",
      source === "copy" ? `${model.title} (copy)` : "",
    );
    if (!title) return;
    const id = title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
    try {
      const newText =
        source === "blank"
          ? blankModel({ id, title, asOf: new Date().toISOString().slice(0, 10) })
          : setInModelText(applyOp(text, { op: "setMeta", title }).text, ["id"], id);
      await api.post(`/api/models`, {
        text: newText,
        message: source === "blank" ? "new model" : `copy of ${record.id}`,
      });
      await ctx.open(id);
    } catch (e) {
      setMessage({ kind: "error", text: plainError(e) });
    }
  };

  const sel =
    selected && selected.r < view.labels.length && selected.c < view.labels.length ? selected : null;
  const selCell = sel ? view.cells.find((c) => c.row === sel.r && c.column === sel.c) : undefined;

  return (
    <div className="build-view" {...dropImport(ctx, (kind, text) => setMessage({ kind, text }))}>
      <div className="build-toolbar" role="toolbar" aria-label="Editing">
        <button type="button" onClick={() => void create("blank")}>
          New model
        </button>
        <button type="button" onClick={() => void create("copy")}>
          Copy this model
        </button>
        <span className="sep" />
        <button type="button" onClick={history.undo} disabled={!history.canUndo} title="Ctrl+Z">
          Undo
        </button>
        <button type="button" onClick={history.redo} disabled={!history.canRedo} title="Ctrl+Shift+Z">
          Redo
        </button>
        <span className="sep" />
        <button
          type="button"
          className="primary"
          onClick={() => void save()}
          disabled={!dirty || errors.length > 0}
        >
          Save as version {record.version + 1}
        </button>
        <span className="status" aria-live="polite">
          {errors.length > 0
            ? `${errors.length} problem${errors.length === 1 ? "" : "s"} to fix before saving`
            : dirty
              ? "unsaved changes"
              : `version ${record.version}, saved`}
        </span>
        <label className="inline-check">
          <input type="checkbox" checked={unjudgedOnly} onChange={(e) => setUnjudgedOnly(e.target.checked)} />{" "}
          Only rows with unjudged cells
        </label>
      </div>
      <FilesBar ctx={ctx} onMessage={(kind, text) => setMessage({ kind, text })} />
      {message && (
        <p
          className={message.kind === "ok" ? "ok-msg" : "error-text"}
          role={message.kind === "error" ? "alert" : "status"}
        >
          {message.text}
        </p>
      )}
      <div className="build-cols">
        <Outline model={model} apply={apply} confirmRemoval={confirmRemoval} />
        <div className="build-main">
          {/* biome-ignore lint/a11y/useSemanticElements: a segmented control */}
          <div className="segmented" role="group" aria-label="Edit">
            <button type="button" aria-pressed={mode === "matrix"} onClick={() => setMode("matrix")}>
              Judgments
            </button>
            <button type="button" aria-pressed={mode === "details"} onClick={() => setMode("details")}>
              Details
            </button>
            <button type="button" aria-pressed={mode === "file"} onClick={() => setMode("file")}>
              Model file
            </button>
          </div>
          {mode === "file" ? (
            <TextEditor text={text} problems={parsed.problems} onChange={history.change} />
          ) : mode === "details" ? (
            <DetailsForms model={model} text={text} problems={parsed.problems} onChange={history.change} />
          ) : (
            <>
              <EntryGrid
                model={model}
                view={view}
                selected={sel}
                onSelect={setSelected}
                onSet={setCell}
                onPaste={paste}
                unjudgedOnly={unjudgedOnly}
                marked={marked}
              />
              {sel && (
                <CellNote
                  key={`${sel.r}-${sel.c}-${selCell?.rationale ?? ""}`}
                  model={model}
                  label={`${view.labels[sel.r]} → ${view.labels[sel.c]}`}
                  from={refOf(view.labels[sel.r])}
                  to={refOf(view.labels[sel.c])}
                  strength={selCell?.strength ?? null}
                  rationale={selCell?.rationale ?? ""}
                  confidence={
                    selCell ? model.impacts[selCell.sources[0]?.impact ?? -1]?.confidence : undefined
                  }
                  evidence={selCell?.evidence ?? []}
                  apply={apply}
                  onRationale={(rationale) =>
                    selCell
                      ? apply({
                          op: "setCell",
                          from: refOf(selCell.from),
                          to: refOf(selCell.to),
                          strength: selCell.strength,
                          rationale,
                        })
                      : setMessage({
                          kind: "error",
                          text: "Type a strength first: a rationale belongs to a judgment.",
                        })
                  }
                />
              )}
            </>
          )}
        </div>
        <LivePanel
          kernel={kernel}
          model={model}
          problems={parsed.problems}
          onName={(states, name) => {
            // A named scenario: all its states, appended to the model's `scenarios` (or the
            // entry with the same states renamed).
            const refs = Object.entries(states).map(([f, st]) => `${f}=${st}`);
            const list = model.scenarios ?? [];
            const same = list.findIndex(
              (x) =>
                x.states.length === refs.length &&
                x.states.every((r) => refs.includes(`${r.factor}=${r.state}`)),
            );
            try {
              const next =
                same >= 0
                  ? setInModelText(text, ["scenarios", same, "name"], name)
                  : list.length
                    ? setInModelText(text, ["scenarios", list.length], { name, states: refs })
                    : setInModelText(text, ["scenarios"], [{ name, states: refs }]);
              history.change(next);
            } catch (e) {
              setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
            }
          }}
        />
      </div>
    </div>
  );
}
