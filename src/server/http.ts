// What the app and every route module of the API share: the errors it reports with a status
// (a user's mistake, 4xx, or the server's fault, 5xx), the problem shape (as the CLI prints it),
// the body limits, and the schemas of an error answer and of a model id.
import { z } from "@hono/zod-openapi";
import { InputError } from "../errors.js";
import { MAX_DOCUMENT_BYTES } from "../evidence/text.js";
import type { Problem } from "../model/types.js";

export const MODEL_BODY_LIMIT = 2 * 1024 * 1024;
/** A document's body: the largest document as base64 (4 characters per 3 bytes, for a PDF) and 1 MB. */
export const DOCUMENT_BODY_LIMIT = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 1024 * 1024;
export const SMALL_BODY_LIMIT = 64 * 1024;

/** A user error the API reports with a 4xx status; problems in the CLI's shape. */
export class ApiError extends InputError {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413 | 422 | 429,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A fault of the server (5xx) the API reports with its status: never an InputError. */
export class ServerFault extends Error {
  constructor(
    readonly status: 500 | 501 | 503,
    message: string,
  ) {
    super(message);
    this.name = "ServerFault";
  }
}

export const problem = (path: string, message: string, code = "invalid"): Problem => ({
  severity: "error",
  code,
  path,
  message,
});

/** Zod issues as problems under `where` (body, path, query, body.options ...). */
export function zodProblems(
  issues: { path: PropertyKey[]; message: string; code?: string }[],
  where: string,
): Problem[] {
  return issues.map((i) =>
    problem(
      [where, ...i.path.map(String)].filter(Boolean).join("."),
      i.message,
      i.code === "unrecognized_keys" ? "unknown-key" : "invalid",
    ),
  );
}

export const ErrorSchema = z
  .object({
    error: z.string(),
    problems: z
      .array(
        z.object({
          severity: z.enum(["error", "warning"]),
          code: z.string(),
          path: z.string(),
          message: z.string(),
          line: z.number().optional(),
          column: z.number().optional(),
        }),
      )
      .optional(),
  })
  .openapi("Error");

/**
 * A text the store can keep as sent: JSON can carry a lone UTF-16 surrogate ("\\ud800"), which
 * is not Unicode and would be changed (to U+FFFD) on its way to UTF-8. Refused with its place.
 */
export const unicodeText = (t: z.ZodString) =>
  t.superRefine((s, ctx) => {
    const m = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(s);
    if (m) {
      const before = s.slice(0, m.index);
      const line = before.split("\n").length;
      const column = m.index - before.lastIndexOf("\n");
      ctx.addIssue({
        code: "custom",
        message: `not valid Unicode: a lone surrogate \\u${m[0].charCodeAt(0).toString(16)} at line ${line}, column ${column}`,
      });
    }
  });

export const ModelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "expected a model id: a-z, 0-9, '.', '_', '-', at most 64 characters")
  .openapi({ param: { name: "id", in: "path" }, example: "oman-2025" });
