// Details: the model's own fields — title, date, time step, scale, description, format.
import { problemsAt, readNumber } from "../../../../src/model/details.js";
import { FORMAT_VERSION } from "../../../../src/model/patterns.js";
import { ChoiceField, type Edits, Field, ProblemList } from "./DetailField";

/** Top-level keys shown elsewhere (the outline, the grid, the other forms). */
const ELSEWHERE = [
  "sources",
  "actors",
  "factors",
  "impacts",
  "stakes",
  "issues",
  "dynamics",
  "uncertainty",
  "questions",
  "scenarios",
];

export function MetaForm({ data, ed }: { data: Record<string, unknown>; ed: Edits }) {
  const scale = data.scale && typeof data.scale === "object" ? (data.scale as Record<string, unknown>) : {};
  // The scale is optional as a whole: emptying both of its fields removes it.
  const setScale = (key: "min" | "max") => (path: (string | number)[], v: unknown) => {
    const other = scale[key === "min" ? "max" : "min"];
    if (v === undefined && (other === undefined || other === null)) ed.set(["scale"], undefined);
    else ed.set(path, v);
  };
  const scaleEd = (key: "min" | "max"): Edits => ({ ...ed, set: setScale(key) });
  return (
    <section className="df-section" aria-label="Metadata">
      <div className="df-grid">
        <Field
          label="Id"
          path={["id"]}
          value={data.id}
          ed={ed}
          readOnly
          hint="Fixed for a stored model; “Copy this model” makes one with a new id."
        />
        <ChoiceField
          label="Format"
          path={["format"]}
          value={data.format}
          ed={ed}
          empty="not stated"
          choices={[{ value: FORMAT_VERSION, label: FORMAT_VERSION }]}
        />
        <Field label="Title" path={["title"]} value={data.title} ed={ed} required className="wide" />
        <Field
          label="As of"
          path={["asOf"]}
          value={data.asOf}
          ed={ed}
          required
          placeholder="YYYY-MM-DD"
          hint="The date the model describes; nothing after it belongs in the model."
        />
        <Field
          label="Time step"
          path={["step"]}
          value={data.step}
          ed={ed}
          placeholder="P1M"
          hint="One step of the simulation, an ISO 8601 duration (P1M, P2W); P1M when empty."
        />
        <Field
          label="Scale: lowest strength"
          path={["scale", "min"]}
          value={scale.min}
          ed={scaleEd("min")}
          read={readNumber}
          numeric
          placeholder="-3"
        />
        <Field
          label="Scale: highest strength"
          path={["scale", "max"]}
          value={scale.max}
          ed={scaleEd("max")}
          read={readNumber}
          numeric
          placeholder="3"
        />
        <Field
          label="Description"
          path={["description"]}
          value={data.description}
          ed={ed}
          rows={5}
          className="wide"
        />
        <Field
          label="JSON Schema for editors ($schema)"
          path={["$schema"]}
          value={data.$schema}
          ed={ed}
          className="wide"
          placeholder="not stated"
        />
      </div>
      <ProblemList
        problems={problemsAt(
          ed.problems,
          [],
          [...ELSEWHERE, "$schema", "format", "id", "title", "description", "asOf", "step", "scale"],
        ).concat(problemsAt(ed.problems, ["scale"], ["min", "max"]))}
      />
    </section>
  );
}
