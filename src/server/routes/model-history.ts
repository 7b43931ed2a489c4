// A model's history: its versions (newest first), what changed between two versions (model
// paths and a unified text diff), and saving an earlier version again as the newest one.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { modelDiff, textDiff } from "../../model/diff.js";
import { getModelVersion, listModelVersions, saveModelVersion } from "../../store/index.js";
import { ErrorSchema, ModelId } from "../http.js";
import { modelWork } from "../model-cache.js";
import { body, errors, IntText, json, type RouteContext, shape, Version } from "./common.js";

export function modelHistoryRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/versions",
      summary: "The model's versions, newest first",
      request: { params: z.object({ id: ModelId }) },
      responses: {
        200: json(
          z.array(
            z.object({
              version: z.number(),
              hash: z.string(),
              createdAt: z.string(),
              message: z.string().optional(),
            }),
          ),
          "versions",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await listModelVersions(store, c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/diff",
      summary: "What changed between two versions: model paths and a unified text diff",
      request: {
        params: z.object({ id: ModelId }),
        query: z.strictObject({ from: IntText("from", "query"), to: IntText("to", "query") }),
      },
      responses: { 200: json(shape("ModelDiff"), "the diff"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { from, to } = c.req.valid("query");
      const a = await getModelVersion(store, id, from);
      const b = await getModelVersion(store, id, to);
      const [va, vb] = await Promise.all([modelWork().validated(a.text), modelWork().validated(b.text)]);
      const ma = va.model;
      const mb = vb.model;
      return c.json(
        {
          from,
          to,
          hashes: { from: a.hash, to: b.hash },
          changes: modelDiff(ma, mb),
          textDiff: textDiff(a.text, b.text, `${id}@${from}`, `${id}@${to}`),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/models/{id}/restore",
      summary: "Save an earlier version again as the newest version",
      request: {
        params: z.object({ id: ModelId }),
        ...body(z.strictObject({ version: Version, baseVersion: Version })),
      },
      responses: {
        200: json(z.object({ id: z.string(), version: z.number(), hash: z.string() }), "the new version"),
        ...errors,
        409: json(ErrorSchema, "baseVersion is not the latest"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, baseVersion } = c.req.valid("json");
      // As restoreModelVersion, with the text checked through the cache (off the main thread).
      const old = await getModelVersion(store, id, version);
      const checked = await modelWork().check(old.text);
      const r = await saveModelVersion(store, id, old.text, baseVersion, {
        message: `restore version ${version}`,
        checked,
      });
      return c.json({ id: r.id, version: r.version, hash: r.hash }, 200);
    },
  );
}
