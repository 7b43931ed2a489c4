// The model's outline for editing: its title and date, the factors with their states (rename,
// reorder, add, remove) and the actors. A name is committed on Enter or when the field is left;
// removing something that judgments, stakes or questions rest on lists them and asks first.
import { useState } from "react";
import type { ModelOp } from "../../../../src/model/ops.js";
import type { Model } from "../../../../src/model/types.js";

/** Applies an op; returns the problem in words, or null when it was applied. */
export type Apply = (op: ModelOp) => string | null;

function NameField({
  value,
  label,
  onCommit,
  className,
}: {
  value: string;
  label: string;
  onCommit: (v: string) => void;
  className?: string;
}) {
  return (
    <input
      key={value}
      className={className ?? "name-field"}
      defaultValue={value}
      aria-label={label}
      onBlur={(e) => {
        const v = e.target.value.trim();
        if (v && v !== value) onCommit(v);
        else e.target.value = value;
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") (e.target as HTMLInputElement).blur();
        if (e.key === "Escape") {
          (e.target as HTMLInputElement).value = value;
          (e.target as HTMLInputElement).blur();
        }
      }}
    />
  );
}

function AddField({
  label,
  placeholder,
  onAdd,
}: {
  label: string;
  placeholder: string;
  onAdd: (v: string) => void;
}) {
  const [v, setV] = useState("");
  return (
    <form
      className="add-field"
      onSubmit={(e) => {
        e.preventDefault();
        if (!v.trim()) return;
        onAdd(v.trim());
        setV("");
      }}
    >
      <input aria-label={label} placeholder={placeholder} value={v} onChange={(e) => setV(e.target.value)} />
      <button type="submit" disabled={!v.trim()}>
        Add
      </button>
    </form>
  );
}

export function Outline({
  model,
  apply,
  confirmRemoval,
}: {
  model: Model;
  apply: Apply;
  /** Asks before a removal that takes other things with it; true to go ahead. */
  confirmRemoval: (op: ModelOp, what: string) => boolean;
}) {
  const remove = (op: ModelOp, what: string) => {
    if (confirmRemoval(op, what)) apply(op);
  };
  return (
    <div className="outline">
      <section aria-labelledby="meta-h">
        <h3 id="meta-h">Model</h3>
        <div className="stack">
          <span aria-hidden="true">Title</span>
          <NameField
            value={model.title}
            label="Model title"
            onCommit={(title) => apply({ op: "setMeta", title })}
          />
        </div>
        <label className="stack">
          As of
          <input
            key={model.asOf}
            type="date"
            defaultValue={model.asOf}
            aria-label="As of"
            onBlur={(e) =>
              e.target.value &&
              e.target.value !== model.asOf &&
              apply({ op: "setMeta", asOf: e.target.value })
            }
          />
        </label>
      </section>

      <section aria-labelledby="factors-h">
        <h3 id="factors-h">Factors and their states</h3>
        <ol className="factor-list">
          {model.factors.map((f, i) => (
            <li key={f.id} className="factor-item">
              <div className="factor-row">
                <NameField
                  value={f.name}
                  label={`Name of factor ${f.id}`}
                  onCommit={(name) => apply({ op: "updateFactor", id: f.id, name })}
                />
                <NameField
                  className="short-field"
                  value={f.short}
                  label={`Short name of factor ${f.id}`}
                  onCommit={(short) => apply({ op: "updateFactor", id: f.id, short })}
                />
                <button
                  type="button"
                  className="icon"
                  title="Move up"
                  aria-label={`Move ${f.name} up`}
                  disabled={i === 0}
                  onClick={() => apply({ op: "moveFactor", id: f.id, to: i - 1 })}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon"
                  title="Move down"
                  aria-label={`Move ${f.name} down`}
                  disabled={i === model.factors.length - 1}
                  onClick={() => apply({ op: "moveFactor", id: f.id, to: i + 1 })}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon danger"
                  title="Remove the factor"
                  aria-label={`Remove ${f.name}`}
                  onClick={() => remove({ op: "removeFactor", id: f.id }, `the factor ${f.name}`)}
                >
                  ×
                </button>
              </div>
              <ul className="state-list">
                {f.states.map((s, k) => (
                  <li key={s.id} className="state-row">
                    <NameField
                      value={s.label}
                      label={`State ${s.id} of ${f.id}`}
                      onCommit={(label) => apply({ op: "updateState", factor: f.id, state: s.id, label })}
                    />
                    <NameField
                      className="short-field"
                      value={s.short}
                      label={`Short name of state ${s.id} of ${f.id}`}
                      onCommit={(short) => apply({ op: "updateState", factor: f.id, state: s.id, short })}
                    />
                    <button
                      type="button"
                      className="icon"
                      aria-label={`Move ${s.label} up`}
                      disabled={k === 0}
                      onClick={() => apply({ op: "moveState", factor: f.id, state: s.id, to: k - 1 })}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon danger"
                      aria-label={`Remove state ${s.label} of ${f.name}`}
                      disabled={f.states.length <= 2}
                      title={f.states.length <= 2 ? "A factor needs at least two states" : "Remove the state"}
                      onClick={() =>
                        remove(
                          { op: "removeState", factor: f.id, state: s.id },
                          `the state ${s.label} of ${f.name}`,
                        )
                      }
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <AddField
                label={`New state of ${f.name}`}
                placeholder="New state"
                onAdd={(label) => apply({ op: "addState", factor: f.id, label })}
              />
            </li>
          ))}
        </ol>
        <NewFactor apply={apply} />
      </section>

      <section aria-labelledby="actors-h">
        <h3 id="actors-h">Actors</h3>
        <ul className="actor-list">
          {model.actors.map((a) => (
            <li key={a.id} className="state-row">
              <NameField
                value={a.name}
                label={`Name of actor ${a.id}`}
                onCommit={(name) => apply({ op: "updateActor", id: a.id, name })}
              />
              <button
                type="button"
                className="icon danger"
                aria-label={`Remove actor ${a.name}`}
                onClick={() => remove({ op: "removeActor", id: a.id }, `the actor ${a.name}`)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <AddField
          label="New actor"
          placeholder="New actor"
          onAdd={(name) => apply({ op: "addActor", name })}
        />
      </section>
    </div>
  );
}

/** A new factor: its name and its states, one per line or separated by commas (at least two). */
function NewFactor({ apply }: { apply: Apply }) {
  const [name, setName] = useState("");
  const [states, setStates] = useState("");
  const [error, setError] = useState<string | null>(null);
  const list = states
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    <form
      className="new-factor"
      onSubmit={(e) => {
        e.preventDefault();
        const problem = apply({
          op: "addFactor",
          name: name.trim(),
          states: list.map((label) => ({ label })),
        });
        setError(problem);
        if (!problem) {
          setName("");
          setStates("");
        }
      }}
    >
      <input
        aria-label="New factor name"
        placeholder="New factor"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <input
        aria-label="Its states, separated by commas"
        placeholder="States: low, medium, high"
        value={states}
        onChange={(e) => setStates(e.target.value)}
      />
      <button type="submit" disabled={!name.trim() || list.length < 2}>
        Add factor
      </button>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
