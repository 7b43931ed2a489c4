// Shared plumbing of the CLI: output, errors and exit codes, the default model, tables.

import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { InputError } from "../errors.js";
import { readModelFile } from "../model/file.js";
import { formatProblem, ModelError } from "../model/problems.js";
import type { Problem } from "../model/types.js";

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (128 + SIGINT, as shells report it): the output, if any, is partial. */
export const EXIT_INTERRUPTED = 130;

/** A failure the user can act on: printed without a stack trace, with an exit code. */
export class CliError extends InputError {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_INVALID,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/**
 * A closed pipe is the reader saying it has read enough (`muscat show | head -1`): like the
 * usual Unix tools, stop quietly with exit 0 instead of crashing on EPIPE. Other stream
 * errors are real and still surface.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  // Installed once per stream. (Counting the stream's error listeners is no test: a worker
  // thread's output is piped into it, and each pipe adds a listener of its own, which it drops
  // on the first error, leaving the stream with none and the process to crash.)
  if (stream.listeners("error").includes(onClosedPipe)) return;
  stream.on("error", onClosedPipe);
}

function onClosedPipe(e: NodeJS.ErrnoException): void {
  if (e.code === "EPIPE") process.exit(EXIT_OK);
  throw e;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
};

import { packageRoot } from "../package.js";

export { packageRoot, packageVersion } from "../package.js";

/** The shipped seed model, used when a command is given no MODEL. */
export function defaultModelPath(): string {
  return join(packageRoot(), "models", "oman-2025.yaml");
}

export function resolveModelPath(p: string | undefined): string {
  return p ? resolve(p) : defaultModelPath();
}

/**
 * Loads a model for a command (a Muscat model, or a ScenarioWizard .scw or matrix .csv read as
 * `import` reads it), or throws a CliError listing every problem.
 */
export async function loadForCommand(path: string | undefined, opts: { sourcesDir?: string } = {}) {
  const file = resolveModelPath(path);
  const r = await readModelFile(file, opts);
  if (!r.model) throw new CliError(`${displayPath(file)} is not a valid model`, EXIT_INVALID, r.problems);
  return { ...r, model: r.model, path: file };
}

export function displayPath(p: string): string {
  const rel = p.startsWith(`${process.cwd()}/`) ? p.slice(process.cwd().length + 1) : p;
  return rel;
}

export function printProblems(io: Io, problems: Problem[]): void {
  for (const p of problems) {
    const line = formatProblem({ ...p, file: p.file ? displayPath(p.file) : p.file });
    io.err(p.severity === "error" ? pc.red(line) : pc.yellow(line));
  }
}

export function errorToJson(e: unknown): Record<string, unknown> {
  if (e instanceof CliError) return { error: e.message, problems: e.problems ?? [] };
  if (e instanceof ModelError) return { error: e.message.split("\n")[0], problems: e.problems };
  if (e instanceof InputError) return { error: e.message, code: e.code, ...(e.path ? { path: e.path } : {}) };
  return { error: e instanceof Error ? e.message : String(e) };
}

/** Writes a file atomically (temp file + rename): a failed write leaves the old file as it was. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export type OutputFormat = "table" | "json" | "csv" | "yaml" | "sl" | "scw";

export function checkFormat(f: string, allowed: OutputFormat[]): OutputFormat {
  if (!allowed.includes(f as OutputFormat))
    throw new CliError(`--format must be one of ${allowed.join(", ")}; got '${f}'`, EXIT_USAGE);
  return f as OutputFormat;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}

/** Pads a string to a width, counting code points and ignoring colour escapes. */
export function pad(s: string, width: number, right = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour escapes
  const len = [...s.replace(/\u001b\[[0-9;]*m/g, "")].length;
  if (len >= width) return s;
  return right ? " ".repeat(width - len) + s : s + " ".repeat(width - len);
}

export function terminalWidth(): number {
  return process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 120;
}
