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

/** Stochastic succession: responsiveness β (inverse temperature), per-factor overrides, shocks. */
export const dynamicsSchema = z.strictObject({
  beta: z.number().min(0).optional(),
  responsiveness: z.record(id, z.number().min(0)).optional(),
  shocks: z.array(shockSchema).optional(),
  rationale: z.string().optional(),
});

const spread = z.number().min(0);
/** Judgment uncertainty: the spread (standard deviation, in scale points) per confidence code. */
export const uncertaintySchema = z.strictObject({
  spread: z.strictObject({ 1: spread, 2: spread, 3: spread, 4: spread, 5: spread }).partial().optional(),
  unrated: spread.optional(),
  rationale: z.string().optional(),
});

/** A question's condition: one `factor=state`, or any-of / all-of lists (one level of nesting). */
const allOfRefs = z.strictObject({ all: z.array(stateRef).min(1) });
const anyOfRefs = z.strictObject({ any: z.array(stateRef).min(1) });
export const conditionSchema = z.union([
  stateRef,
  z.strictObject({ any: z.array(z.union([stateRef, allOfRefs])).min(1) }),
  z.strictObject({ all: z.array(z.union([stateRef, anyOfRefs])).min(1) }),
]);

/** A forecast question: will `condition` hold by `horizon` (steps from asOf, or a date)? */
export const questionSchema = z.strictObject({
  id,
  text,
  condition: conditionSchema,
  horizon: z.union([z.number().int().min(1).max(1000), date]),
  /** `by` (default): the condition holds at some step up to the horizon; `at`: at the horizon. */
  mode: z.enum(["by", "at"]).optional(),
  /** Interventions: factors held in a state for the whole run. */
  given: z.union([stateRef, z.array(stateRef)]).optional(),
  rationale: z.string().optional(),
  evidence: evidence.optional(),
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
  step: z
    .string()
    .regex(/^P(\d+[YMWD])+$/, "an ISO 8601 duration such as P1M or P2W")
    .optional(),
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
});

export type ModelInput = z.infer<typeof modelSchema>;
export type SourceInput = z.infer<typeof sourceSchema>;
export type ActorInput = z.infer<typeof actorSchema>;
export type FactorInput = z.infer<typeof factorSchema>;
export type ImpactInput = z.infer<typeof impactSchema>;
export type EvidenceInput = z.infer<typeof evidence>;
export type QuestionInput = z.infer<typeof questionSchema>;
export type ConditionInput = z.infer<typeof conditionSchema>;

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
