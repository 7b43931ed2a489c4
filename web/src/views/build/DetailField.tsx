// The fields of the Details forms: a text (or number, list, condition) field and a choice, each
// writing one value of the model file at its path, with the problems `muscat check` finds at or
// below that path shown right under it. What is typed is written after a short pause (one undo
// step per pause), on Enter and when the field is left; a value from elsewhere (undo, the file
// editor) replaces what the field shows unless it is what the field already says.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { problemsAt, readOptionalText, type Segment, showScalar } from "../../../../src/model/details.js";
import { formatPath } from "../../../../src/model/paths.js";
import type { Model, Problem } from "../../../../src/model/types.js";

/** The edits the forms make; each is one undoable step of the model's text. */
export interface Edits {
  /** Sets a value (undefined removes the key or the list item). */
  set: (path: Segment[], value: unknown) => void;
  /** Adds an item to a list (made if absent) at `index` (default: the end); the item's path, or null. */
  insert: (path: Segment[], value: unknown, index?: number) => Segment[] | null;
  /** Removes an entry after asking ("Remove <what>?", and a note on what follows from it). */
  remove: (path: Segment[], what: string, note?: string) => void;
  /** Every problem of the text, as `muscat check` reports it. */
  problems: Problem[];
  /** The path of the entry just added here, to open and focus it. */
  fresh: string | null;
  /** A stable React key for item `i` of a list of `n` (kept through the forms' own adds and removals). */
  itemKey: (list: Segment[], i: number, n: number) => string;
}

const WAIT_MS = 300;

/** Focus for the first field of an entry just added (the analyst asked for it by adding). */
function useFocusOnMount<T extends HTMLElement>(focus: boolean | undefined) {
  const ref = useRef<T>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount only
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  return ref;
}
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function ProblemList({
  problems,
  names,
  base,
  id,
}: {
  problems: Problem[];
  /** For a row of fields: the field's name before each message (by the key below `base`). */
  names?: Record<string, string>;
  base?: Segment[];
  id?: string;
}) {
  if (problems.length === 0) return null;
  const prefix = base ? formatPath(base) : "";
  return (
    <ul className="df-problems" id={id}>
      {problems.map((p) => {
        const rest = base ? p.path.slice(prefix.length).replace(/^\./, "") : "";
        const key = /^[^.[]+/.exec(rest)?.[0] ?? "";
        const name = names ? (names[key] ?? (rest || "this entry")) : undefined;
        return (
          <li key={`${p.path}|${p.code}|${p.message}`} className={p.severity}>
            <span className="sr-only">{p.severity}: </span>
            {name && <strong>{name}: </strong>}
            {p.message}
          </li>
        );
      })}
    </ul>
  );
}

interface FieldProps {
  label: string;
  path: Segment[];
  /** The value in the file (as written, before validation). */
  value: unknown;
  ed: Edits;
  /** How the value shows in the field (default: the scalar as text). */
  show?: (v: unknown) => string;
  /** What the typed text writes (default: the text, or removal when empty); may throw to refuse. */
  read?: (s: string) => unknown;
  /** A required text: emptied, it is written as "" (and the check says what is wrong). */
  required?: boolean;
  rows?: number;
  placeholder?: string;
  list?: string;
  numeric?: boolean;
  readOnly?: boolean;
  autoFocus?: boolean;
  className?: string;
  /** In a row of fields: the label is for screen readers, the problems show under the row. */
  inRow?: boolean;
  hint?: ReactNode;
}

export function Field(props: FieldProps) {
  const {
    label,
    path,
    value,
    ed,
    rows,
    placeholder,
    list,
    numeric,
    readOnly,
    autoFocus,
    className,
    inRow,
    hint,
  } = props;
  const show = props.show ?? showScalar;
  const read = props.read ?? (props.required ? (s: string) => s.trim() : readOptionalText);
  const shown = show(value);
  const [draft, setDraft] = useState(shown);
  const [refused, setRefused] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ draft, read, value, path, ed });
  latest.current = { draft, read, value, path, ed };
  const id = useId();
  const focusRef = useFocusOnMount<HTMLInputElement & HTMLTextAreaElement>(autoFocus);

  // A change from elsewhere replaces the draft, unless the draft already says it.
  useEffect(() => {
    const l = latest.current;
    let says: unknown;
    try {
      says = l.read(l.draft);
    } catch {
      return; // a draft that cannot be read yet stays as typed
    }
    if (!same(says, value === null ? undefined : value) && !timer.current) {
      setDraft(shown);
      setRefused(null);
    }
  }, [shown, value]);

  const commit = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const l = latest.current;
    let v: unknown;
    try {
      v = l.read(l.draft);
    } catch (e) {
      setRefused(e instanceof Error ? e.message : String(e));
      return;
    }
    setRefused(null);
    if (same(v, l.value === null ? undefined : l.value)) return;
    l.ed.set(l.path, v);
  };
  // Leaving the page (another section) writes what was typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on unmount only
  useEffect(() => () => void (timer.current && commit()), []);

  const own = problemsAt(ed.problems, path);
  const invalid = own.some((p) => p.severity === "error") || refused !== null;
  const msgId = `${id}-msg`;
  const control = {
    id,
    value: draft,
    readOnly,
    placeholder,
    "aria-invalid": invalid || undefined,
    "aria-describedby": own.length || refused ? msgId : undefined,
    "aria-label": inRow ? label : undefined,
    title: inRow && draft ? draft : undefined,
    onChange: (e: { target: { value: string } }) => {
      setDraft(e.target.value);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(commit, WAIT_MS);
    },
    onBlur: () => timer.current && commit(),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === "Enter" && !rows) commit();
      else if (e.key === "Escape") {
        if (timer.current) clearTimeout(timer.current);
        timer.current = null;
        setDraft(shown);
        setRefused(null);
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && timer.current) commit();
    },
  };
  const input = rows ? (
    <textarea ref={focusRef} rows={rows} spellCheck {...control} />
  ) : (
    <input
      ref={focusRef}
      type="text"
      list={list}
      inputMode={numeric ? "decimal" : undefined}
      spellCheck={false}
      {...control}
    />
  );
  const messages = (
    <>
      {refused && (
        <ul className="df-problems" id={own.length ? undefined : msgId}>
          <li className="error">Not written to the file: {refused}</li>
        </ul>
      )}
      {!inRow && <ProblemList problems={own} id={msgId} />}
    </>
  );
  if (inRow)
    return (
      <span className={`df-cell ${className ?? ""}`}>
        {input}
        {messages}
      </span>
    );
  return (
    <div className={`df-field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {input}
      {hint && <span className="df-hint">{hint}</span>}
      {messages}
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
  group?: string;
}

/** A choice among values (an actor, a state, a mode); "" (the first option) removes the key. */
export function ChoiceField({
  label,
  path,
  value,
  ed,
  choices,
  empty,
  inRow,
  autoFocus,
  className,
}: {
  label: string;
  path: Segment[];
  value: unknown;
  ed: Edits;
  choices: Choice[];
  /** The option for "no value" (removes the key), e.g. "— choose —" or "by (the default)". */
  empty: string;
  inRow?: boolean;
  autoFocus?: boolean;
  className?: string;
}) {
  const id = useId();
  const focusRef = useFocusOnMount<HTMLSelectElement>(autoFocus);
  const current = value === undefined || value === null ? "" : String(value);
  const all =
    current && !choices.some((c) => c.value === current)
      ? [...choices, { value: current, label: `${current} (not in the model)` }]
      : choices;
  const groups = [...new Set(all.map((c) => c.group ?? ""))];
  const own = problemsAt(ed.problems, path);
  const select = (
    <select
      id={id}
      ref={focusRef}
      value={current}
      aria-label={inRow ? label : undefined}
      aria-invalid={own.some((p) => p.severity === "error") || undefined}
      aria-describedby={own.length && !inRow ? `${id}-msg` : undefined}
      onChange={(e) => ed.set(path, e.target.value === "" ? undefined : e.target.value)}
    >
      <option value="">{empty}</option>
      {groups.map((g) =>
        g ? (
          <optgroup key={g} label={g}>
            {all
              .filter((c) => c.group === g)
              .map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
          </optgroup>
        ) : (
          all
            .filter((c) => !c.group)
            .map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))
        ),
      )}
    </select>
  );
  if (inRow) return <span className={`df-cell ${className ?? ""}`}>{select}</span>;
  return (
    <div className={`df-field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {select}
      <ProblemList problems={own} id={`${id}-msg`} />
    </div>
  );
}

/** A row's problems under the row, each with the name of its field. */
export function RowProblems({
  ed,
  base,
  names,
}: {
  ed: Edits;
  base: Segment[];
  names: Record<string, string>;
}) {
  return <ProblemList problems={problemsAt(ed.problems, base)} names={names} base={base} />;
}

/**
 * A card for one entry (an issue, a question, a source), folded by default (a new one opens):
 * its name, its problems counted, and a line about it, cut to the width.
 */
export function EntryCard({
  title,
  detail,
  open: initiallyOpen,
  problems,
  children,
}: {
  title: ReactNode;
  detail?: ReactNode;
  open: boolean;
  problems: Problem[];
  children: ReactNode;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  return (
    <details className="df-card" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="df-summary">{title}</span>
        {errors > 0 && (
          <span className="df-count error">
            {errors} problem{errors === 1 ? "" : "s"}
          </span>
        )}
        {warnings > 0 && (
          <span className="df-count warning">
            {warnings} warning{warnings === 1 ? "" : "s"}
          </span>
        )}
        {detail && <span className="df-detail"> {detail}</span>}
      </summary>
      {open && <div className="df-card-body">{children}</div>}
    </details>
  );
}

/** The model's actors to choose from, by name. */
export function actorChoices(model: Model): Choice[] {
  return model.actors.map((a) => ({ value: a.id, label: a.name }));
}

/** The model's states to choose from (`factor=state`), grouped by factor. */
export function stateChoices(model: Model): Choice[] {
  return model.factors.flatMap((f) =>
    f.states.map((s) => ({ value: `${f.id}=${s.id}`, label: s.label, group: f.name })),
  );
}

/** The states as `factor=state` suggestions for a text field (`list="df-state-refs"`). */
export function StateRefList({ model }: { model: Model }) {
  return (
    <datalist id="df-state-refs">
      {model.factors.flatMap((f) =>
        f.states.map((s) => (
          <option key={`${f.id}=${s.id}`} value={`${f.id}=${s.id}`}>
            {f.short}: {s.label}
          </option>
        )),
      )}
    </datalist>
  );
}

/** An id not yet taken: `base-1`, `base-2`, … */
export function freeId(base: string, taken: unknown[]): string {
  const ids = new Set(
    taken.map((x) => (x && typeof x === "object" ? (x as { id?: unknown }).id : undefined)),
  );
  let k = taken.length + 1;
  while (ids.has(`${base}-${k}`)) k++;
  return `${base}-${k}`;
}

/** The list at a key of the file's data ([] when absent or not a list). */
export function listAt(data: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = data[key];
  return Array.isArray(v)
    ? v.map((x) => (x && typeof x === "object" ? (x as Record<string, unknown>) : {}))
    : [];
}
