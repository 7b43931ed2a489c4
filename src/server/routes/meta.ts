// Health and documentation: GET /api/health (open even with a token), the OpenAPI 3.1 document
// of every route registered on the app at /api/openapi.json and its HTML rendering at /api/docs.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import apiSchema from "../../../schema/api.schema.json" with { type: "json" };
import { docsPage } from "../docs-page.js";
import { json, type RouteContext } from "./common.js";

export function metaRoutes(app: OpenAPIHono, { version }: Pick<RouteContext, "version">): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      summary: "Liveness and version",
      responses: { 200: json(z.object({ ok: z.boolean(), version: z.string() }), "the server runs") },
    }),
    (c) => c.json({ ok: true, version }, 200),
  );

  // The response shapes generated from src/contract/api.ts, as the document's components.
  for (const [name, schema] of Object.entries(apiSchema.components.schemas))
    app.openAPIRegistry.registerComponent("schemas", name, schema as never);

  const info = {
    openapi: "3.1.0",
    info: {
      title: "Muscat API",
      version,
      description:
        "Models with versions, engine runs as jobs, corpus and evidence. See docs/api-contract.md.",
    },
  };
  app.doc31("/api/openapi.json", info);
  app.get("/api/docs", (c) => c.html(docsPage(app.getOpenAPI31Document(info) as never)));
}
