// Details: stakes — how much an actor gains (+) or loses (−) if a factor is in a state — one row
// each (actor, state, utility, evidence; the rationale under them), shown for one actor or all.
import { useState } from "react";
import { readList, readNumber, showList } from "../../../../src/model/details.js";
import { formatPath } from "../../../../src/model/paths.js";
import type { Model } from "../../../../src/model/types.js";
import {
  actorChoices,
  ChoiceField,
  type Edits,
  Field,
  listAt,
  RowProblems,
  stateChoices,
} from "./DetailField";

const NAMES = {
  actor: "Actor",
  state: "State",
  utility: "Utility",
  evidence: "Evidence",
  rationale: "Rationale",
};

export function StakesForm({ data, model, ed }: { data: Record<string, unknown>; model: Model; ed: Edits }) {
  const stakes = listAt(data, "stakes");
  const [actor, setActor] = useState("");
  const actors = actorChoices(model);
  const states = stateChoices(model);
  const nameOf = (id: unknown) => model.actors.find((a) => a.id === id)?.name ?? String(id ?? "?");
  const stateName = (ref: unknown) => states.find((s) => s.value === ref)?.label ?? String(ref ?? "?");
  const { min, max } = model.scale;
  const shown = stakes.map((s, i) => ({ s, i })).filter(({ s }) => !actor || s.actor === actor);
  const add = () => {
    const who = actor || model.actors[0]?.id;
    // after the last stake of the same actor, where the file keeps them together
    const last = stakes.reduce((at, s, i) => (s.actor === who ? i : at), -1);
    ed.insert(["stakes"], who ? { actor: who } : {}, last >= 0 ? last + 1 : undefined);
  };
  return (
    <section className="df-section" aria-label="Stakes">
      <p className="muted small df-intro">
        How much each actor gains (+) or loses (−) if a factor is in a state, on the model's scale ({min}…
        {max}).
      </p>
      <div className="df-toolbar">
        <label>
          Show the stakes of{" "}
          <select value={actor} onChange={(e) => setActor(e.target.value)}>
            <option value="">every actor ({stakes.length})</option>
            {model.actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({stakes.filter((s) => s.actor === a.id).length})
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={add}>
          Add a stake{actor ? ` of ${nameOf(actor)}` : ""}
        </button>
      </div>
      {shown.length === 0 ? (
        <p className="muted">No stakes{actor ? ` of ${nameOf(actor)}` : ""} yet.</p>
      ) : (
        <div className="df-rows df-stakes">
          <div className="df-row df-head" aria-hidden="true">
            <span>Actor</span>
            <span>State</span>
            <span>Utility</span>
            <span>Evidence</span>
            <span />
          </div>
          {shown.map(({ s, i }) => {
            const path = ["stakes", i];
            const fresh = ed.fresh === formatPath(path);
            const n = i + 1;
            return (
              <div key={ed.itemKey(["stakes"], i, stakes.length)} className="df-item">
                <div className="df-row">
                  <ChoiceField
                    inRow
                    label={`Actor of stake ${n}`}
                    path={[...path, "actor"]}
                    value={s.actor}
                    ed={ed}
                    choices={actors}
                    empty="— actor —"
                  />
                  <ChoiceField
                    inRow
                    label={`State of stake ${n}`}
                    path={[...path, "state"]}
                    value={s.state}
                    ed={ed}
                    choices={states}
                    empty="— state —"
                    autoFocus={fresh}
                  />
                  <Field
                    inRow
                    label={`Utility of stake ${n}`}
                    path={[...path, "utility"]}
                    value={s.utility}
                    ed={ed}
                    read={readNumber}
                    numeric
                    placeholder={`${min}…${max}`}
                  />
                  <Field
                    inRow
                    label={`Evidence of stake ${n}`}
                    path={[...path, "evidence"]}
                    value={s.evidence}
                    ed={ed}
                    show={showList}
                    read={(t) => readList(t, s.evidence)}
                    placeholder="source:line"
                  />
                  <button
                    type="button"
                    className="icon danger"
                    aria-label={`Remove stake ${n}`}
                    title="Remove this stake"
                    onClick={() =>
                      ed.remove(
                        path,
                        `the stake of ${nameOf(s.actor)} in “${stateName(s.state)}” (${String(s.utility ?? "no utility")})`,
                      )
                    }
                  >
                    ×
                  </button>
                  <Field
                    inRow
                    className="df-span"
                    label={`Rationale of stake ${n}`}
                    path={[...path, "rationale"]}
                    value={s.rationale}
                    ed={ed}
                    placeholder="Rationale: why, in your own words"
                  />
                </div>
                <RowProblems ed={ed} base={path} names={NAMES} />
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
