// Details: forecast questions — will a condition on factor states hold by (or at) a horizon?
import {
  problemsAt,
  readCondition,
  readHorizon,
  readList,
  showCondition,
  showList,
} from "../../../../src/model/details.js";
import { formatPath } from "../../../../src/model/paths.js";
import type { Model } from "../../../../src/model/types.js";
import {
  ChoiceField,
  type Edits,
  EntryCard,
  Field,
  freeId,
  listAt,
  ProblemList,
  StateRefList,
} from "./DetailField";

const FIELDS = ["id", "text", "condition", "horizon", "mode", "given", "rationale", "evidence"];

export function QuestionsForm({
  data,
  model,
  ed,
}: {
  data: Record<string, unknown>;
  model: Model;
  ed: Edits;
}) {
  const questions = listAt(data, "questions");
  return (
    <section className="df-section" aria-label="Questions">
      <p className="muted small df-intro">
        Each question asks whether a condition on factor states holds by (or at) a horizon: a number of steps
        from the model's date, or a date after it. Resolutions stay outside the model.
      </p>
      <StateRefList model={model} />
      {questions.length === 0 && <p className="muted">No questions yet.</p>}
      {questions.map((q, i) => (
        <Question key={ed.itemKey(["questions"], i, questions.length)} q={q} index={i} ed={ed} />
      ))}
      <div className="df-toolbar">
        <button type="button" onClick={() => ed.insert(["questions"], { id: freeId("question", questions) })}>
          Add a question
        </button>
      </div>
      <ProblemList
        problems={problemsAt(
          ed.problems,
          ["questions"],
          questions.map((_, i) => String(i)),
        )}
      />
    </section>
  );
}

function Question({ q, index, ed }: { q: Record<string, unknown>; index: number; ed: Edits }) {
  const path = ["questions", index];
  const fresh = ed.fresh === formatPath(path);
  const text = typeof q.text === "string" && q.text ? q.text : "(no text yet)";
  return (
    <EntryCard
      open={fresh}
      problems={problemsAt(ed.problems, path)}
      title={<code>{String(q.id ?? "")}</code>}
      detail={text}
    >
      <div className="df-grid">
        <Field label="Id" path={[...path, "id"]} value={q.id} ed={ed} required />
        <ChoiceField
          label="Mode"
          path={[...path, "mode"]}
          value={q.mode}
          ed={ed}
          empty="by the horizon (the default)"
          choices={[
            { value: "by", label: "by: at some step up to the horizon" },
            { value: "at", label: "at: at the horizon step" },
          ]}
        />
        <Field
          label="Question"
          path={[...path, "text"]}
          value={q.text}
          ed={ed}
          required
          rows={3}
          className="wide"
          autoFocus={fresh}
          placeholder="Worded so it can be settled from public records: who, what, by when"
        />
        <Field
          label="Condition"
          path={[...path, "condition"]}
          value={q.condition}
          ed={ed}
          show={showCondition}
          read={readCondition}
          list="df-state-refs"
          placeholder="factor=state, or { any: [a=x, b=y] }"
        />
        <Field
          label="Horizon"
          path={[...path, "horizon"]}
          value={q.horizon}
          ed={ed}
          read={readHorizon}
          placeholder="steps (6) or a date YYYY-MM-DD"
        />
        <Field
          label="Given (interventions)"
          path={[...path, "given"]}
          value={q.given}
          ed={ed}
          show={showList}
          read={(t) => readList(t, q.given)}
          list="df-state-refs"
          placeholder="factor=state, … held throughout"
        />
        <Field
          label="Evidence"
          path={[...path, "evidence"]}
          value={q.evidence}
          ed={ed}
          show={showList}
          read={(t) => readList(t, q.evidence)}
          placeholder="source:line, source:from-to"
        />
        <Field
          label="Rationale"
          path={[...path, "rationale"]}
          value={q.rationale}
          ed={ed}
          className="wide"
          placeholder="Why this state stands for the event"
        />
      </div>
      <ProblemList problems={problemsAt(ed.problems, path, FIELDS)} />
      <div className="df-toolbar">
        <span className="df-grow" />
        <button
          type="button"
          className="danger-text"
          onClick={() =>
            ed.remove(
              path,
              `the question ${String(q.id ?? index + 1)} (“${text.length > 90 ? `${text.slice(0, 89)}…` : text}”)`,
            )
          }
        >
          Remove this question
        </button>
      </div>
    </EntryCard>
  );
}
