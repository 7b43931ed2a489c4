// The model file's schema: one zod schema describes what an analyst may write (YAML or JSON);
// `z.toJSONSchema` turns it into schema/model.schema.json for editors. Shorthands (evidence
// as "source:12-14", references as "factor=state") are accepted here and normalised by
// `normalize.ts`; cross-references are checked by `validate.ts`.
import { z } from "zod";
import {
  EVIDENCE_PATTERN,
  FORMAT_VERSION,
  ID_PATTERN,
  LINES_PATTERN,
  STATE_REF_PATTERN,
} from "./patterns.js";
import { isCalendarDate } from "./step.js";

export { EVIDENCE_PATTERN, FORMAT_VERSION, ID_PATTERN, LINES_PATTERN, STATE_REF_PATTERN };

const id = z
  .string()
  .regex(ID_PATTERN, "an id: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")
  .refine(isCalendarDate, "a real calendar date YYYY-MM-DD (month 1–12, a day the month has)");
const text = z.string().min(1, "a non-empty text");

const lines = z.union([
  z.number().int().positive(),
  z.string().regex(LINES_PATTERN, "a line locator such as 12 or 12-14"),
]);

const evidenceItem = z.union([
  z.string().regex(EVIDENCE_PATTERN, "evidence such as shafaq:35 or shafaq:35-36"),
  z.strictObject({
    source: id,
    lines,
    note: z.string().optional(),
  }),
]);
const evidence = z.union([evidenceItem, z.array(evidenceItem)]);

const stateRef = z.string().regex(STATE_REF_PATTERN, "a state reference such as talks=breakdown");

/** An ISO 8601 duration of years, months, weeks and days (checked further by the validator). */
const duration = z.string().regex(/^P(\d+[YMWD])+$/, "an ISO 8601 duration such as P1M or P2W");

/** A 90 % prior range [low, high] of a positive quantity (a rate, β). */
const priorRange = z.tuple([z.number().positive(), z.number().positive()], {
  error: (issue) =>
    issue.code === "too_small" || issue.code === "too_big" ? "expected two numbers [low, high]" : undefined,
});

export const sourceSchema = z.strictObject({
  id,
  title: text,
  outlet: z.string().nullish(),
  author: z.string().nullish(),
  date: date.nullish(),
  file: z.string().nullish(),
  url: z.string().url().nullish(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "64 lower-case hex digits")
    .nullish(),
  lines: z.number().int().positive().nullish(),
  language: z.string().nullish(),
});

export const ACTOR_KINDS = ["state", "non-state", "mediator", "international"] as const;
export const actorSchema = z.strictObject({
  id,
  name: text,
  kind: z.enum(ACTOR_KINDS),
  aliases: z.array(text).optional(),
  description: z.string().optional(),
});

export const stateSchema = z.strictObject({
  id,
  label: text,
  short: z.string().optional(),
  description: z.string().optional(),
  keywords: z.array(text).optional(),
});

export const factorSchema = z.strictObject({
  id,
  name: text,
  short: z.string().optional(),
  description: z.string().optional(),
  owners: z.array(id).optional(),
  exogenous: z.boolean().optional(),
  keywords: z.array(text).optional(),
  current: id.optional(),
  states: z.array(stateSchema),
});

const confidence = z.number().int().min(1).max(5);

export const cellImpactSchema = z.strictObject({
  from: stateRef,
  to: stateRef,
  strength: z.number().int(),
  confidence: confidence.optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
  author: id.optional(),
});

export const blockImpactSchema = z.strictObject({
  from: id,
  to: id,
  matrix: z.array(z.array(z.number().int())),
  confidence: confidence.optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
  author: id.optional(),
});

export const impactSchema = z.union([cellImpactSchema, blockImpactSchema]);

export const stakeSchema = z.strictObject({
  actor: id,
  state: stateRef,
  utility: z.number(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
});

export const positionSchema = z.strictObject({
  actor: id,
  position: z.number(),
  salience: z.number().min(0).max(1),
  clout: z.number().min(0),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
});

export const issueSchema = z.strictObject({
  id,
  name: text,
  unit: z.string().optional(),
  min: z.number(),
  max: z.number(),
  /** The reversion point: where the issue stays if no agreement is reached (the status quo). */
  reversion: z.number().optional(),
  description: z.string().optional(),
  positions: z.array(positionSchema),
});

/** An exogenous shock: a factor switches to a state with a probability per step, or at a step. */
export const shockSchema = z.strictObject({
  to: stateRef,
  probability: z.number().min(0).max(1).optional(),
  at: z.number().int().min(1).optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
});

/** One factor's revisit rate (times per tempo unit when its impact balance pushes it). */
export const factorTempoSchema = z.strictObject({
  factor: id,
  rate: z.number().positive(),
  range: priorRange.optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
});

/** Calendar time: the unit rates are per, the default rate and its prior range, per-factor rates. */
export const tempoSchema = z.strictObject({
  unit: duration.optional(),
  rate: z.number().positive().optional(),
  range: priorRange.optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
  factors: z.array(factorTempoSchema).optional(),
});

/**
 * The probability engine's dynamics: continuous time (default) or the stepwise succession,
 * responsiveness β (inverse temperature) and its prior range, per-factor overrides, shocks, tempo.
 */
export const dynamicsSchema = z.strictObject({
  mode: z.enum(["continuous", "succession"]).optional(),
  beta: z.number().min(0).optional(),
  betaRange: priorRange.optional(),
  responsiveness: z.record(id, z.number().min(0)).optional(),
  shocks: z.array(shockSchema).optional(),
  tempo: tempoSchema.optional(),
  rationale: z.string().optional(),
});

const spread = z.number().min(0);
/** Judgment uncertainty: the spread (standard deviation, in scale points) per confidence code. */
export const uncertaintySchema = z.strictObject({
  spread: z.strictObject({ 1: spread, 2: spread, 3: spread, 4: spread, 5: spread }).partial().optional(),
  unrated: spread.optional(),
  rationale: z.string().optional(),
});

/** A condition on one scenario, as written: `f=s`, { any: […] }, { all: […] }, { not: … }. */
export type ConditionInput =
  | string
  | { any: ConditionInput[] }
  | { all: ConditionInput[] }
  | { not: ConditionInput };

/**
 * A condition on one scenario: one `factor=state`, or any-of / all-of lists and negations of
 * conditions, nested to any depth.
 */
export const conditionSchema: z.ZodType<ConditionInput> = z
  .lazy(() =>
    z.union([
      stateRef,
      z.strictObject({ any: z.array(conditionSchema).min(1) }),
      z.strictObject({ all: z.array(conditionSchema).min(1) }),
      z.strictObject({ not: conditionSchema }),
    ]),
  )
  .meta({ id: "Condition" });

/** One step of a sequence question: its condition and (after the first) the time allowed. */
export const sequenceStepSchema = z.strictObject({
  condition: conditionSchema,
  within: duration.optional(),
});

/** The number of changes of one factor within the window: at least and/or at most. */
export const changesSchema = z.strictObject({
  factor: id,
  atLeast: z.number().int().min(0).optional(),
  atMost: z.number().int().min(0).optional(),
});

/** A state observed at a date, for a conditional question. */
export const observedSchema = z.strictObject({ state: stateRef, date });

const questionKeys = ["condition", "sequence", "changes"] as const;

/**
 * A forecast question: does the event (a condition `by`, `at` or `never`; a sequence; a count of
 * changes) happen within the window (asOf or `from` up to `horizon`, or `window: [from, to]`)?
 */
export const questionSchema = z
  .strictObject({
    id,
    text,
    condition: conditionSchema.optional(),
    /** A then B (within a duration) … : instants in order in the window. */
    sequence: z
      .array(sequenceStepSchema)
      .min(2, "at least two steps (one step is a `by` question)")
      .optional(),
    /** The number of changes of a factor in the window. */
    changes: changesSchema.optional(),
    /** End of the window: steps from asOf, or a date. */
    horizon: z.union([z.number().int().min(1).max(1000), date]).optional(),
    /** Start of the window (a date; default asOf), with `horizon` as its end. */
    from: date.optional(),
    /** The window as two dates [from, to] (instead of `from` and `horizon`). */
    window: z
      .tuple([date, date], {
        error: (issue) =>
          issue.code === "too_small" || issue.code === "too_big"
            ? "expected two dates [from, to]"
            : undefined,
      })
      .optional(),
    /**
     * `by` (default): the condition holds at some instant of the window; `at`: at its end;
     * `never`: at no instant of it.
     */
    mode: z.enum(["by", "at", "never"]).optional(),
    /** Interventions: factors held in a state for the whole run. */
    given: z.union([stateRef, z.array(stateRef)]).optional(),
    /** Conditional question: the forecast given that these states are observed at these dates. */
    observed: z.array(observedSchema).optional(),
    rationale: z.string().optional(),
    evidence: evidence.optional(),
  })
  .superRefine(
    (q, ctx) => {
      const asked = questionKeys.filter((k) => q[k] !== undefined);
      if (asked.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["condition"],
          params: { code: "missing-key" },
          message: "required key is missing: a condition (with mode by, at or never), a sequence, or changes",
        });
      for (const k of asked.slice(1))
        ctx.addIssue({
          code: "custom",
          path: [k],
          params: { code: "conflicting-keys" },
          message: `a question asks one thing: '${asked[0]}' and '${k}' cannot both be given`,
        });
      if (q.mode !== undefined && q.condition === undefined && asked.length > 0)
        ctx.addIssue({
          code: "custom",
          path: ["mode"],
          params: { code: "conflicting-keys" },
          message: `mode (by, at, never) applies to a condition; a ${asked[0] === "sequence" ? "sequence" : "count of changes"} is judged over the whole window`,
        });
      if (q.window !== undefined) {
        for (const k of ["horizon", "from"] as const)
          if (q[k] !== undefined)
            ctx.addIssue({
              code: "custom",
              path: [k],
              params: { code: "conflicting-keys" },
              message: `give the window either as window: [from, to] or as from and horizon, not both ('window' and '${k}')`,
            });
      } else if (q.horizon === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["horizon"],
          params: { code: "missing-key" },
          message: "required key is missing: a horizon (steps or a date) or a window: [from, to]",
        });
    },
    // Checked even when another key of the question is wrong, so that every problem shows at once.
    { when: (payload) => payload.value !== null && typeof payload.value === "object" },
  );
/** What happened after asOf: a factor's state on a date, with the evidence that reports it. */
export const observationSchema = z.strictObject({
  state: stateRef,
  date,
  evidence: evidence.optional(),
  note: z.string().optional(),
});

/** A scenario the analyst has named: the states that make it (a few, or all). */
export const namedScenarioSchema = z.strictObject({
  name: text,
  states: z.array(stateRef).min(1, "at least one state (factor=state)"),
  description: z.string().optional(),
});

export const modelSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(FORMAT_VERSION).optional(),
  id,
  title: text,
  description: z.string().optional(),
  asOf: date,
  step: duration.optional(),
  scale: z.strictObject({ min: z.number().int().max(-1), max: z.number().int().min(1) }).optional(),
  sources: z.array(sourceSchema).optional(),
  actors: z.array(actorSchema).optional(),
  factors: z.array(factorSchema),
  impacts: z.array(impactSchema).optional(),
  stakes: z.array(stakeSchema).optional(),
  issues: z.array(issueSchema).optional(),
  dynamics: dynamicsSchema.optional(),
  uncertainty: uncertaintySchema.optional(),
  questions: z.array(questionSchema).optional(),
  scenarios: z.array(namedScenarioSchema).optional(),
  observations: z.array(observationSchema).optional(),
});

export type ModelInput = z.infer<typeof modelSchema>;
export type SourceInput = z.infer<typeof sourceSchema>;
export type ActorInput = z.infer<typeof actorSchema>;
export type FactorInput = z.infer<typeof factorSchema>;
export type ImpactInput = z.infer<typeof impactSchema>;
export type EvidenceInput = z.infer<typeof evidence>;
export type QuestionInput = z.infer<typeof questionSchema>;
export type ObservationInput = z.infer<typeof observationSchema>;
export type TempoInput = z.infer<typeof tempoSchema>;

/** The JSON Schema of the model file (draft 2020-12), for editors and other tools. */
export function modelJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(modelSchema, { target: "draft-2020-12", io: "input" }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    title: "Muscat model",
    description:
      "A Muscat scenario model: actors, factors with discrete states, cross-impact judgments with evidence, stakes and bargaining issues.",
    ...schema,
  };
}
