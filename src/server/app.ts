// The HTTP API (docs/api-contract.md): a Hono app whose routes are declared with zod schemas
// (@hono/zod-openapi), which both validate every parameter and body and write the OpenAPI 3.1
// document served at /api/openapi.json (a plain HTML rendering at /api/docs). The API is an
// adapter: models go through the store (validated with the model loader), runs go to the job
// queue (engines in worker threads), evidence goes through the evidence module. Errors are
// `{ error, problems? }` with problems in the CLI's shape. Limits: 2 MB model bodies, 11 MB
// document bodies (10 MB of text), 64 KB for the rest; optional Bearer token (MUSCAT_TOKEN);
// no CORS headers (same origin only).

import { timingSafeEqual } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { InputError } from "../errors.js";
import type { DocumentKind } from "../evidence/document.js";
import { prepareDocument } from "../evidence/document.js";
import { EvidenceInputError, MAX_DOCUMENT_BYTES } from "../evidence/text.js";
import { verifyEvidence } from "../evidence/verify.js";
import { compileModel } from "../model/compile.js";
import { parsePath, setInModelText } from "../model/edit.js";
import type { Problem } from "../model/types.js";
import {
  addDocuments,
  corpusFromStore,
  createModel,
  deleteModel,
  getDocument,
  getModelVersion,
  listDocuments,
  listModels,
  listModelVersions,
  ModelConflictError,
  ModelInvalidError,
  ModelNotFoundError,
  restoreModelVersion,
  type Store,
  saveModelVersion,
  validateModelText,
} from "../store/index.js";
import { createRun, getRun, listRuns } from "../store/runs.js";
import { modelDiff, textDiff } from "./diff.js";
import { docsPage } from "./docs-page.js";
import { ENGINES, type EngineName, engineVersion, OPTION_SCHEMAS, seedOf, UNAVAILABLE } from "./engines.js";
import { forecastRoutes } from "./forecasts.js";
import { ApiError, ErrorSchema, ModelId, problem } from "./http.js";
import type { JobQueue } from "./jobs.js";

export const MODEL_BODY_LIMIT = 2 * 1024 * 1024;
export const DOCUMENT_BODY_LIMIT = MAX_DOCUMENT_BYTES + 1024 * 1024;
export const SMALL_BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  store: Store;
  queue: JobQueue;
  version: string;
  /** When set, every /api request except /api/health needs `Authorization: Bearer <token>`. */
  token?: string;
}

// ---- schemas -------------------------------------------------------------------------------

const IntText = (name: string, where: "path" | "query") =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, "expected a whole number ≥ 1")
    .transform(Number)
    .openapi({ param: { name, in: where }, type: "integer" });
const DocId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "expected a document id: 64 lowercase hex digits")
  .openapi({ param: { name: "docId", in: "path" } });
const Version = z.number().int().min(1).max(999_999_999);
const ModelText = z.string().min(1, "expected the model file's text").max(MODEL_BODY_LIMIT);
const Any = z.any();
const json = (schema: z.ZodType, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
const errors = {
  400: json(ErrorSchema, "invalid parameter or body"),
  401: json(ErrorSchema, "missing or wrong token"),
  404: json(ErrorSchema, "unknown id"),
};
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true as const },
});

// ---- helpers -------------------------------------------------------------------------------

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const limit = (maxSize: number): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: (c) =>
      c.json({ error: `request body too large: at most ${Math.round(maxSize / 1024)} KB here` }, 413),
  });

function zodProblems(
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

function runView(r: Awaited<ReturnType<typeof getRun>>) {
  return r;
}

// ---- the app -------------------------------------------------------------------------------

export function createApp(opts: AppOptions): OpenAPIHono {
  const { store, queue } = opts;
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = (result as { target?: string }).target ?? "request";
        const problems = zodProblems(
          result.error.issues,
          where === "json" ? "body" : where === "param" ? "path" : where,
        );
        return c.json(
          {
            error: `invalid request: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
            problems,
          },
          400,
        );
      }
    },
  });

  app.onError((e, c) => {
    if (e instanceof ApiError)
      return c.json({ error: e.message, ...(e.problems ? { problems: e.problems } : {}) }, e.status);
    if (e instanceof ModelInvalidError) return c.json({ error: e.message, problems: e.problems }, 422);
    if (e instanceof ModelNotFoundError) return c.json({ error: e.message }, 404);
    if (e instanceof ModelConflictError)
      return c.json({ error: e.message, ...(e.latest ? { latestVersion: e.latest } : {}) }, 409);
    if (e instanceof EvidenceInputError)
      return c.json(
        { error: e.message, problems: [problem("body.text", e.message, e.code)] },
        e.code === "too-large" ? 413 : 400,
      );
    // Any other user error (a bad option, model, file or question): 400 with its code and path.
    if (e instanceof InputError)
      return c.json({ error: e.message, code: e.code, ...(e.path ? { path: e.path } : {}) }, 400);
    if (e instanceof HTTPException) return c.json({ error: e.message || "bad request" }, e.status as 400);
    if ((e as { status?: number }).status === 413) return c.json({ error: "request body too large" }, 413);
    if (e instanceof SyntaxError) return c.json({ error: `the body is not valid JSON: ${e.message}` }, 400);
    return c.json({ error: `internal error: ${e.message}` }, 500);
  });

  // Authentication (only when a token is configured).
  if (opts.token) {
    const token = opts.token;
    app.use("/api/*", async (c, next) => {
      if (c.req.path === "/api/health") return next();
      if (!tokenMatches(c.req.header("authorization"), token))
        return c.json({ error: "missing or wrong token: send Authorization: Bearer <MUSCAT_TOKEN>" }, 401);
      return next();
    });
  }
  // Body limits by route family (checked before parsing).
  app.use("/api/documents", limit(DOCUMENT_BODY_LIMIT));
  app.use("/api/models/*", async (c, next) => {
    // "/api/models/*" also matches "/api/models": model texts go to it and to /api/models/:id
    const big =
      ["POST", "PUT", "PATCH"].includes(c.req.method) && /^\/api\/models(\/[^/]+)?\/?$/.test(c.req.path);
    return limit(big ? MODEL_BODY_LIMIT : SMALL_BODY_LIMIT)(c, next);
  });
  app.use("/api/runs/*", limit(SMALL_BODY_LIMIT));
  app.use("/api/vintages/*", limit(SMALL_BODY_LIMIT));

  // ---- health and docs
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      summary: "Liveness and version",
      responses: { 200: json(z.object({ ok: z.boolean(), version: z.string() }), "the server runs") },
    }),
    (c) => c.json({ ok: true, version: opts.version }, 200),
  );

  const info = {
    openapi: "3.1.0",
    info: {
      title: "Muscat API",
      version: opts.version,
      description:
        "Models with versions, engine runs as jobs, corpus and evidence. See docs/api-contract.md.",
    },
  };
  app.doc31("/api/openapi.json", info);
  app.get("/api/docs", (c) => c.html(docsPage(app.getOpenAPI31Document(info) as never)));

  // ---- models
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
      const r = await createModel(store, text, { message });
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
      responses: { 200: json(Any, "the model version"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const m = await getModelVersion(store, id, version);
      const v = validateModelText(m.text);
      return c.json(
        {
          id: m.id,
          version: m.version,
          latestVersion: m.latestVersion,
          hash: m.hash,
          title: m.title,
          text: m.text,
          model: v.model,
          problems: v.problems,
          updatedAt: m.updatedAt,
          ...(m.message ? { message: m.message } : {}),
        },
        200,
      );
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
      const r = await saveModelVersion(store, id, text, baseVersion, { message });
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
      let segs: (string | number)[];
      let text: string;
      try {
        segs = parsePath(b.path);
        text = setInModelText(m.text, segs, b.value);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        throw new ApiError(400, e.message, [problem("body.path", e.message)]);
      }
      const r = await saveModelVersion(store, id, text, b.baseVersion, {
        message: b.message ?? `set ${b.path} = ${JSON.stringify(b.value)}`,
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
      responses: { 200: json(Any, "the diff"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { from, to } = c.req.valid("query");
      const a = await getModelVersion(store, id, from);
      const b = await getModelVersion(store, id, to);
      const ma = validateModelText(a.text).model;
      const mb = validateModelText(b.text).model;
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
      const r = await restoreModelVersion(store, id, version, baseVersion);
      return c.json({ id: r.id, version: r.version, hash: r.hash }, 200);
    },
  );

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

  // ---- runs
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
          }),
        ),
      },
      responses: {
        202: json(z.object({ runId: z.number(), status: z.string() }), "queued"),
        ...errors,
        501: json(ErrorSchema, "the engine is not in this build"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = c.req.valid("json");
      const engine = b.engine as EngineName;
      const parsed = OPTION_SCHEMAS[engine].safeParse(b.options ?? {});
      if (!parsed.success) {
        const problems = zodProblems(parsed.error.issues, "body.options");
        throw new ApiError(
          400,
          `invalid options for ${engine}: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          problems,
        );
      }
      const unavailable = UNAVAILABLE[engine];
      if (unavailable) throw new ApiError(501, unavailable);
      const m = await getModelVersion(store, id, b.version);
      const options = parsed.data as Record<string, unknown>;
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
      responses: { 200: json(Any, "runs"), ...errors },
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
      responses: { 200: json(Any, "the run"), ...errors },
    }),
    async (c) => {
      const { runId } = c.req.valid("param");
      const r = await getRun(store, runId);
      if (!r) throw new ApiError(404, `no run ${runId}`);
      return c.json(runView(r), 200);
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

  // ---- corpus
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/documents",
      summary: "The corpus",
      responses: { 200: json(Any, "the documents"), 401: errors[401] },
    }),
    async (c) => c.json(await listDocuments(store), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/documents/{docId}",
      summary: "A document with its text, cleaned text and cleaning report per line",
      request: { params: z.object({ docId: DocId }) },
      responses: { 200: json(Any, "the document"), ...errors },
    }),
    async (c) => {
      const { docId } = c.req.valid("param");
      const d = await getDocument(store, docId);
      if (!d) throw new ApiError(404, `no document ${docId}`);
      return c.json(d, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/documents",
      summary: "Add a document to the corpus (the same text again is a no-op)",
      request: body(
        z.strictObject({
          text: z.string().min(1, "expected the document's text"),
          fileName: z
            .string()
            .max(200)
            .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, "expected a plain file name (no folders)")
            .optional(),
          kind: z.enum(["text", "markdown", "html"]).optional(),
        }),
      ),
      responses: {
        201: json(Any, "added (or unchanged)"),
        ...errors,
        413: json(ErrorSchema, "body or text too large"),
      },
    }),
    async (c) => {
      const b = c.req.valid("json");
      const bytes = new TextEncoder().encode(b.text);
      if (bytes.length > MAX_DOCUMENT_BYTES)
        throw new ApiError(
          413,
          `the document is too large: at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB of text`,
        );
      const doc = prepareDocument(bytes, b.fileName ?? "document.txt", b.kind as DocumentKind | undefined);
      const [r] = await addDocuments(store, [doc]);
      return c.json(r, 201);
    },
  );

  // ---- forecast vintages, resolutions and scores (forecasts.ts)
  forecastRoutes(app, store);

  app.all("/api/*", (c: Context) =>
    c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404),
  );
  return app;
}
