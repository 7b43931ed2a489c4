// The analyst's own cell in the review queue: the model's judgment of any cell, a strength's
// relation to it, and the picker of one state that offers the reading's candidates first.
import { judgedCell } from "../../../src/evidence/relation.js";
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
