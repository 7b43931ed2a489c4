// The zod schema of each engine's options, compiled from its declaration in options.ts: what
// the HTTP API validates a run request against and what its OpenAPI document shows (bounds,
// defaults, enums, descriptions). Loaded by the server only; the CLI checks the same
// declaration without zod (fields.ts), and a failure here is reported with the message
// fields.ts gives, so a bad option reads the same from every adapter.
import { z } from "zod";
import { type Checked, type Field, fieldMessage, type OptionSpec, type OptionsOf, shown } from "./fields.js";
import { type EngineName, OPTIONS } from "./options.js";

function fieldSchema(f: Field): z.ZodType {
  switch (f.kind) {
    case "int":
      return z.number().int().min(f.min).max(f.max);
    case "number": {
      let s = z.number();
      s = f.minExclusive ? s.gt(f.min) : s.min(f.min);
      s = f.maxExclusive ? s.lt(f.max) : s.max(f.max);
      return s;
    }
    case "enum":
      return z.enum(f.values as [string, ...string[]]);
    case "boolean":
      return z.boolean();
    case "text":
      return z.string().min(1).max(f.max);
    case "list": {
      const item = f.values ? z.enum(f.values as [string, ...string[]]) : z.string().min(1).max(f.itemMax);
      return z.array(item).max(f.maxItems);
    }
  }
}

/** The strict zod object of a spec: unknown names are refused, defaults filled. */
export function optionsSchema<S extends OptionSpec>(spec: S) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, f] of Object.entries(spec)) {
    const s = fieldSchema(f).describe(f.describe);
    shape[key] = "default" in f && f.default !== undefined ? s.default(f.default as never) : s.optional();
  }
  return z.strictObject(shape);
}

/** Every engine's options schema, by engine name. */
export const OPTION_SCHEMAS = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, spec]) => [name, optionsSchema(spec)]),
) as Record<EngineName, ReturnType<typeof optionsSchema>>;

/**
 * Validates a run's options with its zod schema. A failure names the first bad option and says
 * what is wrong in the words of fields.ts, the same as the CLI and the app say it.
 */
export function parseEngineOptions<K extends EngineName>(
  name: K,
  input: unknown,
): Checked<OptionsOf<(typeof OPTIONS)[K]>> {
  const spec: OptionSpec = OPTIONS[name];
  const r = OPTION_SCHEMAS[name].safeParse(input ?? {});
  if (r.success) return { ok: true, value: r.data as OptionsOf<(typeof OPTIONS)[K]> };
  const issue = r.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    return {
      ok: false,
      problems: [{ path: key, message: `unknown option (known: ${Object.keys(spec).join(", ") || "none"})` }],
    };
  }
  const key = String(issue.path[0] ?? "");
  const f = spec[key];
  if (!f)
    return { ok: false, problems: [{ path: "", message: `options must be an object; got ${shown(input)}` }] };
  return {
    ok: false,
    problems: [{ path: key, message: fieldMessage(f, (input as Record<string, unknown>)[key]) }],
  };
}
