// The one contract for failures a user can act on: an InputError carries a stable `code`, the
// `path` of what was wrong where there is one (an option, a field of the model, a line of a
// file) and a message that says what and where. Every engine's and adapter's user-facing error
// class extends it; the CLI maps it to exit 1 (2 for usage), the server to a 4xx answer. Any
// other exception is a bug and is reported as one, never as the user's mistake.

export class InputError extends Error {
  readonly code: string;
  readonly path?: string;
  constructor(message: string, opts: { code?: string; path?: string } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = opts.code ?? codeOf(new.target.name);
    if (opts.path !== undefined) this.path = opts.path;
  }
}

/** "ModelInvalidError" → "model-invalid". */
function codeOf(className: string): string {
  return (
    className
      .replace(/Error$/, "")
      .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
      .toLowerCase() || "input"
  );
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
