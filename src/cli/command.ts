// What a command module needs to register its commands, without loading any engine: the
// context it receives, the shared --format option and the "Example:" help block.
import { type Command, Option } from "commander";
import {
  cliValue,
  defaultOf,
  fieldMessage,
  flagOf,
  type OptionSpec,
  type OptionsOf,
} from "../runs/fields.js";
import { CliError, EXIT_USAGE, type Io } from "./io.js";

export const formatOption = (choices: string[], def = "table") =>
  new Option("--format <format>", `output format: ${choices.join(" | ")}`).default(def);

/** `--workers <n>`: worker threads for a run's parts, 0–64 (`what` says which parts). */
export const workersOption = (def: number, what = "the run's parts") =>
  new Option("--workers <n>", `worker threads for ${what} (0: this thread)`)
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 64)
        throw new CliError(`--workers: must be a whole number from 0 to 64; got '${v}'`, EXIT_USAGE);
      return n;
    })
    .default(def);

export function example(cmd: Command, text: string): Command {
  return cmd.addHelpText("after", `\nExample:\n  ${text}\n`);
}

/** What a command module receives to register its commands. */
export interface CommandContext {
  program: Command;
  io: Io;
  /** Runs a command body (sync or async) and records its exit code. */
  run: (f: () => number | Promise<number>) => Promise<void>;
}

const PLACEHOLDER = { int: "n", number: "x", enum: "choice", text: "f=s,…", list: "item" } as const;

/**
 * Adds a run's options (declared in src/runs/options.ts) to a command as flags: the same
 * names, bounds, defaults and messages as the API and the app. A boolean that defaults to true
 * becomes `--no-name`; a list repeats its flag (or takes comma-separated items). `short` gives
 * one-letter aliases, `omit` leaves fields out, `describe` rewords a field's help for the CLI.
 */
export function addRunOptions(
  cmd: Command,
  spec: OptionSpec,
  o: { short?: Record<string, string>; omit?: string[]; describe?: Record<string, string> } = {},
): Command {
  for (const [key, f] of Object.entries(spec)) {
    if (o.omit?.includes(key)) continue;
    const flag = flagOf(key, f);
    const alias = o.short?.[key] ? `-${o.short[key]}, ` : "";
    const text = o.describe?.[key] ?? f.describe;
    const def = defaultOf(f);
    if (f.kind === "boolean") {
      cmd.addOption(
        def === true
          ? new Option(`${alias}--no-${flag.slice(2)}`, f.off ?? `not: ${text}`)
          : new Option(`${alias}${flag}`, text),
      );
      continue;
    }
    const hint =
      f.kind === "enum"
        ? ` (${f.values.join(" | ")})`
        : f.kind === "list" && !f.commaSeparated
          ? " (repeatable)"
          : "";
    const opt = new Option(
      `${alias}${flag} <${f.placeholder ?? PLACEHOLDER[f.kind]}>`,
      `${text}${hint}`,
    ).argParser((value: string, prev: unknown) => {
      const r = cliValue(f, value);
      if (!r.ok) throw new CliError(`${flag}: ${r.message}`, EXIT_USAGE);
      if (f.kind !== "list" || f.commaSeparated) return r.value;
      const list = [...((prev as string[] | undefined) ?? []), ...(r.value as string[])];
      if (list.length > f.maxItems) throw new CliError(`${flag}: ${fieldMessage(f, list)}`, EXIT_USAGE);
      return list;
    });
    if (def !== undefined) opt.default(def);
    cmd.addOption(opt);
  }
  return cmd;
}

/** The run's options out of a command's parsed flags, under the names the spec gives them. */
export function runOptionsOf<S extends OptionSpec>(spec: S, parsed: Record<string, unknown>): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec)) {
    const attr = flagOf(key, f)
      .slice(2)
      .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (parsed[attr] !== undefined) out[key] = parsed[attr];
  }
  return out as OptionsOf<S>;
}
