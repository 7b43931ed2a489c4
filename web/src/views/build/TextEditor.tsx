// The model file itself, for what the outline, the grid and the Details forms do not cover
// (dynamics, uncertainty, descriptions of factors and states, …) or to edit anything as text:
// validated as it is typed with the messages of `muscat check` (line and column), each pause
// one undoable step.
import { useEffect, useRef, useState } from "react";
import type { Problem } from "../../../../src/model/types.js";

export function TextEditor({
  text,
  problems,
  onChange,
}: {
  text: string;
  problems: Problem[];
  onChange: (text: string) => void;
}) {
  const [draft, setDraft] = useState(text);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  // A change from elsewhere (undo, a form, a save) replaces the draft.
  useEffect(() => setDraft(text), [text]);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);

  const goTo = (line?: number) => {
    const el = area.current;
    if (!el || !line) return;
    const at =
      draft
        .split("\n")
        .slice(0, line - 1)
        .join("\n").length + (line > 1 ? 1 : 0);
    el.focus();
    el.setSelectionRange(at, at);
    el.scrollTop = Math.max(0, (line - 5) * 18);
  };
  const shown = problems.slice(0, 12);
  return (
    <div className="text-editor">
      <textarea
        ref={area}
        aria-label="The model file"
        spellCheck={false}
        value={draft}
        onChange={(e) => {
          const v = e.target.value;
          setDraft(v);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => onChange(v), 400);
        }}
        onBlur={() => {
          if (timer.current) clearTimeout(timer.current);
          if (draft !== text) onChange(draft);
        }}
      />
      {shown.length > 0 && (
        <ul className="text-problems" aria-label="Problems in the file">
          {shown.map((p) => (
            <li key={`${p.path}-${p.line}-${p.message}`} className={p.severity}>
              <button type="button" className="link" onClick={() => goTo(p.line)}>
                {p.line ? `line ${p.line}${p.column ? `:${p.column}` : ""}` : p.path}
              </button>{" "}
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
