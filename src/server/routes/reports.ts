// The report of a model version, for the app: GET /api/runs/{runId}/report renders a finished
// `analyze` run (the full analysis, run as a job like any engine, so the server's main thread
// never computes it) with the report's renderer, as HTML or, with ?format=pdf, printed by
// Chromium. The same run always gives the same page: the report is a view of a stored result.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AnalysisResult } from "../../runs/analysis.js";
import { getModelVersion } from "../../store/index.js";
import { getRun } from "../../store/runs.js";
import { ApiError, ErrorSchema, ServerFault } from "../http.js";
import { modelWork } from "../model-cache.js";
import { errors, IntText, json, type RouteContext } from "./common.js";

export function reportRoutes(
  app: OpenAPIHono,
  { store, version }: Pick<RouteContext, "store" | "version">,
): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/runs/{runId}/report",
      summary: "The report of a finished analyze run: HTML, or PDF with ?format=pdf",
      request: {
        params: z.object({ runId: IntText("runId", "path") }),
        query: z.strictObject({ format: z.enum(["html", "pdf"]).optional() }),
      },
      responses: {
        200: {
          content: {
            "text/html": { schema: z.string() },
            "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
          },
          description: "the report",
        },
        ...errors,
        409: json(ErrorSchema, "the run has not finished with a result"),
        503: json(ErrorSchema, "a PDF needs Chromium, which this server does not have"),
      },
    }),
    async (c) => {
      const { runId } = c.req.valid("param");
      const { format = "html" } = c.req.valid("query");
      const run = await getRun(store, runId);
      if (!run) throw new ApiError(404, `no run ${runId}`);
      if (run.engine !== "analyze")
        throw new ApiError(400, `run ${runId} is a '${run.engine}' run; a report renders an 'analyze' run`);
      if (run.status !== "done" || !run.result)
        throw new ApiError(409, `run ${runId} is ${run.status}; a report needs a finished run`);
      const m = await getModelVersion(store, run.modelId, run.version);
      const { model } = await modelWork().validated(m.text);
      const { renderReport } = await import("../../report/index.js");
      const html = renderReport(run.result as AnalysisResult, model, {
        file: `${m.id} version ${m.version}`,
        generatedAt: run.finishedAt ?? undefined,
        version,
      });
      const name = `${m.id}-v${m.version}-report`;
      if (format === "html")
        return c.body(html, 200, {
          "content-type": "text/html; charset=utf-8",
          "content-disposition": `inline; filename="${name}.html"`,
        });
      const { htmlToPdf, PdfError } = await import("../../report/pdf.js");
      const dir = mkdtempSync(join(tmpdir(), "muscat-pdf-"));
      try {
        const out = join(dir, "report.pdf");
        await htmlToPdf(html, out);
        return c.body(readFileSync(out), 200, {
          "content-type": "application/pdf",
          "content-disposition": `attachment; filename="${name}.pdf"`,
        });
      } catch (e) {
        if (e instanceof PdfError) throw new ServerFault(503, e.message);
        throw e;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
