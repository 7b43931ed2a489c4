// What is read off a model version besides its text: the cross-impact matrix with each judged
// cell's impact, rationale and evidence, and the evidence of every judgment resolved against the
// corpus.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { verifyEvidence } from "../../evidence/verify.js";
import { compileModel } from "../../model/compile.js";
import { matrixView } from "../../model/matrix-view.js";
import { corpusFromStore, getModelVersion, validateModelText } from "../../store/index.js";
import { ModelId } from "../http.js";
import { errors, IntText, json, type RouteContext, shape } from "./common.js";

export function modelViewRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/matrix",
      summary: "The cross-impact matrix with each judged cell's impact, rationale and evidence",
      request: {
        params: z.object({ id: ModelId }),
        query: z.strictObject({ version: IntText("version", "query").optional() }),
      },
      responses: { 200: json(shape("MatrixRecord"), "the matrix"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const m = await getModelVersion(store, id, version);
      const { model } = validateModelText(m.text);
      return c.json({ id, version: m.version, ...matrixView(model, compileModel(model)) }, 200);
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
      const { model, hash } = validateModelText(m.text);
      return c.json(
        { id, version: m.version, hash, ...verifyEvidence(model, await corpusFromStore(store)) },
        200,
      );
    },
  );
}
