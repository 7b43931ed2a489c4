// The engines a run can use, as the HTTP API offers them. Everything here comes from the
// engine registry (src/runs/registry.ts) and the options declarations (src/runs/options.ts):
// the API validates a request's options with their zod schema (src/runs/schema.ts), records
// the engine's version and seed, and the job worker runs the engine by looking it up.

import type { OptionSpec } from "../runs/fields.js";
import { ENGINE_NAMES, type EngineName } from "../runs/options.js";
import { type Engine, ENGINES as REGISTRY } from "../runs/registry.js";

export { runEngine } from "../runs/registry.js";
export { OPTION_SCHEMAS, parseEngineOptions } from "../runs/schema.js";
export type { EngineName };

export const ENGINES = ENGINE_NAMES;

/** Engines whose code has not landed in this build: a run request is refused with a reason. */
export const UNAVAILABLE: Partial<Record<EngineName, string>> = {};

export const engineVersion = (engine: EngineName): string => REGISTRY[engine].version;

/** The seed a run uses (recorded with it), or null for deterministic runs; options are checked. */
export const seedOf = (engine: EngineName, options: Record<string, unknown>): number | null =>
  (REGISTRY[engine] as Engine<OptionSpec>).seed(options as never);
