// Models in and out as files, for the app's upload and download (the CLI's `muscat import` and
// `muscat export` over HTTP):
//   POST /api/model-imports        a file's text and name → a new model in the store. The format
//                                  is told by the name and text (modelFileKind): a ScenarioWizard
//                                  .scw project or a matrix .csv is imported as `muscat import`
//                                  does (id from the file name, asOf today unless given) and kept
//                                  as the YAML modelToYaml writes; a Muscat model (YAML or JSON)
//                                  is kept as sent, with only the given id/title/asOf written in.
//                                  Then it is saved as POST /api/models saves a text: 201 Saved,
//                                  409 if the id exists, 422 if the model is invalid; a file that
//                                  cannot be read is a 400 naming the file and the line.
//   GET /api/models/{id}/export    a model version as a download in yaml, json, scw or csv; YAML
//                                  is the stored text byte for byte (comments kept).
// Nothing is written to the store unless the whole import succeeds.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { isMap, isScalar, parseDocument } from "yaml";
import { setInModelText } from "../../model/edit.js";
import { modelFileKind, today } from "../../model/file.js";
import { parseModelText } from "../../model/load.js";
import { exportCsv, exportScw, InteropError, importCsv, importScw } from "../../model/scw.js";
import { modelToJson, modelToYaml } from "../../model/serialize.js";
import { isCalendarDate } from "../../model/step.js";
import type { Model, Problem } from "../../model/types.js";
import { createModel, getModelVersion, ModelConflictError, validateModelText } from "../../store/index.js";
import { ApiError, ErrorSchema, MODEL_BODY_LIMIT, ModelId, unicodeText } from "../http.js";
import { body, errors, IntText, json, type RouteContext, shape } from "./common.js";

/** What import reads, for messages. */
const FORMATS = "a Muscat model (.yaml, .yml, .json), a ScenarioWizard project (.scw) or a matrix .csv";

/** Problems of a model text that mean the file is not a model file at all (400, not 422). */
const UNREADABLE = new Set(["syntax", "too-deep", "alias", "not-a-model", "binary", "encoding"]);

const EXPORTS = {
  yaml: { type: "text/yaml; charset=utf-8", ext: "yaml" },
  json: { type: "application/json; charset=utf-8", ext: "json" },
  scw: { type: "text/plain; charset=utf-8", ext: "scw" },
  csv: { type: "text/csv; charset=utf-8", ext: "csv" },
} as const;
type ExportFormat = keyof typeof EXPORTS;

const ImportBody = z.strictObject({
  text: unicodeText(z.string().min(1, "expected the file's text").max(MODEL_BODY_LIMIT)),
  fileName: z
    .string()
    .min(1, "expected the file's name")
    .max(255)
    .refine(
      (s) => ![...s].some((ch) => ch.charCodeAt(0) < 32),
      "expected a file name without control characters",
    ),
  id: ModelId.optional().openapi({
    description: "the new model's id (default: the file's, or from its name)",
  }),
  title: z.string().min(1).max(500).optional(),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD")
    .refine(isCalendarDate, "expected a real calendar date YYYY-MM-DD")
    .optional()
    .openapi({ description: "the model's date (default for .scw and .csv, which hold none: today)" }),
});
type ImportRequest = z.infer<typeof ImportBody>;

export function modelIoRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  // A model file is as large as the bodies of POST /api/models: its own path, the same limit.
  app.use(
    "/api/model-imports",
    bodyLimit({
      maxSize: MODEL_BODY_LIMIT,
      onError: (c) =>
        c.json(
          { error: `request body too large: at most ${Math.round(MODEL_BODY_LIMIT / 1024)} KB here` },
          413,
        ),
    }),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/model-imports",
      summary: `Add a model from a file: ${FORMATS}`,
      request: body(ImportBody),
      responses: {
        201: json(shape("Saved"), "created (version 1)"),
        ...errors,
        409: json(ErrorSchema, "a model with this id exists: give another id"),
        413: json(ErrorSchema, "body too large"),
        422: json(ErrorSchema, "the model is invalid, with every problem"),
      },
    }),
    async (c) => {
      const req = c.req.valid("json");
      const { text, id } = importedText(req);
      try {
        const r = await createModel(store, text, { message: `imported from ${req.fileName}` });
        return c.json({ id: r.id, version: r.version, hash: r.hash }, 201);
      } catch (e) {
        if (!(e instanceof ModelConflictError)) throw e;
        throw new ApiError(
          409,
          `a model '${id}' exists already: give another id (the field id) to import ${req.fileName} beside it`,
        );
      }
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/models/{id}/export",
      summary:
        "A model version (default the latest) as a file to download: yaml (the stored text), json, scw (ScenarioWizard) or csv (the matrix)",
      request: {
        params: z.object({ id: ModelId }),
        query: z.strictObject({
          format: z
            .enum(["yaml", "json", "scw", "csv"])
            .default("yaml")
            .openapi({ param: { name: "format", in: "query" } }),
          version: IntText("version", "query").optional(),
        }),
      },
      responses: {
        200: {
          description: 'the file, sent with content-disposition: attachment; filename="<id>.<format>"',
          content: {
            "text/yaml": { schema: z.string() },
            "application/json": {
              schema: z
                .record(z.string(), z.unknown())
                .openapi({ description: "the model file in JSON (schema/model.schema.json)" }),
            },
            "text/plain": { schema: z.string().openapi({ description: "the ScenarioWizard .scw project" }) },
            "text/csv": { schema: z.string() },
          },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { format, version } = c.req.valid("query");
      const m = await getModelVersion(store, id, version);
      // Typed routes only know c.json for a JSON answer: a file's bytes need the cast.
      return c.body(exportText(m.text, format), 200, {
        "content-type": EXPORTS[format].type,
        "content-disposition": `attachment; filename="${m.id}.${EXPORTS[format].ext}"`,
      }) as never;
    },
  );
}

// ---- import ----------------------------------------------------------------------------------

/**
 * The text to store for an uploaded file, and the id it will have. Throws ApiError 400 for a
 * file that cannot be read and 422 for one that reads as an invalid model.
 */
function importedText(req: ImportRequest): { text: string; id: string } {
  const kind = modelFileKind(req.fileName, req.text);
  if (kind === "model") {
    const text = withTopLevel(req.text, { id: req.id, title: req.title, asOf: req.asOf });
    return { text, id: checkedModel(text, req.fileName).id };
  }
  const opts = { file: req.fileName, id: req.id, asOf: req.asOf ?? today() };
  let model: Model;
  try {
    model = kind === "scw" ? importScw(req.text, opts) : importCsv(req.text, opts);
  } catch (e) {
    if (!(e instanceof InteropError)) throw e;
    throw new ApiError(400, e.message, [
      {
        severity: "error",
        code: kind,
        path: "body.text",
        message: e.message.replace(`${req.fileName}${e.line === undefined ? "" : `:${e.line}`}: `, ""),
        ...(e.line === undefined ? {} : { line: e.line }),
      },
    ]);
  }
  if (req.title !== undefined) model.title = req.title;
  const text = modelToYaml(model);
  checkedModel(text, `${req.fileName} (imported)`);
  return { text, id: model.id };
}

/** The model of a text, or an ApiError naming the file: 400 when it is no model file, else 422. */
function checkedModel(text: string, file: string): Model {
  const r = parseModelText(text, { file });
  if (r.model) return r.model;
  const errs = r.problems.filter((p) => p.severity === "error");
  const first = errs[0] as Problem | undefined;
  const where = first?.line === undefined ? file : `${file}:${first.line}:${first.column ?? 1}`;
  if (first && UNREADABLE.has(first.code))
    throw new ApiError(
      400,
      `${where}: ${first.code === "not-a-model" ? "not a model file" : "cannot read the file"}: ${first.message} (import reads ${FORMATS})`,
      errs,
    );
  throw new ApiError(
    422,
    `${file}: the model is invalid: ${errs.length} error${errs.length === 1 ? "" : "s"}${first ? ` (first: ${where}: ${first.path}: ${first.message})` : ""}`,
    r.problems,
  );
}

/**
 * Sets top-level string fields of a model file, every other byte kept (setInModelText); a value
 * in double quotes is written as a JSON string, so that a JSON file stays JSON. A text that
 * does not parse is returned as it is (its check reports why).
 */
function withTopLevel(text: string, values: Record<string, string | undefined>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const doc = parseDocument(out);
    if (doc.errors.length || !isMap(doc.contents)) return out;
    const node = doc.get(key, true);
    if (isScalar(node) && node.range && node.type === "QUOTE_DOUBLE") {
      const [start, end] = node.range;
      out = out.slice(0, start) + JSON.stringify(value) + out.slice(end);
    } else out = setInModelText(out, [key], value);
  }
  return out;
}

// ---- export ----------------------------------------------------------------------------------

/** A stored model text in an export format; YAML and JSON are the stored text when it is one. */
function exportText(text: string, format: ExportFormat): string {
  const isJson = jsonObject(text);
  if (format === "yaml" && !isJson) return text;
  if (format === "json" && isJson) return text;
  const { model } = validateModelText(text);
  if (format === "yaml") return modelToYaml(model);
  if (format === "json") return modelToJson(model);
  return format === "scw" ? exportScw(model) : exportCsv(model);
}

function jsonObject(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}
