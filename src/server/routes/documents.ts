// The corpus: the documents, one document with its cleaning report, and adding a document
// (prepared by the evidence module; the same text again is a no-op). A document is sent as
// text, or (a PDF, or any file as it is on disk) as base64 bytes: exactly one of the two.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type DocumentKind, prepareDocumentAsync } from "../../evidence/document.js";
import { EvidenceInputError, MAX_DOCUMENT_BYTES } from "../../evidence/text.js";
import { addDocuments, getDocument, listDocuments } from "../../store/index.js";
import { ApiError, ErrorSchema, unicodeText } from "../http.js";
import { body, errors, json, listOf, type RouteContext, shape } from "./common.js";

const DocId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "expected a document id: 64 lowercase hex digits")
  .openapi({ param: { name: "docId", in: "path" } });

/** Base64 characters of the largest document (4 per 3 bytes), with room for line breaks. */
const MAX_BASE64_CHARS = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 64 * 1024;

export function documentRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/documents",
      summary: "The corpus",
      responses: { 200: json(listOf("StoredDocument"), "the documents"), 401: errors[401] },
    }),
    async (c) => c.json(await listDocuments(store), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/documents/{docId}",
      summary: "A document with its text, cleaned text and cleaning report per line",
      request: { params: z.object({ docId: DocId }) },
      responses: { 200: json(shape("StoredDocumentFull"), "the document"), ...errors },
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
          text: unicodeText(z.string().min(1, "expected the document's text")).optional(),
          base64: z
            .string()
            .min(1, "expected the file's bytes in base64")
            .max(MAX_BASE64_CHARS, `at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB of file`)
            .regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, "expected base64 (A–Z, a–z, 0–9, +, /, = padding)")
            .optional()
            .openapi({ description: "the file's bytes (a PDF), base64-encoded; instead of text" }),
          fileName: z
            .string()
            .max(200)
            .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, "expected a plain file name (no folders)")
            .optional(),
          kind: z.enum(["text", "markdown", "html", "pdf"]).optional(),
        }),
      ),
      responses: {
        201: json(shape("AddResult"), "added (or unchanged)"),
        ...errors,
        413: json(ErrorSchema, "body or text too large"),
      },
    }),
    async (c) => {
      const b = c.req.valid("json");
      if ((b.text === undefined) === (b.base64 === undefined))
        throw new ApiError(
          400,
          "send exactly one of text (the document's text) and base64 (the file's bytes)",
        );
      const bytes =
        b.text !== undefined
          ? new TextEncoder().encode(b.text)
          : new Uint8Array(Buffer.from(b.base64!, "base64"));
      if (bytes.length > MAX_DOCUMENT_BYTES)
        throw new ApiError(
          413,
          `the document is too large: at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB of ${b.text !== undefined ? "text" : "file"}`,
        );
      const name = b.fileName ?? (b.text !== undefined ? "document.txt" : "document.pdf");
      let doc: Awaited<ReturnType<typeof prepareDocumentAsync>>;
      try {
        doc = await prepareDocumentAsync(bytes, name, b.kind as DocumentKind | undefined);
      } catch (e) {
        // What is wrong with the file, said of the field that carried it.
        if (e instanceof EvidenceInputError && b.base64 !== undefined)
          throw new ApiError(e.code === "too-large" ? 413 : 400, e.message, [
            { severity: "error", path: "body.base64", message: e.message, code: e.code },
          ]);
        throw e;
      }
      const [r] = await addDocuments(store, [doc]);
      return c.json(r, 201);
    },
  );
}
