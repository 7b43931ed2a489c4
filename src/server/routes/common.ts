// What the route modules share to declare their routes: the context they are given, and the
// OpenAPI pieces (JSON responses, the usual error answers, a required JSON body, numbers in a
// path or query). Each module registers its routes on the app with `xRoutes(app, ctx)`.
import { z } from "@hono/zod-openapi";
import type { ApiShapes } from "../../contract/api.js";
import type { Store } from "../../store/index.js";
import { ErrorSchema } from "../http.js";
import type { Jobs } from "../jobs.js";

/** What a route module may use; each takes only the part it needs. */
export interface RouteContext {
  store: Store;
  queue: Jobs;
  version: string;
}

/** A whole number ≥ 1 written in a path or query parameter. */
export const IntText = (name: string, where: "path" | "query") =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, "expected a whole number ≥ 1")
    .transform(Number)
    .openapi({ param: { name, in: where }, type: "integer" });
export const Version = z.number().int().min(1).max(999_999_999);

/**
 * A response shape of src/contract/api.ts by name: typed as that shape for the handlers, and
 * in the OpenAPI document a reference into its components, which hold schema/api.schema.json
 * (registered by metaRoutes).
 */
export const shape = <K extends keyof ApiShapes>(name: K) =>
  z.unknown().openapi({ $ref: `#/components/schemas/${name}` } as never) as unknown as z.ZodType<
    ApiShapes[K]
  >;
export const listOf = <K extends keyof ApiShapes>(name: K) => z.array(shape(name));

export const json = (schema: z.ZodType, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
export const errors = {
  400: json(ErrorSchema, "invalid parameter or body"),
  401: json(ErrorSchema, "missing or wrong token"),
  404: json(ErrorSchema, "unknown id"),
};
export const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true as const },
});
