// The review queue's API: read a stored document against a model version (the ingestion the
// CLI's `muscat ingest` runs) and answer its drafts, gaps and lines; then write the analyst's
// decisions on those drafts (accept, attach as evidence, record as a second view) as ONE new
// model version. The write recomputes the drafts from the document and the base version, so a
// client can only decide on drafts the server itself made; the save is the store's (validation,
// 409 on a stale base version). Ingestion runs in the request: a 10-page article costs about
// 0.5–0.65 s of CPU once the NLP pipeline is loaded (test/server/ingest-route.test.ts measures it).
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { IngestReport } from "../../contract/api.js";
import { InputError } from "../../errors.js";
import type { Draft, IngestDocument, IngestResult } from "../../evidence/ingest.js";
import { textLines } from "../../evidence/text.js";
import type { Model } from "../../model/types.js";
import {
  getDocument,
  getModelVersion,
  type Store,
  type StoredModel,
  saveModelVersion,
} from "../../store/index.js";
import { ApiError, ErrorSchema, ModelId, problem } from "../http.js";
import { modelWork } from "../model-cache.js";
import { body, errors, json, type RouteContext, shape, Version } from "./common.js";

const DocId = z.string().regex(/^[0-9a-f]{64}$/, "expected a document id: 64 lowercase hex digits");

const Cell = z
  .string()
  .max(200)
  .regex(/^[^=\s]+=[^=\s]+$/, "expected factor=state");
const Decision = z.strictObject({
  id: z.string().min(1).max(40),
  action: z.enum(["accept", "attach", "view"]),
  strength: z.number().int().min(-9).max(9).optional(),
  from: Cell.optional(),
  to: Cell.optional(),
  teach: z
    .strictObject({
      from: z.array(z.string().min(1).max(60)).max(20).optional(),
      to: z.array(z.string().min(1).max(60)).max(20).optional(),
      aliases: z
        .array(z.strictObject({ name: z.string().min(1).max(60), actor: z.string().min(1).max(80) }))
        .max(20)
        .optional(),
    })
    .optional(),
});

// The validated model comes from the server's content-keyed cache (model-cache.ts): a review
// ingests the same version again to write, and that second time parses nothing.
async function modelOf(m: StoredModel): Promise<Model> {
  return (await modelWork().validated(m.text)).model;
}

/** The ingestion of a stored document against a model version (the NLP loads on first use). */
async function ingest(store: Store, modelId: string, docId: string, version?: number) {
  const m = await getModelVersion(store, modelId, version);
  const d = await getDocument(store, docId);
  if (!d) throw new ApiError(404, `no document ${docId}`);
  const model = await modelOf(m);
  const doc: IngestDocument = {
    id: d.id,
    rawSha256: d.rawSha256,
    fileName: d.fileName,
    kind: d.kind as IngestDocument["kind"],
    metadata: {
      title: d.title ?? undefined,
      outlet: d.outlet ?? undefined,
      author: d.author ?? undefined,
      date: d.date ?? undefined,
      url: d.url ?? undefined,
    },
    lines: textLines(d.text),
    blocks: d.blocks,
    language: d.language ?? "und",
  };
  const { ingestDocument, sourceEntry } = await import("../../evidence/ingest.js");
  const { splitSentences } = await import("../../evidence/sentences.js");
  const result: IngestResult = ingestDocument(model, doc);
  // Where each draft's sentences sit in their lines, for the app to highlight them.
  const quotes = (drafts: Draft[]) => {
    const out: IngestReport["quotes"] = [];
    const seen = new Set<string>();
    for (const dr of [...drafts, ...result.gaps])
      for (const q of [dr, ...("also" in dr ? (dr.also ?? []) : [])]) {
        const key = `${q.line}.${q.sentence}`;
        const s = splitSentences(doc.lines[q.line - 1] ?? "")[q.sentence - 1];
        if (seen.has(key) || !s) continue;
        seen.add(key);
        out.push({ line: q.line, sentence: q.sentence, start: s.start, end: s.end });
      }
    return out;
  };
  return { m, model, d, doc, result, quotes, source: () => sourceEntry(doc, result.source.id) };
}

function report(modelId: string, version: number, x: Awaited<ReturnType<typeof ingest>>, min: number) {
  const { result: r, d, doc } = x;
  const sorted = [...r.drafts].sort((a, b) => b.confidence - a.confidence || a.line - b.line);
  const drafts = sorted.filter((dr) => dr.confidence >= min);
  const out: IngestReport = {
    modelId,
    version,
    document: {
      id: d.id,
      title: d.title,
      outlet: d.outlet,
      fileName: d.fileName,
      language: r.document.language,
    },
    source: r.source,
    analysed: r.analysed,
    drafts,
    belowConfidence: sorted.length - drafts.length,
    gaps: r.gaps,
    lines: doc.lines,
    quotes: x.quotes(drafts),
    unknownNames: r.unknownNames,
  };
  return out;
}

export function ingestRoutes(app: OpenAPIHono, { store }: Pick<RouteContext, "store">): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/models/{id}/ingest",
      summary: "Read a stored document against a model version: its drafts, gaps and lines",
      request: {
        params: z.object({ id: ModelId }),
        ...body(
          z.strictObject({
            docId: DocId,
            version: Version.optional(),
            minConfidence: z.number().min(0).max(1).optional(),
          }),
        ),
      },
      responses: { 200: json(shape("IngestReport"), "the drafts for review"), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = c.req.valid("json");
      const x = await ingest(store, id, b.docId, b.version);
      return c.json(report(id, x.m.version, x, b.minConfidence ?? 0), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/models/{id}/drafts",
      summary: "Write decisions on a document's drafts as one new model version",
      request: {
        params: z.object({ id: ModelId }),
        ...body(
          z.strictObject({
            docId: DocId,
            baseVersion: Version,
            decisions: z.array(Decision).min(1, "expected at least one decision").max(500),
          }),
        ),
      },
      responses: {
        200: json(shape("DraftsSaved"), "the new version"),
        ...errors,
        409: json(ErrorSchema, "baseVersion is not the latest"),
        422: json(ErrorSchema, "a decision does not fit its draft, or the model would be invalid"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const b = c.req.valid("json");
      const x = await ingest(store, id, b.docId, b.baseVersion);
      const { drafts, gaps } = x.result;
      const { applyDrafts, decidedDraft } = await import("../../evidence/write.js");
      const { model } = x;
      // Name the first bad decision before anything is written.
      b.decisions.forEach((dec, i) => {
        const at = `body.decisions[${i}]`;
        if (!drafts.some((dr) => dr.id === dec.id) && !gaps.some((g) => g.id === dec.id))
          throw new ApiError(
            422,
            `no draft or gap '${dec.id}' for this document and version ${b.baseVersion}`,
            [problem(`${at}.id`, `no draft or gap '${dec.id}'`)],
          );
        let d: Draft;
        try {
          d = decidedDraft(model, drafts, gaps, dec);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          const field =
            /'(from|to)'/.exec(e.message)?.[1] ?? (/strength/.test(e.message) ? "strength" : "id");
          throw new ApiError(422, e.message, [problem(`${at}.${field}`, e.message)]);
        }
        if ((dec.action === "attach" || dec.action === "view") && !d.existing)
          throw new ApiError(
            422,
            `${d.id}: '${dec.action}' needs a judgment of ${d.from} → ${d.to}, and the model has none; accept it instead`,
            [problem(`${at}.action`, `${d.id} has no existing judgment of ${d.from} → ${d.to}`)],
          );
      });
      const add = !x.result.source.inModel;
      let text: string;
      try {
        text = applyDrafts(x.m.text, drafts, b.decisions, add ? x.source() : undefined, gaps).text;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // "g1a2b3c.teach.to", "….teach.aliases[0]": what that decision would teach and cannot.
        const taught = /^(.+)\.teach\.(from|to|aliases\[\d+\])$/.exec(e.path ?? "");
        const i = taught ? b.decisions.findIndex((d) => d.id === taught[1]) : -1;
        const at = i >= 0 ? `body.decisions[${i}].teach.${taught![2]}` : "body.decisions";
        throw new ApiError(422, e.message, [problem(at, e.message)]);
      }
      const count = (a: string) => b.decisions.filter((d) => d.action === a).length;
      const [accepted, attached, views] = [count("accept"), count("attach"), count("view")];
      const placed = b.decisions.filter((d) => gaps.some((g) => g.id === d.id)).length;
      const recast = b.decisions.filter(
        (d) => drafts.some((dr) => dr.id === d.id) && (d.from !== undefined || d.to !== undefined),
      ).length;
      const taught = b.decisions.reduce(
        (n, d) => n + (d.teach?.from?.length ?? 0) + (d.teach?.to?.length ?? 0),
        0,
      );
      const named = b.decisions.reduce((n, d) => n + (d.teach?.aliases?.length ?? 0), 0);
      const what = [
        `accepted ${accepted}`,
        `attached ${attached}`,
        ...(views ? [`second views ${views}`] : []),
        ...(placed ? [`gaps placed ${placed}`] : []),
        ...(recast ? [`cells changed ${recast}`] : []),
        ...(taught ? [`keywords taught ${taught}`] : []),
        ...(named ? [`aliases taught ${named}`] : []),
      ];
      const name = x.d.title ?? x.d.fileName ?? x.d.id.slice(0, 12);
      const message = `ingest ${name}: ${what.join(", ")}`.slice(0, 500);
      const r = await saveModelVersion(store, id, text, b.baseVersion, { message });
      return c.json(
        {
          id: r.id,
          version: r.version,
          hash: r.hash,
          message,
          accepted,
          attached,
          views,
          source: { id: x.result.source.id, added: add },
        },
        200,
      );
    },
  );
}
