// The options of a run, declared once as plain data: each field's kind, bounds, default and
// description. Every adapter derives what it needs from the same declaration:
//
//   options spec ──► checkOptions()   one check, one message per bad value (CLI, UI, engines)
//                ├─► cliValue()       the CLI's flag parser (src/cli/command.ts builds the flags)
//                └─► optionsSchema()  the zod schema of the API and its OpenAPI document
//                                     (src/runs/schema.ts, loaded only by the server)
//
// Plain data rather than zod here, because the CLI registers its flags at start-up and zod takes
// ~100 ms to import; the zod schema is compiled from this declaration with the same messages, so
// a bad option is rejected with the same path and message everywhere (test/runs/options.test.ts).

export type Field =
  | {
      kind: "int";
      min: number;
      max: number;
      default?: number;
      describe: string;
    }
  | {
      kind: "number";
      min: number;
      max: number;
      /** The lower bound itself is not allowed (a share, a precision). */
      minExclusive?: boolean;
      maxExclusive?: boolean;
      default?: number;
      describe: string;
    }
  | { kind: "enum"; values: readonly string[]; default?: string; describe: string }
  | {
      kind: "boolean";
      default?: boolean;
      describe: string;
      /** What turning a default-true field off does, in words (the CLI's --no- flag). */
      off?: string;
    }
  | { kind: "text"; max: number; describe: string }
  | {
      kind: "list";
      /** Items are non-empty texts of at most `itemMax` characters, or one of `values`. */
      itemMax: number;
      values?: readonly string[];
      maxItems: number;
      /** On the command line: one flag with comma-separated items (else the flag repeats). */
      commaSeparated?: boolean;
      describe: string;
    };

/** A run's options: field name (camelCase, as the API and the engines spell it) → field. */
export type OptionSpec = Record<
  string,
  Field & {
    /** The CLI's flag when it is not the name in kebab case. */
    flag?: string;
    /** The CLI's value placeholder (default by kind: n, x, choice, f=s,…). */
    placeholder?: string;
  }
>;

/** The typed value of a field. */
export type FieldValue<F extends Field> = F extends { kind: "int" | "number" }
  ? number
  : F extends { kind: "boolean" }
    ? boolean
    : F extends { kind: "list" }
      ? string[]
      : string;

/** The options a spec accepts; fields with a default are always present after checking. */
export type OptionsOf<S extends OptionSpec> = {
  [K in keyof S as S[K] extends { default: unknown } ? K : never]: FieldValue<S[K]>;
} & {
  [K in keyof S as S[K] extends { default: unknown } ? never : K]?: FieldValue<S[K]>;
};

/** One bad option: its path (the field name) and what is wrong, the same in every adapter. */
export interface OptionProblem {
  path: string;
  message: string;
}

const n = (x: number) => x.toLocaleString("en");

/** What a field accepts, in words: the first half of every message about it. */
export function expectation(f: Field): string {
  switch (f.kind) {
    case "int":
      return `must be a whole number from ${n(f.min)} to ${n(f.max)}`;
    case "number": {
      const lo = f.minExclusive ? `greater than ${n(f.min)}` : `at least ${n(f.min)}`;
      const hi = f.maxExclusive ? `less than ${n(f.max)}` : `at most ${n(f.max)}`;
      return `must be a number ${lo} and ${hi}`;
    }
    case "enum":
      return `must be one of ${f.values.join(", ")}`;
    case "boolean":
      return "must be true or false";
    case "text":
      return `must be a text of 1 to ${n(f.max)} characters`;
    case "list":
      return f.values
        ? `must be a list of up to ${n(f.maxItems)} of ${f.values.join(", ")}`
        : `must be a list of up to ${n(f.maxItems)} texts of 1 to ${n(f.itemMax)} characters`;
  }
}

export const shown = (v: unknown): string => {
  if (typeof v === "string") return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "object") return "an object";
  return String(v);
};

/** The message for a bad value: what the field accepts, and what it got. */
export const fieldMessage = (f: Field, got: unknown): string => `${expectation(f)}; got ${shown(got)}`;

/** Whether a value (already of the right JavaScript type or not) is valid for a field. */
export function fieldAccepts(f: Field, v: unknown): boolean {
  switch (f.kind) {
    case "int":
      return typeof v === "number" && Number.isInteger(v) && v >= f.min && v <= f.max;
    case "number":
      return (
        typeof v === "number" &&
        Number.isFinite(v) &&
        (f.minExclusive ? v > f.min : v >= f.min) &&
        (f.maxExclusive ? v < f.max : v <= f.max)
      );
    case "enum":
      return typeof v === "string" && f.values.includes(v);
    case "boolean":
      return typeof v === "boolean";
    case "text":
      return typeof v === "string" && v.length >= 1 && v.length <= f.max;
    case "list":
      return (
        Array.isArray(v) &&
        v.length <= f.maxItems &&
        v.every((x) =>
          f.values
            ? typeof x === "string" && f.values.includes(x)
            : typeof x === "string" && x.length >= 1 && x.length <= f.itemMax,
        )
      );
  }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: OptionProblem[] };

/**
 * Checks an options object against a spec: unknown names, bad values, and fills the defaults.
 * Never throws; every problem is reported with its path.
 */
export function checkOptions<S extends OptionSpec>(spec: S, input: unknown): Checked<OptionsOf<S>> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== "object" || Array.isArray(input))
    return { ok: false, problems: [{ path: "", message: `options must be an object; got ${shown(input)}` }] };
  const problems: OptionProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const f = spec[key];
    if (!Object.hasOwn(spec, key) || !f) {
      problems.push({
        path: key,
        message: `unknown option (known: ${Object.keys(spec).join(", ") || "none"})`,
      });
      continue;
    }
    if (value === undefined) continue;
    if (!fieldAccepts(f, value)) problems.push({ path: key, message: fieldMessage(f, value) });
    else out[key] = value;
  }
  for (const [key, f] of Object.entries(spec)) {
    const def = defaultOf(f);
    if (out[key] === undefined && def !== undefined && !problems.some((p) => p.path === key)) out[key] = def;
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out as OptionsOf<S> };
}

/** A field's default, if it has one. */
export const defaultOf = (f: Field): unknown => ("default" in f ? f.default : undefined);

/** The CLI's flag for a field: runsPerMatrix → --runs-per-matrix (or the field's own `flag`). */
export const flagOf = (key: string, f?: { flag?: string }): string =>
  `--${f?.flag ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Reads a flag's text as a field's value (the CLI's parser), or returns the problem.
 * Numbers accept the forms a person types (1e5, 100000); anything else is refused as it is.
 */
export function cliValue(
  f: Field,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  let v: unknown = text;
  if (f.kind === "int" || f.kind === "number") v = text.trim() === "" ? Number.NaN : Number(text);
  else if (f.kind === "boolean") v = text === "true" ? true : text === "false" ? false : text;
  else if (f.kind === "list") v = f.commaSeparated ? text.split(",").map((s) => s.trim()) : [text];
  if (!fieldAccepts(f, v))
    return {
      ok: false,
      message: fieldMessage(f, typeof v === "number" && Number.isNaN(v) ? text : v),
    };
  return { ok: true, value: v };
}
