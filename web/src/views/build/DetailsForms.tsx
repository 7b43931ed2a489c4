// The Build view's Details: forms for what the outline and the grid do not cover — the model's
// metadata, stakes, bargaining issues with their positions, questions and sources. Each field
// writes one value of the model file (src/model/details.ts: a splice, comments and layout kept)
// as one undoable step, and shows the problems `muscat check` finds at its path as it is typed.
// The forms read the file as written, so a value the check rejects stays on screen to be fixed.
import { useCallback, useMemo, useRef, useState } from "react";
import { insertInModel, readModelData, type Segment, setInModel } from "../../../../src/model/details.js";
import { formatPath } from "../../../../src/model/paths.js";
import type { Model, Problem } from "../../../../src/model/types.js";
import type { Edits } from "./DetailField";
import { IssuesForm } from "./IssuesForm";
import { MetaForm } from "./MetaForm";
import { QuestionsForm } from "./QuestionsForm";
import { SourcesForm } from "./SourcesForm";
import { StakesForm } from "./StakesForm";

type Section = "meta" | "stakes" | "issues" | "questions" | "sources";
const SECTIONS: { id: Section; label: string; key?: string }[] = [
  { id: "meta", label: "Metadata" },
  { id: "stakes", label: "Stakes", key: "stakes" },
  { id: "issues", label: "Bargaining issues", key: "issues" },
  { id: "questions", label: "Questions", key: "questions" },
  { id: "sources", label: "Sources", key: "sources" },
];
/** Top-level keys the metadata form shows (their problems count for its tab). */
const META_KEYS = ["$schema", "format", "id", "title", "description", "asOf", "step", "scale"];

const topKey = (p: Problem) => /^[^.[]+/.exec(p.path)?.[0] ?? "";

export function DetailsForms({
  model,
  text,
  problems,
  onChange,
}: {
  /** The model as last read without errors: actors, states and sources to choose from. */
  model: Model;
  text: string;
  problems: Problem[];
  /** Records the new text as one undoable step. */
  onChange: (text: string) => void;
}) {
  const read = useMemo(() => readModelData(text), [text]);
  const [section, setSection] = useState<Section>("meta");
  const [failure, setFailure] = useState<string | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);

  // Edits build on the newest text, also when two land before the next render (a field left by
  // clicking another's button).
  const base = useRef(text);
  const seen = useRef(text);
  if (seen.current !== text) {
    seen.current = text;
    base.current = text;
  }
  // Stable keys for list items, kept through the forms' own adds and removals.
  const keys = useRef(new Map<string, string[]>());
  const counter = useRef(0);
  const itemKey = useCallback((list: Segment[], i: number, n: number) => {
    const at = formatPath(list);
    let ks = keys.current.get(at);
    if (!ks || ks.length !== n) {
      ks = Array.from({ length: n }, () => `k${counter.current++}`);
      keys.current.set(at, ks);
    }
    return ks[i];
  }, []);

  const run = useCallback(
    (edit: (t: string) => string): boolean => {
      try {
        const next = edit(base.current);
        base.current = next;
        setFailure(null);
        onChange(next);
        return true;
      } catch (e) {
        setFailure(e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    [onChange],
  );

  const ed: Edits = useMemo(
    () => ({
      problems,
      fresh,
      itemKey,
      set: (path, value) => void run((t) => setInModel(t, path, value)),
      insert: (path, value, index) => {
        const list = readModelData(base.current).data;
        let n = 0;
        let v: unknown = list;
        for (const s of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[s] : undefined;
        if (Array.isArray(v)) n = v.length;
        const at = index ?? n;
        if (!run((t) => insertInModel(t, path, value, at))) return null;
        const ks = keys.current.get(formatPath(path));
        if (ks && ks.length === n) ks.splice(at, 0, `k${counter.current++}`);
        const itemPath = [...path, at];
        setFresh(formatPath(itemPath));
        return itemPath;
      },
      remove: (path, what, note) => {
        if (!window.confirm(`Remove ${what}?${note ? `\n\n${note}` : ""}`)) return;
        const list = path.slice(0, -1);
        const i = path[path.length - 1];
        const ks = keys.current.get(formatPath(list));
        if (run((t) => setInModel(t, path, undefined)) && ks && typeof i === "number") ks.splice(i, 1);
      },
    }),
    [problems, fresh, itemKey, run],
  );

  const data = read.data;
  if (!data)
    return (
      <div className="details-forms">
        <p className="df-banner error" role="alert">
          The model file cannot be read ({read.error}). Fix it under “Model file”; the forms come back when it
          reads.
        </p>
      </div>
    );
  const count = (key: string) => (Array.isArray(data[key]) ? (data[key] as unknown[]).length : 0);
  const problemsOf = (s: (typeof SECTIONS)[number]) =>
    problems.filter((p) =>
      s.key ? topKey(p) === s.key : META_KEYS.includes(topKey(p)) || topKey(p) === "(top level)",
    );

  return (
    <div className="details-forms">
      {/* biome-ignore lint/a11y/useSemanticElements: a segmented control */}
      <div className="segmented df-sections" role="group" aria-label="Details">
        {SECTIONS.map((s) => {
          const ps = problemsOf(s);
          const errs = ps.filter((p) => p.severity === "error").length;
          return (
            <button
              key={s.id}
              type="button"
              aria-pressed={section === s.id}
              onClick={() => {
                setSection(s.id);
                setFresh(null);
              }}
            >
              {s.label}
              {s.key && <span className="df-n"> {count(s.key)}</span>}
              {errs > 0 && (
                <span className="df-count error">
                  {" "}
                  {errs} problem{errs === 1 ? "" : "s"}
                </span>
              )}
            </button>
          );
        })}
      </div>
      {failure && (
        <p className="df-banner error" role="alert">
          {failure}
        </p>
      )}
      {section === "meta" && <MetaForm data={data} ed={ed} />}
      {section === "stakes" && <StakesForm data={data} model={model} ed={ed} />}
      {section === "issues" && <IssuesForm data={data} model={model} ed={ed} />}
      {section === "questions" && <QuestionsForm data={data} model={model} ed={ed} />}
      {section === "sources" && <SourcesForm data={data} ed={ed} />}
    </div>
  );
}
