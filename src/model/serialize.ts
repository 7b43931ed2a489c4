// Model → file form (the shorthand an analyst writes), and YAML/JSON text of it.
import { Document, isScalar, isSeq, visit } from "yaml";
import { formatEvidence, formatStateRef } from "./paths.js";
import { FORMAT_VERSION } from "./patterns.js";
import type { Evidence, Model, QuestionCondition } from "./types.js";

function ev(list: Evidence[]): string[] | undefined {
  return list.length ? list.map(formatEvidence) : undefined;
}

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0 && k !== "states" && k !== "positions"))
      delete o[k];
  }
  return o;
}

/** A question's condition in file form: `f=s`, { any: […] } or { all: […] }. */
export function conditionToFileForm(c: QuestionCondition): unknown {
  if (c.kind === "state") return formatStateRef(c.ref);
  return { [c.kind]: c.of.map(conditionToFileForm) };
}

/** The model in the form of a model file (references and evidence as short strings). */
export function toFileForm(model: Model): Record<string, unknown> {
  const isDefaultScale = model.scale.min === -3 && model.scale.max === 3;
  return clean({
    format: FORMAT_VERSION,
    id: model.id,
    title: model.title,
    description: model.description,
    asOf: model.asOf,
    step: model.step,
    scale: isDefaultScale ? undefined : { ...model.scale },
    sources: model.sources.map((s) => clean({ ...s })),
    actors: model.actors.map((a) =>
      clean({ id: a.id, name: a.name, kind: a.kind, aliases: a.aliases, description: a.description }),
    ),
    factors: model.factors.map((f) =>
      clean({
        id: f.id,
        name: f.name,
        short: f.short === f.id ? undefined : f.short,
        description: f.description,
        owners: f.owners,
        exogenous: f.exogenous ? true : undefined,
        keywords: f.keywords,
        current: f.current,
        states: f.states.map((s) =>
          clean({
            id: s.id,
            label: s.label,
            short: s.short === s.id ? undefined : s.short,
            description: s.description,
            keywords: s.keywords,
          }),
        ),
      }),
    ),
    impacts: model.impacts.map((imp) =>
      imp.kind === "cell"
        ? clean({
            from: formatStateRef(imp.from),
            to: formatStateRef(imp.to),
            strength: imp.strength,
            confidence: imp.confidence,
            rationale: imp.rationale,
            evidence: ev(imp.evidence),
            author: imp.author,
          })
        : clean({
            from: imp.from,
            to: imp.to,
            matrix: imp.matrix.map((r) => r.slice()),
            confidence: imp.confidence,
            rationale: imp.rationale,
            evidence: ev(imp.evidence),
            author: imp.author,
          }),
    ),
    stakes: model.stakes.map((s) =>
      clean({
        actor: s.actor,
        state: formatStateRef(s.state),
        utility: s.utility,
        rationale: s.rationale,
        evidence: ev(s.evidence),
      }),
    ),
    issues: model.issues.map((i) =>
      clean({
        id: i.id,
        name: i.name,
        unit: i.unit,
        min: i.min,
        max: i.max,
        reversion: i.reversion,
        description: i.description,
        positions: i.positions.map((p) =>
          clean({
            actor: p.actor,
            position: p.position,
            salience: p.salience,
            clout: p.clout,
            rationale: p.rationale,
            evidence: ev(p.evidence),
          }),
        ),
      }),
    ),
    dynamics: model.dynamics
      ? clean({
          beta: model.dynamics.beta,
          responsiveness: Object.keys(model.dynamics.responsiveness).length
            ? { ...model.dynamics.responsiveness }
            : undefined,
          shocks: model.dynamics.shocks.map((sh) =>
            clean({
              to: formatStateRef(sh.to),
              probability: sh.probability,
              at: sh.at,
              rationale: sh.rationale,
              evidence: ev(sh.evidence),
            }),
          ),
          rationale: model.dynamics.rationale,
        })
      : undefined,
    uncertainty: model.uncertainty
      ? clean({
          spread: Object.keys(model.uncertainty.spread).length ? { ...model.uncertainty.spread } : undefined,
          unrated: model.uncertainty.unrated,
          rationale: model.uncertainty.rationale,
        })
      : undefined,
    questions: model.questions?.map((q) =>
      clean({
        id: q.id,
        text: q.text,
        condition: conditionToFileForm(q.condition),
        horizon: q.horizon,
        mode: q.mode === "by" ? undefined : q.mode,
        given: q.given.length ? q.given.map(formatStateRef) : undefined,
        rationale: q.rationale,
        evidence: ev(q.evidence),
      }),
    ),
    scenarios: model.scenarios?.map((s) =>
      clean({ name: s.name, states: s.states.map(formatStateRef), description: s.description }),
    ),
  });
}

/** YAML text of a model; short lists of scalars (matrix rows, aliases, evidence) in flow style. */
export function modelToYaml(model: Model): string {
  const doc = new Document(toFileForm(model));
  visit(doc, {
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every((i) => isScalar(i))) node.flow = true;
    },
  });
  visit(doc, {
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every((i) => isSeq(i) && i.flow)) node.flow = false;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function modelToJson(model: Model): string {
  return `${JSON.stringify(toFileForm(model), null, 2)}\n`;
}
