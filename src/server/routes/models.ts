// Models: list (latest versions), add, read a version, save a new version, set one value in the
// file (comments kept) as a new version, delete (cancelling the model's active runs first).
// Texts are validated with the model loader off the main thread for large texts, and reads are
// served from the content-keyed cache (model-cache.ts); a save based on a version that is not
// the latest is a 409 conflict. A model's history is in model-history.ts.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { InputError } from "../../errors.js";
import { parsePath } from "../../model/edit.js";
import {
  createModel,
  deleteModel,
  getModelVersion,
  listModels,
  ModelConflictError,
  saveModelVersion,
} from "../../store/index.js";
import { listRuns } from "../../store/runs.js";
import { ApiError, ErrorSchema, MODEL_BODY_LIMIT, ModelId, problem, unicodeText } from "../http.js";
import { splicedJson } from "../json-body.js";
import { modelWork } from "../model-cache.js";
import { body, errors, IntText, json, type RouteContext, shape, Version } from "./common.js";

const ModelText = unicodeText(z.string().min(1, "expected the model file's text").max(MODEL_BODY_LIMIT));

export function modelRoutes(app: OpenAPIHono, { store, queue }: Pick<RouteContext, "store" | "queue">): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models",
      summary: "List the models (latest versions)",
      responses: {
        200: json(
          z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              version: z.number(),
              hash: z.string(),
              updatedAt: z.string(),
            }),
          ),
          "the models",
        ),
        401: errors[401],
      },
    }),
    async (c) => c.json(await listModels(store), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/models",
      summary: "Add a model from its file text (YAML or JSON)",
      request: body(z.strictObject({ text: ModelText, message: z.string().max(500).optional() })),
      responses: {
        201: json(z.object({ id: z.string(), version: z.number(), hash: z.string() }), "created (version 1)"),
        ...errors,
        409: json(ErrorSchema, "a model with this id exists"),
        413: json(ErrorSchema, "body too large"),
        422: json(ErrorSchema, "invalid model, with every problem"),
      },
    }),
    async (c) => {
      const { text, message } = c.req.valid("json");
      const checked = await modelWork().check(text);
      const r = await createModel(store, text, { message, checked });
      return c.json({ id: r.id, version: r.version, hash: r.hash }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}",
      summary: "A model version (default the latest): text, normalised model, warnings",
      request: {
        params: z.object({ id: ModelId }),
        query: z.strictObject({ version: IntText("version", "query").optional() }),
      },
      responses: { 200: json(shape("ModelRecord"), "the model version"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const m = await getModelVersion(store, id, version);
      const { record } = await modelWork().check(m.text);
      // The text, the model and its problems come serialised from the cache.
      return splicedJson(
        {
          id: m.id,
          version: m.version,
          latestVersion: m.latestVersion,
          hash: m.hash,
          title: m.title,
          updatedAt: m.updatedAt,
          ...(m.message ? { message: m.message } : {}),
        },
        record,
      ) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/models/{id}",
      summary: "Save a new version (based on the latest version)",
      request: {
        params: z.object({ id: ModelId }),
        ...body(
          z.strictObject({ text: ModelText, baseVersion: Version, message: z.string().max(500).optional() }),
        ),
      },
      responses: {
        200: json(z.object({ id: z.string(), version: z.number(), hash: z.string() }), "the new version"),
        ...errors,
        409: json(ErrorSchema, "baseVersion is not the latest"),
        413: json(ErrorSchema, "body too large"),
        422: json(ErrorSchema, "invalid model"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { text, baseVersion, message } = c.req.valid("json");
      const checked = await modelWork().check(text);
      const r = await saveModelVersion(store, id, text, baseVersion, { message, checked });
      return c.json({ id: r.id, version: r.version, hash: r.hash }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/models/{id}",
      summary: "Set one value in the model file (comments kept) as a new version",
      request: {
        params: z.object({ id: ModelId }),
        ...body(
          z.strictObject({
            baseVersion: Version,
            path: z
              .string()
              .min(1)
              .max(200)
              .regex(/^[A-Za-z0-9_.[\]-]+$/, "expected a path such as impacts[3].strength"),
            value: z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()]),
            message: z.string().max(500).optional(),
          }),
        ),
      },
      responses: {
        200: json(z.object({ id: z.string(), version: z.number(), hash: z.string() }), "the new version"),
        ...errors,
        409: json(ErrorSchema, "baseVersion is not the latest"),
        422: json(ErrorSchema, "the edit would make the model invalid"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = c.req.valid("json");
      const m = await getModelVersion(store, id, b.baseVersion);
      if (m.version !== m.latestVersion)
        throw new ModelConflictError(
          `version conflict: the edit is based on version ${b.baseVersion} but the latest is ${m.latestVersion}; reload and apply it again`,
          m.latestVersion,
        );
      let text: string;
      try {
        text = await modelWork().set(m.text, parsePath(b.path), b.value);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        throw new ApiError(400, e.message, [problem("body.path", e.message)]);
      }
      const checked = await modelWork().check(text);
      const r = await saveModelVersion(store, id, text, b.baseVersion, {
        message: b.message ?? `set ${b.path} = ${JSON.stringify(b.value)}`,
        checked,
      });
      return c.json({ id: r.id, version: r.version, hash: r.hash }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/models/{id}",
      summary: "Delete a model with its versions and runs",
      request: { params: z.object({ id: ModelId }) },
      responses: { 200: json(z.object({ deleted: z.string() }), "deleted"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const active = (await listRuns(store, id)).filter(
        (r) => r.status === "queued" || r.status === "running",
      );
      for (const r of active) await queue.cancel(r.runId);
      if (active.length) await queue.idle();
      await deleteModel(store, id);
      return c.json({ deleted: id }, 200);
    },
  );
}
