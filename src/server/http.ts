// What every route module of the API shares: the error it reports with a status, the problem
// shape (as the CLI prints it), and the schemas of an error answer and of a model id.
import { z } from "@hono/zod-openapi";
import { InputError } from "../errors.js";
import type { Problem } from "../model/types.js";

/** An error the API reports with a status; problems in the CLI's shape. */
export class ApiError extends InputError {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413 | 422 | 500 | 501,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const problem = (path: string, message: string, code = "invalid"): Problem => ({
  severity: "error",
  code,
  path,
  message,
});

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

export const ModelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "expected a model id: a-z, 0-9, '.', '_', '-', at most 64 characters")
  .openapi({ param: { name: "id", in: "path" }, example: "oman-2025" });
