// The analyst's own cell in the review queue: the model's judgment of any cell, a strength's
// relation to it, the picker of one state that offers the reading's candidates first, and the
// words of the sentence an analyst teaches the model for the states of the cell.
import { judgedCell } from "../../../src/evidence/relation.js";
import { phraseProblem, phraseText } from "../../../src/model/ops.js";
import type { Lookup } from "../lookup";
import type { Model } from "../types";

/** The model's own (author-less) judgment of a cell, if any (relation.ts judgedCell). */
export function cellJudgment(model: Model, from: string, to: string): number | undefined {
  return judgedCell(model, from, to)?.strength;
}

/**
 * A choice of one state of the model: the reading's candidates first ("Suggested"), then every
 * state by factor.
 */
export function StatePicker({
  lookup,
  label,
  value,
  suggested,
  onChange,
}: {
  lookup: Lookup;
  label: string;
  value: string;
  suggested: string[];
  onChange: (id: string) => void;
}) {
  const name = (id: string) => lookup.refName(id)?.long ?? id;
  return (
    <label className="state-pick">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {!value && <option value="">Choose a state…</option>}
        {suggested.length > 0 && (
          <optgroup label="Suggested by the reading">
            {suggested.map((id) => (
              <option key={`s-${id}`} value={id}>
                {name(id)}
              </option>
            ))}
          </optgroup>
        )}
        {lookup.model.factors.map((f) => (
          <optgroup key={f.id} label={f.name}>
            {f.states.map((st) => (
              <option key={st.id} value={`${f.id}=${st.id}`}>
                {name(`${f.id}=${st.id}`)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** The strength the analyst gives, an integer on the model's scale (checked by the caller). */
export function StrengthInput({
  lookup,
  value,
  invalid,
  placeholder,
  onChange,
}: {
  lookup: Lookup;
  value: string;
  invalid: boolean;
  placeholder?: string;
  onChange: (v: string) => void;
}) {
  const { min, max } = lookup.model.scale;
  return (
    <label className="strength-edit">
      <span>Strength</span>
      <input
        type="number"
        min={min}
        max={max}
        step={1}
        value={value}
        placeholder={placeholder}
        aria-label="Strength"
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** The problem with words to teach (the model's own rule, ops.ts), or null when fine or blank. */
export const teachProblem = (words: string): string | null =>
  phraseText(words) === "" ? null : phraseProblem(words);

/** The words to send for one side (none when blank or refused). */
export const teachWords = (words: string): string[] | undefined =>
  phraseText(words) && !teachProblem(words) ? [phraseText(words)] : undefined;

/**
 * Words of the sentence that named the cell's two states, to add to those states' keywords so
 * that a later article worded so maps there ("come out of hibernation" for the factions'
 * reassertion). Optional: blank teaches nothing.
 */
export function TeachWords({
  lookup,
  id,
  from,
  to,
  value,
  suggest = {},
  onChange,
}: {
  lookup: Lookup;
  /** The draft's or gap's id, for the fields' suggestion lists. */
  id: string;
  from: string;
  to: string;
  value: { from: string; to: string };
  /** Phrases of the sentence offered for each side (a gap's noun phrases of its missing side). */
  suggest?: { from?: string[]; to?: string[] };
  onChange: (v: { from: string; to: string }) => void;
}) {
  const row = (end: "from" | "to", state: string) => {
    const problem = teachProblem(value[end]);
    const name = lookup.refName(state)?.long ?? state;
    const offered = (suggest[end] ?? []).filter((p) => !teachProblem(p));
    const list = offered.length ? `teach-${id}-${end}` : undefined;
    return (
      <label className="teach-words">
        <span>
          Words here for <em>{state ? name : "the state"}</em>
        </span>
        <input
          type="text"
          value={value[end]}
          maxLength={60}
          disabled={!state}
          placeholder="e.g. the phrase that said it"
          aria-label={`Words for the ${end === "from" ? "condition" : "consequence"}`}
          aria-invalid={problem !== null}
          list={list}
          onChange={(e) => onChange({ ...value, [end]: e.target.value })}
        />
        {list && (
          <datalist id={list}>
            {offered.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        )}
        {problem && <span className="small error-text">{problem}</span>}
      </label>
    );
  };
  return (
    <details className="teach">
      <summary>Teach the model these words</summary>
      <p className="muted small">
        Added to the states' keywords when you write: the next article that says it so maps there.
      </p>
      {row("from", from)}
      {row("to", to)}
    </details>
  );
}

/**
 * Names in the sentence the model has no actor for, each to add to an actor's aliases ("Saraya
 * Awliya al-Dam" for the Iraqi factions). The name can be mended (the reading may have cut it);
 * no actor chosen teaches nothing.
 */
export function TeachNames({
  lookup,
  names,
  value,
  onChange,
}: {
  lookup: Lookup;
  names: string[];
  value: { name: string; actor: string }[];
  onChange: (v: { name: string; actor: string }[]) => void;
}) {
  if (names.length === 0) return null;
  const rows = names.map((n, k) => value[k] ?? { name: n, actor: "" });
  const set = (k: number, patch: Partial<{ name: string; actor: string }>) =>
    onChange(rows.map((r, i) => (i === k ? { ...r, ...patch } : r)));
  return (
    <details className="teach">
      <summary>Names the model does not know</summary>
      {rows.map((r, k) => {
        const problem = teachProblem(r.name) ?? (r.name.trim() ? null : "a name");
        return (
          <div key={names[k]} className="teach-name">
            <input
              type="text"
              value={r.name}
              maxLength={60}
              aria-label={`Name ${k + 1}`}
              aria-invalid={r.actor !== "" && problem !== null}
              onChange={(e) => set(k, { name: e.target.value })}
            />
            <label>
              <span>is another name of</span>
              <select
                aria-label={`Actor for name ${k + 1}`}
                value={r.actor}
                onChange={(e) => set(k, { actor: e.target.value })}
              >
                <option value="">no actor (leave it)</option>
                {lookup.model.actors.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            {r.actor !== "" && problem && <span className="small error-text">{problem}</span>}
          </div>
        );
      })}
    </details>
  );
}

/** The aliases to send: rows with an actor and a name the model can take. */
export const teachAliases = (rows: { name: string; actor: string }[]) =>
  rows
    .filter((r) => r.actor !== "" && r.name.trim() !== "" && !teachProblem(r.name))
    .map((r) => ({ name: phraseText(r.name), actor: r.actor }));
