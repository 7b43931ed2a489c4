// Problems found in a model (errors and warnings, each with file, line and path), how they
// print, and the error that carries them. A light module: printing a problem needs no parser.
import { InputError } from "../errors.js";
import type { Problem } from "./types.js";

/** Thrown by `loadModelOrThrow` and friends: carries every problem found. */
export class ModelError extends InputError {
  constructor(
    readonly problems: Problem[],
    readonly file?: string,
  ) {
    const errors = problems.filter((p) => p.severity === "error");
    super(
      `${file ?? "model"}: ${errors.length} error${errors.length === 1 ? "" : "s"}\n${errors
        .slice(0, 20)
        .map(formatProblem)
        .join("\n")}`,
    );
    this.name = "ModelError";
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line !== undefined ? `${p.line}:${p.column ?? 1}` : undefined]
    .filter(Boolean)
    .join(":");
  return `${where ? `${where}: ` : ""}${p.severity} [${p.code}] ${p.path}: ${p.message}`;
}

export function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** The problem of a model file that cannot be read (missing, a folder, no permission…). */
export function unreadableProblem(file: string, e: unknown): Problem {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a folder" : err.message;
  return {
    severity: "error",
    code: "unreadable",
    path: "(file)",
    message: `cannot read the model: ${why}`,
    file,
  };
}
