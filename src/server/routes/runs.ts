// Engine runs as jobs: start a run of a model version, a model's runs, one run with its
// progress and result, and cancelling a queued or running job. A run is checked in full before
// it is queued: its options against the engine's schema (400) and then against the model (422,
// preflight.ts), the model's size against the server's limits (413, limits.ts), and the jobs
// already queued (429); then 202 with the run id, or 200 with a stored identical run.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { InputError } from "../../errors.js";
import { preflight } from "../../runs/preflight.js";
import { corpusFromStore, getModelVersion } from "../../store/index.js";
import { createRun, findDoneRun, getRun, listRuns } from "../../store/runs.js";
import {
  ENGINES,
  type EngineName,
  engineVersion,
  parseEngineOptions,
  seedOf,
  UNAVAILABLE,
} from "../engines.js";
import { ApiError, ErrorSchema, ModelId, problem, ServerFault } from "../http.js";
import { modelSize, sizeExceeded } from "../limits.js";
import { modelWork } from "../model-cache.js";
import { body, errors, IntText, json, listOf, type RouteContext, shape, Version } from "./common.js";

export function runRoutes(app: OpenAPIHono, { store, queue }: Pick<RouteContext, "store" | "queue">): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/models/{id}/runs",
      summary: "Run an engine on a model version, as a job",
      request: {
        params: z.object({ id: ModelId }),
        ...body(
          z.strictObject({
            engine: z.enum(ENGINES),
            options: z.record(z.string(), z.unknown()).optional(),
            version: Version.optional(),
            /** Compute again even when the store has this run's result (default false). */
            fresh: z.boolean().optional(),
          }),
        ),
      },
      responses: {
        202: json(z.object({ runId: z.number(), status: z.string() }), "queued"),
        200: json(
          z.object({ runId: z.number(), status: z.literal("done"), reused: z.literal(true) }),
          "the same run on the same model content is in the store: its result, not computed again",
        ),
        ...errors,
        413: json(
          ErrorSchema,
          "the model is larger than this server accepts for the engine (which limit, how to raise it)",
        ),
        422: json(
          ErrorSchema,
          "an option does not fit the model (an unknown factor, state, question, issue; a date before asOf)",
        ),
        429: json(ErrorSchema, "too many jobs queued or running (in total, or for this model)"),
        501: json(ErrorSchema, "the engine is not in this build"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = c.req.valid("json");
      const engine = b.engine as EngineName;
      // The engine's zod schema, with the messages the CLI and the app give for the same value.
      const parsed = parseEngineOptions(engine, b.options ?? {});
      if (!parsed.ok) {
        const problems = parsed.problems.map((p) =>
          problem(["body.options", p.path].filter(Boolean).join("."), p.message, "invalid"),
        );
        throw new ApiError(
          400,
          `invalid options for ${engine}: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          problems,
        );
      }
      const unavailable = UNAVAILABLE[engine];
      if (unavailable) throw new ServerFault(501, unavailable);
      const m = await getModelVersion(store, id, b.version);
      const options = parsed.value as Record<string, unknown>;
      // What only the model can tell: ids, dates, issues, questions (the engines' own parsers).
      const { model } = await modelWork().validated(m.text);
      try {
        preflight(engine, model, options);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const path = ["body.options", e.path].filter(Boolean).join(".");
        throw new ApiError(422, `${engine}: ${e.path ? `${e.path}: ` : ""}${e.message}`, [
          problem(path, e.message, e.code === "option" ? "invalid" : e.code),
        ]);
      }
      const over = sizeExceeded(engine, options, modelSize(model), queue.limits);
      if (over) throw new ApiError(413, over.message, [problem("model", over.message, over.limit)]);
      // A result for this content hash, engine version and options is given again, not
      // recomputed (the evidence engine also reads the corpus, which can change: never reused).
      if (!b.fresh && engine !== "evidence") {
        const done = await findDoneRun(store, {
          modelId: id,
          modelHash: m.hash,
          engine,
          engineVersion: engineVersion(engine),
          options,
        });
        if (done) return c.json({ runId: done.runId, status: "done" as const, reused: true as const }, 200);
      }
      const { maxQueued, maxQueuedPerModel } = queue.limits;
      const { queued, running } = queue.size;
      if (queued + running >= maxQueued)
        throw new ApiError(
          429,
          `${queued + running} jobs are queued or running, the most this server takes: wait for one to end, or raise it with \`muscat serve --limit maxQueued=N\``,
        );
      if (queue.activeFor(id) >= maxQueuedPerModel)
        throw new ApiError(
          429,
          `model ${id} has ${queue.activeFor(id)} jobs queued or running, the most one model may have: wait for one to end, or raise it with \`muscat serve --limit maxQueuedPerModel=N\``,
        );
      const runId = await createRun(store, {
        modelId: id,
        version: m.version,
        engine,
        options,
        seed: seedOf(engine, options),
        modelHash: m.hash,
        engineVersion: engineVersion(engine),
      });
      queue.enqueue({
        runId,
        modelId: id,
        engine,
        text: m.text,
        options,
        corpus: engine === "evidence" ? await corpusFromStore(store) : undefined,
      });
      return c.json({ runId, status: "queued" }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/runs",
      summary: "The model's runs, newest first (without results)",
      request: { params: z.object({ id: ModelId }) },
      responses: { 200: json(listOf("RunInfo"), "runs"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getModelVersion(store, id);
      return c.json(await listRuns(store, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/runs/{runId}",
      summary: "A run: status, progress, and its result when done",
      request: { params: z.object({ runId: IntText("runId", "path") }) },
      responses: { 200: json(shape("RunInfo"), "the run"), ...errors },
    }),
    async (c) => {
      const { runId } = c.req.valid("param");
      const r = await getRun(store, runId);
      if (!r) throw new ApiError(404, `no run ${runId}`);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/runs/{runId}/cancel",
      summary: "Cancel a queued or running job",
      request: { params: z.object({ runId: IntText("runId", "path") }) },
      responses: {
        202: json(z.object({ runId: z.number(), status: z.string() }), "cancel requested"),
        ...errors,
        409: json(ErrorSchema, "the run has already ended"),
      },
    }),
    async (c) => {
      const { runId } = c.req.valid("param");
      const r = await getRun(store, runId, false);
      if (!r) throw new ApiError(404, `no run ${runId}`);
      if (r.status !== "queued" && r.status !== "running")
        throw new ApiError(409, `run ${runId} has already ended (${r.status}); nothing to cancel`);
      await queue.cancel(runId);
      return c.json({ runId, status: "cancelling" }, 202);
    },
  );
}
