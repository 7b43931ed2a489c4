// What is read off a model version besides its text: the cross-impact matrix with each judged
// cell's impact, rationale and evidence, and the evidence of every judgment resolved against the
// corpus.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { verifyEvidence } from "../../evidence/verify.js";
import { compileModel } from "../../model/compile.js";
import { corpusFromStore, getModelVersion, validateModelText } from "../../store/index.js";
import { ModelId } from "../http.js";
import { Any, errors, IntText, json, type RouteContext } from "./common.js";

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
      responses: { 200: json(Any, "the matrix"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const m = await getModelVersion(store, id, version);
      const { model } = validateModelText(m.text);
      const cm = compileModel(model);
      const M = cm.size;
      const labels: string[] = [];
      const factorIdx: number[] = [];
      cm.factorIds.forEach((f, i) =>
        cm.stateIds[i].forEach((s) => {
          labels.push(`${f}=${s}`);
          factorIdx.push(i);
        }),
      );
      const rows: number[][] = [];
      for (let r = 0; r < M; r++) rows.push(Array.from(cm.matrix.subarray(r * M, (r + 1) * M)));
      const cells = [...cm.cellImpacts].map(([key, impacts]) => {
        const r = Math.floor(key / M);
        const col = key % M;
        const first = model.impacts[impacts[0]];
        const fi = factorIdx[r];
        const fj = factorIdx[col];
        const path =
          first.kind === "cell"
            ? `impacts[${impacts[0]}].strength`
            : `impacts[${impacts[0]}].matrix[${r - cm.offsets[fi]}][${col - cm.offsets[fj]}]`;
        return {
          from: labels[r],
          to: labels[col],
          row: r,
          column: col,
          strength: cm.matrix[key],
          impact: impacts[0],
          impacts,
          path,
          rationale: first.rationale ?? null,
          evidence: first.evidence,
        };
      });
      return c.json(
        {
          id,
          version: m.version,
          hash: cm.hash,
          factors: model.factors.map((f) => ({
            id: f.id,
            name: f.name,
            short: f.short,
            states: f.states.map((s) => ({ id: s.id, label: s.label, short: s.short })),
          })),
          labels,
          rows,
          cells,
        },
        200,
      );
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
      responses: { 200: json(Any, "the verification report"), ...errors },
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
