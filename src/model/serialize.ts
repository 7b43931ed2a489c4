// Model → file form (the shorthand an analyst writes), and YAML/JSON text of it.
import { Document, isScalar, isSeq, visit } from "yaml";
import { formatEvidence, formatStateRef } from "./paths.js";
import { FORMAT_VERSION } from "./patterns.js";
import type { Evidence, Model, Question, QuestionCondition, Tempo } from "./types.js";

/** Evidence in file form: `source:12-14`, or { source, lines, note } when it carries a note. */
function ev(list: Evidence[]): unknown[] | undefined {
  return list.length
    ? list.map((e) =>
        e.note === undefined
          ? formatEvidence(e)
          : { source: e.source, lines: e.from === e.to ? e.from : `${e.from}-${e.to}`, note: e.note },
      )
    : undefined;
}

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0 && k !== "states" && k !== "positions"))
      delete o[k];
  }
  return o;
}

/** A condition in file form: `f=s`, { any: […] }, { all: […] } or { not: … }. */
export function conditionToFileForm(c: QuestionCondition): unknown {
  if (c.kind === "state") return formatStateRef(c.ref);
  if (c.kind === "not") return { not: conditionToFileForm(c.condition) };
  return { [c.kind]: c.of.map(conditionToFileForm) };
}

/**
 * A question in file form: its event as `condition` (with `mode`), `sequence` or `changes`; its
 * window as `window: [from, to]` when it starts at a date and ends at one, else `from` and
 * `horizon`.
 */
export function questionToFileForm(q: Question): Record<string, unknown> {
  const c = q.condition;
  const event: Record<string, unknown> =
    c.kind === "sequence"
      ? {
          sequence: c.steps.map((st) =>
            clean({ condition: conditionToFileForm(st.condition), within: st.within }),
          ),
        }
      : c.kind === "changes"
        ? { changes: clean({ factor: c.factor, atLeast: c.atLeast, atMost: c.atMost }) }
        : c.kind === "never"
          ? { condition: conditionToFileForm(c.condition), mode: "never" }
          : { condition: conditionToFileForm(c), mode: q.mode === "by" ? undefined : q.mode };
  const window =
    q.from !== undefined && typeof q.horizon === "string"
      ? { window: [q.from, q.horizon] }
      : { from: q.from, horizon: q.horizon };
  return clean({
    id: q.id,
    text: q.text,
    ...event,
    ...window,
    given: q.given.length ? q.given.map(formatStateRef) : undefined,
    observed: q.observed?.map((o) => ({ state: formatStateRef(o.ref), date: o.date })),
    rationale: q.rationale,
    evidence: ev(q.evidence),
  });
}

function tempoToFileForm(t: Tempo): Record<string, unknown> {
  return clean({
    unit: t.unit,
    rate: t.rate,
    range: t.range ? [...t.range] : undefined,
    rationale: t.rationale,
    evidence: ev(t.evidence),
    factors: t.factors.map((f) =>
      clean({
        factor: f.factor,
        rate: f.rate,
        range: f.range ? [...f.range] : undefined,
        rationale: f.rationale,
        evidence: ev(f.evidence),
      }),
    ),
  });
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
          mode: model.dynamics.mode,
          beta: model.dynamics.beta,
          betaRange: model.dynamics.betaRange ? [...model.dynamics.betaRange] : undefined,
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
          tempo: model.dynamics.tempo ? tempoToFileForm(model.dynamics.tempo) : undefined,
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
    questions: model.questions?.map(questionToFileForm),
    scenarios: model.scenarios?.map((s) =>
      clean({ name: s.name, states: s.states.map(formatStateRef), description: s.description }),
    ),
    observations: model.observations?.map((o) =>
      clean({ state: formatStateRef(o.ref), date: o.date, evidence: ev(o.evidence), note: o.note }),
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
