// Run options in the app: the same declarations, bounds, defaults and messages as the CLI and
// the API (src/runs/options.ts), so the app refuses a bad value before it sends it, in the same
// words the server would use.
import { checkOptions, type OptionProblem } from "../../src/runs/fields.js";
import { type EngineName, OPTIONS } from "../../src/runs/options.js";

export { OPTIONS };

/** The first problem with a run's options, or null when they are fine. */
export function optionProblem(engine: string, options: Record<string, unknown>): OptionProblem | null {
  if (!Object.hasOwn(OPTIONS, engine)) return { path: "engine", message: `unknown engine '${engine}'` };
  const r = checkOptions(OPTIONS[engine as EngineName], options);
  return r.ok ? null : r.problems[0];
}

/** Bounds of a numeric option, for an input's min and max. */
export function bounds(engine: EngineName, key: string): { min?: number; max?: number } {
  const f = (OPTIONS[engine] as Record<string, { kind: string; min?: number; max?: number }>)[key];
  return f && (f.kind === "int" || f.kind === "number") ? { min: f.min, max: f.max } : {};
}

/** An option's default value. */
export function defaultOf<T>(engine: EngineName, key: string): T {
  return (OPTIONS[engine] as Record<string, { default?: unknown }>)[key]?.default as T;
}
