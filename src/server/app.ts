// The HTTP API (docs/api-contract.md): a Hono app whose routes are declared with zod schemas
// (@hono/zod-openapi), which both validate every parameter and body and write the OpenAPI 3.1
// document served at /api/openapi.json (a plain HTML rendering at /api/docs). The API is an
// adapter: models go through the store (validated with the model loader), runs go to the job
// queue (engines in worker threads), evidence goes through the evidence module. Errors are
// `{ error, problems? }` with problems in the CLI's shape. Limits: 2 MB model bodies, 11 MB
// document bodies (10 MB of text), 64 KB for the rest; optional Bearer token (MUSCAT_TOKEN);
// no CORS headers (same origin only); only loopback Host names unless others are allowed, and
// writes refused from a foreign Origin (guard.ts: DNS rebinding).
//
// This file builds the app (validation answers, error answers, token, body limits) and mounts
// the routes of each resource, in this order (it is the order of the OpenAPI document):
//   routes/meta.ts           health, /api/openapi.json, /api/docs
//   routes/models.ts         /api/models, /api/models/{id}
//   routes/model-history.ts  /api/models/{id}/versions, /api/models/{id}/diff, .../restore
//   routes/model-views.ts    /api/models/{id}/matrix, /api/models/{id}/evidence
//   routes/model-io.ts       /api/model-imports, /api/models/{id}/export (files in and out)
//   routes/runs.ts           /api/models/{id}/runs, /api/runs/{runId}, /api/runs/{runId}/cancel
//   routes/reports.ts        /api/runs/{runId}/report (a finished analyze run as HTML or PDF)
//   routes/documents.ts      /api/documents, /api/documents/{docId}
//   routes/vintages.ts       vintages, resolutions and scores
// and any other /api path is a 404.

import { timingSafeEqual } from "node:crypto";
import { OpenAPIHono, type OpenAPIHonoOptions } from "@hono/zod-openapi";
import type { Context, Env, ErrorHandler, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { InputError } from "../errors.js";
import { EvidenceInputError } from "../evidence/text.js";
import { ModelConflictError, ModelInvalidError, ModelNotFoundError, type Store } from "../store/index.js";
import { hostGuard } from "./guard.js";
import {
  ApiError,
  DOCUMENT_BODY_LIMIT,
  MODEL_BODY_LIMIT,
  problem,
  ServerFault,
  SMALL_BODY_LIMIT,
  zodProblems,
} from "./http.js";
import type { Jobs } from "./jobs.js";
import { documentRoutes } from "./routes/documents.js";
import { ingestRoutes } from "./routes/ingest.js";
import { metaRoutes } from "./routes/meta.js";
import { modelHistoryRoutes } from "./routes/model-history.js";
import { modelIoRoutes } from "./routes/model-io.js";
import { modelViewRoutes } from "./routes/model-views.js";
import { modelRoutes } from "./routes/models.js";
import { reportRoutes } from "./routes/reports.js";
import { runRoutes } from "./routes/runs.js";
import { vintageRoutes } from "./routes/vintages.js";

export { DOCUMENT_BODY_LIMIT, MODEL_BODY_LIMIT, SMALL_BODY_LIMIT };

export interface AppOptions {
  store: Store;
  queue: Jobs;
  version: string;
  /** When set, every /api request except /api/health needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Host names answered besides the loopback ones (guard.ts); others get 403. */
  allowedHosts?: string[];
  /** Requests wait for this before they are handled (the server's start-up after binding). */
  ready?: Promise<unknown>;
}

export function createApp(opts: AppOptions): OpenAPIHono {
  const { store, queue, version } = opts;
  const app = new OpenAPIHono({ defaultHook: invalidRequest });
  app.onError(errorAnswer);
  // Before anything else: requests under a foreign Host (DNS rebinding) or writes from a foreign Origin.
  app.use("*", hostGuard(opts.allowedHosts ?? []));
  const ready = opts.ready;
  if (ready)
    app.use("*", async (_c, next) => {
      await ready;
      await next();
    });
  if (opts.token) app.use("/api/*", requireToken(opts.token));
  bodyLimits(app);

  metaRoutes(app, { version });
  modelRoutes(app, { store, queue });
  modelHistoryRoutes(app, { store });
  modelViewRoutes(app, { store });
  modelIoRoutes(app, { store });
  reportRoutes(app, { store, version });
  runRoutes(app, { store, queue });
  documentRoutes(app, { store });
  ingestRoutes(app, { store });
  vintageRoutes(app, { store });

  app.all("/api/*", (c: Context) =>
    c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404),
  );
  return app;
}

// ---- validation and error answers ------------------------------------------------------------

/** A parameter or body that fails its schema: 400 with a problem per issue. */
const invalidRequest: NonNullable<OpenAPIHonoOptions<Env>["defaultHook"]> = (result, c) => {
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
};

/** Every thrown error as an answer: user errors are 4xx, a server fault is 5xx, a bug is 500. */
export const errorAnswer: ErrorHandler = (e, c) => {
  if (e instanceof ApiError) {
    // Too many jobs: a client may try again once one has ended.
    if (e.status === 429) c.header("Retry-After", "10");
    return c.json({ error: e.message, ...(e.problems ? { problems: e.problems } : {}) }, e.status);
  }
  if (e instanceof ServerFault) return c.json({ error: e.message }, e.status);
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
};

// ---- token and body limits -------------------------------------------------------------------

/** Every /api request but /api/health needs `Authorization: Bearer <token>`. */
function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === "/api/health") return next();
    if (!tokenMatches(c.req.header("authorization"), token))
      return c.json({ error: "missing or wrong token: send Authorization: Bearer <MUSCAT_TOKEN>" }, 401);
    return next();
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Body limits by route family (checked before parsing). */
function bodyLimits(app: OpenAPIHono): void {
  app.use("/api/documents", limit(DOCUMENT_BODY_LIMIT));
  app.use("/api/models/*", async (c, next) => {
    // "/api/models/*" also matches "/api/models": model texts go to it and to /api/models/:id
    const big =
      ["POST", "PUT", "PATCH"].includes(c.req.method) && /^\/api\/models(\/[^/]+)?\/?$/.test(c.req.path);
    return limit(big ? MODEL_BODY_LIMIT : SMALL_BODY_LIMIT)(c, next);
  });
  app.use("/api/runs/*", limit(SMALL_BODY_LIMIT));
  app.use("/api/vintages/*", limit(SMALL_BODY_LIMIT));
}

const limit = (maxSize: number): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: (c) =>
      c.json({ error: `request body too large: at most ${Math.round(maxSize / 1024)} KB here` }, 413),
  });
