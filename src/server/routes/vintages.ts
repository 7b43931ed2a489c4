// Forecast vintages, resolutions and scores over HTTP (docs/api-contract.md). An adapter like
// the rest of the API: a vintage is made by the forecast module (makeVintage) from a finished
// `forecast` run's result exactly as issued (made = when the run ended; asOf = the date the
// request gives, else the model's asOf, never before it) and kept in the store,
// the same store where the CLI's `muscat forecast --save` puts its vintages; a vintage file
// (as `muscat vintages export` writes it) is exported and imported as is, checked by
// parseVintage; resolutions are validated here (question ids of the model's latest version,
// real dates) and written all or nothing; scores come from scoreVintage and the chart from
// src/report/charts.ts (ECharts, loaded when a score is first drawn); a model's forecast
// history across its vintages, scored over time, from forecastHistory.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { ForecastHistoryRecord, ResolutionsRecord } from "../../contract/api.js";
import type { ForecastResult } from "../../forecast/forecast.js";
import { forecastHistory } from "../../forecast/history.js";
import type { Resolution } from "../../forecast/resolutions.js";
import {
  asOfProblem,
  checkVintage,
  makeVintage,
  scoreVintage,
  VINTAGE_ID_PATTERN,
  VintageError,
  vintageJson,
} from "../../forecast/vintage.js";
import { isCalendarDate } from "../../model/step.js";
import type { Model, Problem } from "../../model/types.js";
import {
  getResolutions,
  getStoredVintage,
  importVintages,
  insertVintage,
  listStoredVintages,
  replaceResolutions,
  vintageOfRun,
} from "../../store/forecasts.js";
import type { Store } from "../../store/index.js";
import { getModelVersion } from "../../store/models.js";
import { getRun } from "../../store/runs.js";
import { ApiError, ErrorSchema, MODEL_BODY_LIMIT, ModelId } from "../http.js";
import { modelWork } from "../model-cache.js";
import { errors, json, listOf, type RouteContext, shape } from "./common.js";

export { VINTAGE_ID_PATTERN };
export const MAX_RESOLUTIONS = 1000;
/** A vintage file (every question's forecast, drivers and indicators) is sent whole. */
export const VINTAGE_BODY_LIMIT = MODEL_BODY_LIMIT;

const VintageId = z
  .string()
  .max(100)
  .regex(VINTAGE_ID_PATTERN, "expected a vintage id such as oman-2025-20250601T120000Z-1a2b3c4d")
  .openapi({ param: { name: "vid", in: "path" }, example: "oman-2025-20250601T120000Z-1a2b3c4d" });

const QuestionId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "expected a question id: a-z, 0-9, '.', '_', '-', at most 64");

const Day = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD")
    .refine(isCalendarDate, "expected a real calendar date YYYY-MM-DD");

const ResolutionIn = z.strictObject({
  question: QuestionId,
  outcome: z.enum(["yes", "no"]),
  date: Day(),
  source: z.string().max(2000).optional(),
});

/** The charts (ECharts) load with the first score drawn, not with the server. */
let chartsModule: Promise<typeof import("../../report/charts.js")> | undefined;
const charts = () => {
  chartsModule ??= import("../../report/charts.js");
  return chartsModule;
};

const problem = (path: string, message: string, code = "invalid"): Problem => ({
  severity: "error",
  code,
  path,
  message,
});

async function resolutionsView(store: Store, modelId: string): Promise<ResolutionsRecord> {
  return {
    modelId,
    resolutions: (await getResolutions(store, modelId)).map((r) => ({
      question: r.question,
      outcome: r.outcome === 1 ? ("yes" as const) : ("no" as const),
      date: r.date,
      ...(r.source ? { source: r.source } : {}),
      recordedAt: r.recordedAt,
    })),
  };
}

export function vintageRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/models/{id}/vintages",
      summary:
        "Save a finished forecast run of the model as a vintage (exactly as issued), as of a date (default: the model's asOf; never earlier)",
      request: {
        params: z.object({ id: ModelId }),
        body: {
          content: {
            "application/json": {
              schema: z.strictObject({
                runId: z.number().int().min(1).max(999_999_999),
                asOf: Day().optional().openapi({
                  description:
                    "the information date the vintage is issued as of (YYYY-MM-DD; default the model's asOf, never earlier): its score counts resolutions dated before it as known",
                  example: "2025-04-15",
                }),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: json(shape("StoredVintageSummary"), "the vintage saved"),
        200: json(
          shape("StoredVintageSummary"),
          "this run was saved before, as of the same date: that vintage",
        ),
        ...errors,
        409: json(
          ErrorSchema,
          "the run has not finished (or did not finish with a result), or was saved before as of another date",
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { runId, asOf: asked } = c.req.valid("json");
      await getModelVersion(store, id); // 404 for an unknown model
      const run = await getRun(store, runId);
      if (!run || run.modelId !== id)
        throw new ApiError(404, `model '${id}' has no run ${runId}`, [
          problem("body.runId", `no run ${runId} of model '${id}'`, "unknown-run"),
        ]);
      if (run.engine !== "forecast")
        throw new ApiError(400, `run ${runId} is a '${run.engine}' run; a vintage needs a 'forecast' run`, [
          problem("body.runId", `run ${runId} is not a forecast run`, "wrong-engine"),
        ]);
      if (run.status !== "done" || !run.result)
        throw new ApiError(
          409,
          `run ${runId} is ${run.status}; only a forecast run that finished can be saved as a vintage`,
        );
      const result = run.result as ForecastResult;
      const asOf = asked ?? result.model.asOf;
      // Never before the model's date, and after every observation the run was conditioned on.
      const bad = asOfProblem(asOf, result.model.asOf, result.observations?.used);
      if (bad) throw new ApiError(400, bad.message, [problem("body.asOf", bad.message, `as-of-${bad.code}`)]);
      const existing = await vintageOfRun(store, runId);
      if (existing) {
        if (existing.asOf === asOf) return c.json(existing, 200);
        throw new ApiError(
          409,
          `run ${runId} is saved already, as vintage ${existing.id} as of ${existing.asOf}; a run is saved as one vintage (run the forecast again to save it as of ${asOf})`,
        );
      }
      const made = new Date(run.finishedAt ?? run.createdAt);
      // The model version the run used: the questions' window starts, recorded in the vintage.
      // (A stored version always validated when saved; should it no longer, the vintage is made
      // without them and each window starts on the model's asOf.)
      let model: Model | undefined;
      try {
        model = (await modelWork().validated((await getModelVersion(store, id, run.version)).text)).model;
      } catch {
        model = undefined;
      }
      const v = makeVintage(result, { made, asOf, model });
      const saved = await insertVintage(store, v, {
        modelId: id,
        modelVersion: run.version,
        engineVersion: run.engineVersion,
        runId,
      });
      return c.json(saved, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/vintages",
      summary: "The model's vintages, oldest first",
      request: { params: z.object({ id: ModelId }) },
      responses: { 200: json(listOf("StoredVintageSummary"), "vintages"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getModelVersion(store, id);
      return c.json(await listStoredVintages(store, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/vintages/{vid}",
      summary: "A vintage: its summary and the vintage object as issued (every question's forecast)",
      request: { params: z.object({ vid: VintageId }) },
      responses: { 200: json(shape("StoredVintage"), "the vintage"), ...errors },
    }),
    async (c) => {
      const { vid } = c.req.valid("param");
      const v = await getStoredVintage(store, vid);
      if (!v) throw new ApiError(404, `no vintage '${vid}'`);
      return c.json(v, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/vintages/{vid}/export",
      summary:
        "The vintage as a file: its JSON exactly as issued, as `muscat vintages export` writes it (import it with POST /api/vintage-imports or `muscat vintages import`)",
      request: { params: z.object({ vid: VintageId }) },
      responses: {
        200: json(shape("Vintage"), "the vintage file"),
        ...errors,
      },
    }),
    async (c) => {
      const { vid } = c.req.valid("param");
      const v = await getStoredVintage(store, vid);
      if (!v) throw new ApiError(404, `no vintage '${vid}'`);
      // The file's bytes as the CLI writes them (indented), not c.json's: the route's typing
      // only knows c.json for a JSON answer, hence the cast.
      return c.body(vintageJson(v.vintage), 200, {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${vid}.json"`,
      }) as never;
    },
  );

  // A vintage file is larger than the small bodies of /api/vintages/*: its own path and limit.
  app.use(
    "/api/vintage-imports",
    bodyLimit({
      maxSize: VINTAGE_BODY_LIMIT,
      onError: (c) =>
        c.json({ error: `request body too large: at most ${VINTAGE_BODY_LIMIT / 1024 / 1024} MB here` }, 413),
    }),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/vintage-imports",
      summary:
        "Import a vintage file (the body is the vintage as exported): checked whole, its id against its content; kept under its model id",
      request: {
        body: { content: { "application/json": { schema: z.any() } }, required: true },
      },
      responses: {
        201: json(shape("StoredVintageSummary"), "the vintage imported"),
        200: json(
          shape("StoredVintageSummary"),
          "the same vintage was in the store already: nothing changed",
        ),
        ...errors,
        409: json(ErrorSchema, "another vintage with this id is in the store"),
        413: json(ErrorSchema, "the body is too large"),
      },
    }),
    async (c) => {
      let v: ReturnType<typeof checkVintage>;
      try {
        v = checkVintage(await c.req.json(), "the body");
      } catch (e) {
        if (!(e instanceof VintageError)) throw e;
        throw new ApiError(
          400,
          e.message,
          e.problems.map((p) => problem(p.path === "(file)" ? "body" : `body.${p.path}`, p.message, e.code)),
        );
      }
      try {
        const [r] = await importVintages(store, [v]);
        return c.json(r.vintage, r.status === "added" ? 201 : 200);
      } catch (e) {
        if (e instanceof VintageError && e.code === "vintage-conflict") throw new ApiError(409, e.message);
        throw e;
      }
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/vintages/{vid}/score",
      summary:
        "Score a vintage against its model's resolutions as of the vintage's as-of date (resolutions dated before it are known: excluded, with why): Brier, log, decomposition, baselines, calibration, reliability chart (SVG)",
      request: { params: z.object({ vid: VintageId }) },
      responses: {
        200: json(
          shape("VintageScoreRecord"),
          "the score (scoreVintage) with its reliability diagram as SVG",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { vid } = c.req.valid("param");
      const v = await getStoredVintage(store, vid);
      if (!v) throw new ApiError(404, `no vintage '${vid}'`);
      const resolutions: Resolution[] = (await getResolutions(store, v.modelId)).map(
        ({ recordedAt: _r, ...r }) => r,
      );
      const s = scoreVintage(v.vintage, resolutions);
      const reliabilitySvg =
        s.summary.n > 0 ? (await charts()).scoreChart(s.summary, `Reliability: ${v.id}`) : null;
      return c.json({ ...s, reliabilitySvg }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/history",
      summary:
        "The forecast history of the model's questions: each question's probability and intervals in every vintage, in as-of order (ties by time made), and, against the recorded resolutions, each vintage's Brier score by the same rules as its score and the mean Brier across vintages",
      request: { params: z.object({ id: ModelId }) },
      responses: {
        200: json(shape("ForecastHistoryRecord"), "the history (forecastHistory)"),
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getModelVersion(store, id); // 404 for an unknown model
      const vintages = [];
      for (const s of await listStoredVintages(store, id)) {
        const v = await getStoredVintage(store, s.id);
        if (v) vintages.push(v.vintage);
      }
      const resolutions: Resolution[] = (await getResolutions(store, id)).map(
        ({ recordedAt: _r, ...r }) => r,
      );
      const record: ForecastHistoryRecord = { modelId: id, ...forecastHistory(vintages, resolutions) };
      return c.json(record, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/resolutions",
      summary: "The resolutions recorded for the model's questions",
      request: { params: z.object({ id: ModelId }) },
      responses: {
        200: json(shape("ResolutionsRecord"), "resolutions"),
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getModelVersion(store, id);
      return c.json(await resolutionsView(store, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/models/{id}/resolutions",
      summary: "Replace the model's resolutions (questions left out are unresolved); all or nothing",
      request: {
        params: z.object({ id: ModelId }),
        body: {
          content: {
            "application/json": {
              schema: z.strictObject({ resolutions: z.array(ResolutionIn).max(MAX_RESOLUTIONS) }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(shape("ResolutionsRecord"), "saved"),
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { resolutions } = c.req.valid("json");
      const m = await getModelVersion(store, id);
      const { model } = await modelWork().validated(m.text);
      const known = new Set((model.questions ?? []).map((q) => q.id));
      const problems: Problem[] = [];
      const seen = new Set<string>();
      resolutions.forEach((r, i) => {
        if (!known.has(r.question))
          problems.push(
            problem(
              `body.resolutions.${i}.question`,
              `model '${id}' (version ${m.version}) has no question '${r.question}'`,
              "unknown-question",
            ),
          );
        else if (seen.has(r.question))
          problems.push(
            problem(
              `body.resolutions.${i}.question`,
              `question '${r.question}' is resolved twice`,
              "duplicate",
            ),
          );
        seen.add(r.question);
      });
      if (problems.length)
        throw new ApiError(
          400,
          `invalid resolutions (nothing saved): ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          problems,
        );
      await replaceResolutions(
        store,
        id,
        resolutions.map((r) => ({
          question: r.question,
          outcome: r.outcome === "yes" ? 1 : 0,
          date: r.date,
          source: r.source ?? "",
        })),
      );
      return c.json(await resolutionsView(store, id), 200);
    },
  );
}
