// The corpus: the documents, one document with its cleaning report, and adding a document
// (prepared by the evidence module; the same text again is a no-op).
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type DocumentKind, prepareDocument } from "../../evidence/document.js";
import { MAX_DOCUMENT_BYTES } from "../../evidence/text.js";
import { addDocuments, getDocument, listDocuments } from "../../store/index.js";
import { ApiError, ErrorSchema, unicodeText } from "../http.js";
import { body, errors, json, listOf, type RouteContext, shape } from "./common.js";

const DocId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "expected a document id: 64 lowercase hex digits")
  .openapi({ param: { name: "docId", in: "path" } });

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
          text: unicodeText(z.string().min(1, "expected the document's text")),
          fileName: z
            .string()
            .max(200)
            .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, "expected a plain file name (no folders)")
            .optional(),
          kind: z.enum(["text", "markdown", "html"]).optional(),
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
}
