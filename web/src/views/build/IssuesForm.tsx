// Details: bargaining issues — a continuous dimension (its range, unit and reversion point) and
// each actor's position on it, with salience (0…1) and clout (≥ 0).
import { useState } from "react";
import { problemsAt, readList, readNumber, showList } from "../../../../src/model/details.js";
import { formatPath } from "../../../../src/model/paths.js";
import type { Model } from "../../../../src/model/types.js";
import {
  actorChoices,
  ChoiceField,
  type Edits,
  EntryCard,
  Field,
  freeId,
  listAt,
  ProblemList,
  RowProblems,
} from "./DetailField";

const ISSUE_FIELDS = ["id", "name", "unit", "min", "max", "reversion", "description"];
const NAMES = {
  actor: "Actor",
  position: "Position",
  salience: "Salience",
  clout: "Clout",
  evidence: "Evidence",
  rationale: "Rationale",
};

export function IssuesForm({ data, model, ed }: { data: Record<string, unknown>; model: Model; ed: Edits }) {
  const issues = listAt(data, "issues");
  return (
    <section className="df-section" aria-label="Bargaining issues">
      <p className="muted small df-intro">
        Continuous dimensions the actors bargain over: each actor's position within the issue's range, how
        much the issue matters to it (salience, 0…1) and what it can bring to bear (clout, ≥ 0).
      </p>
      {issues.length === 0 && <p className="muted">No bargaining issues yet.</p>}
      {issues.map((issue, i) => (
        <Issue key={ed.itemKey(["issues"], i, issues.length)} issue={issue} index={i} model={model} ed={ed} />
      ))}
      <div className="df-toolbar">
        <button
          type="button"
          onClick={() => ed.insert(["issues"], { id: freeId("issue", issues), positions: [] })}
        >
          Add an issue
        </button>
      </div>
      <ProblemList
        problems={problemsAt(
          ed.problems,
          ["issues"],
          issues.map((_, i) => String(i)),
        )}
      />
    </section>
  );
}

function Issue({
  issue,
  index,
  model,
  ed,
}: {
  issue: Record<string, unknown>;
  index: number;
  model: Model;
  ed: Edits;
}) {
  const path = ["issues", index];
  const positions = Array.isArray(issue.positions)
    ? (issue.positions as unknown[]).map((p) =>
        p && typeof p === "object" ? (p as Record<string, unknown>) : {},
      )
    : [];
  const taken = new Set(positions.map((p) => p.actor));
  const free = model.actors.filter((a) => !taken.has(a.id));
  const [newActor, setNewActor] = useState("");
  const pick = free.some((a) => a.id === newActor) ? newActor : (free[0]?.id ?? "");
  const nameOf = (id: unknown) => model.actors.find((a) => a.id === id)?.name ?? String(id ?? "?");
  const title = String(issue.name ?? issue.id ?? `issue ${index + 1}`);
  const fresh = ed.fresh === formatPath(path);
  const range =
    typeof issue.min === "number" && typeof issue.max === "number" ? `${issue.min}…${issue.max}` : undefined;
  return (
    <EntryCard
      open={fresh}
      problems={problemsAt(ed.problems, path)}
      title={
        <>
          <strong>{title}</strong> <code>{String(issue.id ?? "")}</code>
        </>
      }
      detail={
        <span className="muted">
          {range && `${range}${issue.unit ? ` ${issue.unit}` : ""} · `}
          {positions.length} position{positions.length === 1 ? "" : "s"}
        </span>
      }
    >
      <div className="df-grid">
        <Field label="Id" path={[...path, "id"]} value={issue.id} ed={ed} required />
        <Field label="Name" path={[...path, "name"]} value={issue.name} ed={ed} required autoFocus={fresh} />
        <Field label="Unit" path={[...path, "unit"]} value={issue.unit} ed={ed} placeholder="e.g. percent" />
        <Field
          label="Lowest (min)"
          path={[...path, "min"]}
          value={issue.min}
          ed={ed}
          read={readNumber}
          numeric
        />
        <Field
          label="Highest (max)"
          path={[...path, "max"]}
          value={issue.max}
          ed={ed}
          read={readNumber}
          numeric
        />
        <Field
          label="Reversion point"
          path={[...path, "reversion"]}
          value={issue.reversion}
          ed={ed}
          read={readNumber}
          numeric
          hint="Where the issue stays without agreement (optional)."
        />
        <Field
          label="Description"
          path={[...path, "description"]}
          value={issue.description}
          ed={ed}
          rows={3}
          className="wide"
        />
      </div>
      <ProblemList problems={problemsAt(ed.problems, path, [...ISSUE_FIELDS, "positions"])} />
      <h4 className="df-sub">Positions</h4>
      {positions.length > 0 && (
        <div className="df-rows df-positions">
          <div className="df-row df-head" aria-hidden="true">
            <span>Actor</span>
            <span>Position</span>
            <span>Salience</span>
            <span>Clout</span>
            <span>Evidence</span>
            <span />
          </div>
          {positions.map((p, j) => {
            const pp = [...path, "positions", j];
            const who = nameOf(p.actor);
            const newRow = ed.fresh === formatPath(pp);
            return (
              <div key={ed.itemKey([...path, "positions"], j, positions.length)} className="df-item">
                <div className="df-row">
                  <ChoiceField
                    inRow
                    label={`Actor of position ${j + 1} on ${title}`}
                    path={[...pp, "actor"]}
                    value={p.actor}
                    ed={ed}
                    choices={actorChoices(model)}
                    empty="— actor —"
                  />
                  <Field
                    inRow
                    label={`Position of ${who} on ${title}`}
                    path={[...pp, "position"]}
                    value={p.position}
                    ed={ed}
                    read={readNumber}
                    numeric
                    placeholder={range}
                    autoFocus={newRow}
                  />
                  <Field
                    inRow
                    label={`Salience of ${who} on ${title}`}
                    path={[...pp, "salience"]}
                    value={p.salience}
                    ed={ed}
                    read={readNumber}
                    numeric
                    placeholder="0…1"
                  />
                  <Field
                    inRow
                    label={`Clout of ${who} on ${title}`}
                    path={[...pp, "clout"]}
                    value={p.clout}
                    ed={ed}
                    read={readNumber}
                    numeric
                    placeholder="≥ 0"
                  />
                  <Field
                    inRow
                    label={`Evidence for the position of ${who} on ${title}`}
                    path={[...pp, "evidence"]}
                    value={p.evidence}
                    ed={ed}
                    show={showList}
                    read={(t) => readList(t, p.evidence)}
                    placeholder="source:line"
                  />
                  <button
                    type="button"
                    className="icon danger"
                    aria-label={`Remove the position of ${who} on ${title}`}
                    title="Remove this position"
                    onClick={() => ed.remove(pp, `the position of ${who} on “${title}”`)}
                  >
                    ×
                  </button>
                  <Field
                    inRow
                    className="df-span"
                    label={`Rationale for the position of ${who} on ${title}`}
                    path={[...pp, "rationale"]}
                    value={p.rationale}
                    ed={ed}
                    placeholder="Rationale: why, in your own words"
                  />
                </div>
                <RowProblems ed={ed} base={pp} names={NAMES} />
              </div>
            );
          })}
        </div>
      )}
      <ProblemList
        problems={problemsAt(
          ed.problems,
          [...path, "positions"],
          positions.map((_, j) => String(j)),
        )}
      />
      <div className="df-toolbar">
        {free.length > 0 ? (
          <>
            <label>
              Position of{" "}
              <select
                aria-label={`Actor for a new position on ${title}`}
                value={pick}
                onChange={(e) => setNewActor(e.target.value)}
              >
                {free.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => ed.insert([...path, "positions"], { actor: pick })}>
              Add position
            </button>
          </>
        ) : (
          <span className="muted small">Every actor has a position on this issue.</span>
        )}
        <span className="df-grow" />
        <button
          type="button"
          className="danger-text"
          onClick={() =>
            ed.remove(
              path,
              `the issue “${title}” and its ${positions.length} position${positions.length === 1 ? "" : "s"}`,
            )
          }
        >
          Remove this issue
        </button>
      </div>
    </EntryCard>
  );
}
