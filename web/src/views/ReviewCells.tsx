// The analyst's own cell in the review queue: the model's judgment of any cell, a strength's
// relation to it, and the picker of one state that offers the reading's candidates first.
import type { Lookup } from "../lookup";
import type { Draft, Model } from "../types";

/** The model's own (author-less) judgment of a cell, if any: a cell impact or a block's entry. */
export function cellJudgment(model: Model, from: string, to: string): number | undefined {
  const [ff, fs] = from.split("=");
  const [tf, ts] = to.split("=");
  for (const imp of model.impacts) {
    if (imp.author) continue;
    if (imp.kind === "cell") {
      if (imp.from.factor === ff && imp.from.state === fs && imp.to.factor === tf && imp.to.state === ts)
        return imp.strength;
    } else if (imp.from === ff && imp.to === tf) {
      const r = model.factors.find((f) => f.id === ff)?.states.findIndex((s) => s.id === fs) ?? -1;
      const c = model.factors.find((f) => f.id === tf)?.states.findIndex((s) => s.id === ts) ?? -1;
      if (r >= 0 && c >= 0) return imp.matrix[r]?.[c] ?? 0;
    }
  }
  return undefined;
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

/** A strength's relation to the model's judgment of its cell (as ingest.ts relationTo). */
export function relationOf(strength: number, judged: number | undefined): Draft["relation"] {
  if (judged === undefined) return "new";
  return Math.sign(strength) !== Math.sign(judged) || Math.abs(strength - judged) >= 2
    ? "contradicts"
    : "supports";
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
