// What is read off a model version besides its text: the cross-impact matrix with each judged
// cell's impact, rationale and evidence (whole, or a page of rows; served as JSON bytes from the
// content-keyed cache, computed off the main thread for large models), and the evidence of every
// judgment resolved against the corpus.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { verifyEvidence } from "../../evidence/verify.js";
import { corpusFromStore, getModelVersion } from "../../store/index.js";
import { ApiError, ModelId, problem } from "../http.js";
import { splicedJson } from "../json-body.js";
import { modelWork } from "../model-cache.js";
import { errors, IntText, json, type RouteContext, shape } from "./common.js";

export function modelViewRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/matrix",
      summary: "The cross-impact matrix with each judged cell's impact, rationale and evidence",
      description:
        "The whole matrix, or with `rows=FROM,COUNT` a page: matrix rows FROM to FROM+COUNT−1 " +
        "(0-based global state indices, COUNT at most 100000) in `rows`, only the judged cells of " +
        "those rows in `cells`, and `page: {from, count, total}` (total: every row). `factors`, " +
        "`labels` and `maxAbs` are always whole. A page past the last row is empty. The body of a " +
        "large matrix is streamed.",
      request: {
        params: z.object({ id: ModelId }),
        query: z.strictObject({
          version: IntText("version", "query").optional(),
          rows: z
            .string()
            .regex(/^\d{1,9},[1-9]\d{0,5}$/, "expected rows=FROM,COUNT (FROM ≥ 0, COUNT ≥ 1)")
            .optional()
            .openapi({ param: { name: "rows", in: "query" }, example: "0,100" }),
        }),
      },
      responses: { 200: json(shape("MatrixRecord"), "the matrix"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, rows } = c.req.valid("query");
      const page = rows?.split(",").map(Number) as [number, number] | undefined;
      if (page && page[1] > 100_000)
        throw new ApiError(400, "rows: COUNT is at most 100000", [
          problem("query.rows", "at most 100000 rows"),
        ]);
      const m = await getModelVersion(store, id, version);
      return splicedJson({ id, version: m.version }, await modelWork().matrix(m.text, page)) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/evidence",
      summary: "Every judgment's evidence resolved against the corpus",
      request: {
        params: z.object({ id: ModelId }),
        query: z.strictObject({ version: IntText("version", "query").optional() }),
      },
      responses: { 200: json(shape("EvidenceRecord"), "the verification report"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const m = await getModelVersion(store, id, version);
      const { model, hash } = await modelWork().validated(m.text);
      return c.json(
        { id, version: m.version, hash, ...verifyEvidence(model, await corpusFromStore(store)) },
        200,
      );
    },
  );
}
