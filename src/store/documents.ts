// Documents of the corpus in the store: add (one transaction for a whole batch), list, find,
// read back with their cleaning report.

import type { AddResult, StoredDocument, StoredDocumentFull } from "../contract/api.js";
import type { BlockReport, Reason } from "../evidence/clean.js";
import type { PreparedDocument } from "../evidence/document.js";
import { textLines } from "../evidence/text.js";
import type { CorpusDocument } from "../evidence/verify.js";
import type { Store } from "./index.js";
import type { DocumentsTable } from "./schema.js";

export type { AddResult, AddStatus, StoredDocument, StoredDocumentFull } from "../contract/api.js";

/** Series of a document: what identifies "the same article" across edits. */
export function seriesOf(doc: PreparedDocument): string {
  return doc.metadata.url ?? doc.fileName ?? doc.id;
}

function rowToDoc(r: DocumentsTable): StoredDocument {
  return {
    id: r.id,
    series: r.series,
    version: r.version,
    supersedes: r.supersedes,
    kind: r.kind as StoredDocument["kind"],
    fileName: r.file_name,
    title: r.title,
    outlet: r.outlet,
    author: r.author,
    date: r.published,
    url: r.url,
    language: r.language,
    rawSha256: r.raw_sha256,
    lineCount: r.line_count,
    keptCount: r.kept_count,
    cleaner: r.cleaner,
    addedAt: r.added_at,
  };
}

const BLOCK_CHUNK = 400;

/**
 * Adds documents in one transaction: all of them or none. The same text again is a no-op; a
 * changed text of a known series (same URL or file name) becomes its next version.
 */
export async function addDocuments(
  store: Store,
  docs: PreparedDocument[],
  now = new Date().toISOString(),
): Promise<AddResult[]> {
  return store.db.transaction().execute(async (trx) => {
    const results: AddResult[] = [];
    for (const doc of docs) {
      const series = seriesOf(doc);
      const existing = await trx
        .selectFrom("documents")
        .select(["id", "version", "series"])
        .where("id", "=", doc.id)
        .executeTakeFirst();
      if (existing) {
        results.push({
          id: doc.id,
          status: "unchanged",
          version: existing.version,
          series: existing.series,
          fileName: doc.fileName,
        });
        continue;
      }
      const latest = await trx
        .selectFrom("documents")
        .select(["id", "version"])
        .where("series", "=", series)
        .orderBy("version", "desc")
        .executeTakeFirst();
      const version = latest ? latest.version + 1 : 1;
      await trx
        .insertInto("documents")
        .values({
          id: doc.id,
          series,
          version,
          supersedes: latest?.id ?? null,
          kind: doc.kind,
          file_name: doc.fileName ?? null,
          title: doc.metadata.title ?? null,
          outlet: doc.metadata.outlet ?? null,
          author: doc.metadata.author ?? null,
          published: doc.metadata.date ?? null,
          url: doc.metadata.url ?? null,
          language: doc.clean.language,
          raw_sha256: doc.rawSha256,
          text: doc.text,
          cleaned_text: doc.clean.cleanedText,
          line_count: doc.lines.length,
          kept_count: doc.clean.cleanedToOriginal.length,
          cleaner: doc.cleaner,
          added_at: now,
        })
        .execute();
      const rows = doc.clean.blocks.map((b) => ({
        document_id: doc.id,
        line: b.line,
        kept: b.kept ? 1 : 0,
        score: b.score,
        role: b.role,
        language: b.language,
        script: b.script,
        reasons: JSON.stringify(b.reasons),
        cleaned_line: b.cleanedLine ?? null,
      }));
      for (let i = 0; i < rows.length; i += BLOCK_CHUNK)
        await trx
          .insertInto("blocks")
          .values(rows.slice(i, i + BLOCK_CHUNK))
          .execute();
      await trx
        .insertInto("corpus_log")
        .values({
          at: now,
          action: latest ? "new-version" : "add",
          document_id: doc.id,
          detail: latest ? `replaces ${latest.id}` : null,
        })
        .execute();
      results.push({
        id: doc.id,
        status: latest ? "new-version" : "added",
        version,
        series,
        supersedes: latest?.id,
        fileName: doc.fileName,
      });
    }
    return results;
  });
}

export async function listDocuments(store: Store): Promise<StoredDocument[]> {
  const rows = await store.db
    .selectFrom("documents")
    .selectAll()
    .orderBy("series")
    .orderBy("version")
    .execute();
  return rows.map(rowToDoc);
}

/**
 * Finds documents by a reference: an id or an id prefix (at least 4 hex digits), a file name,
 * or a URL. Returns every match (the caller decides what an ambiguous reference means).
 */
export async function findDocuments(store: Store, ref: string): Promise<StoredDocument[]> {
  let q = store.db.selectFrom("documents").selectAll();
  if (/^[0-9a-f]{4,64}$/i.test(ref))
    q = q.where((eb) => eb.or([eb("id", "like", `${ref.toLowerCase()}%`), eb("file_name", "=", ref)]));
  else q = q.where((eb) => eb.or([eb("file_name", "=", ref), eb("url", "=", ref), eb("series", "=", ref)]));
  const rows = await q.orderBy("series").orderBy("version").execute();
  return rows.map(rowToDoc);
}

export async function getDocument(store: Store, id: string): Promise<StoredDocumentFull | undefined> {
  const r = await store.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
  if (!r) return undefined;
  const blocks = await store.db
    .selectFrom("blocks")
    .selectAll()
    .where("document_id", "=", id)
    .orderBy("line")
    .execute();
  return {
    ...rowToDoc(r),
    text: r.text,
    cleanedText: r.cleaned_text,
    blocks: blocks.map((b) => ({
      line: b.line,
      kept: b.kept === 1,
      score: b.score,
      role: b.role as BlockReport["role"],
      language: b.language,
      script: b.script,
      reasons: JSON.parse(b.reasons) as Reason[],
      ...(b.cleaned_line === null ? {} : { cleanedLine: b.cleaned_line }),
    })),
  };
}

export async function countDocuments(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom("documents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every stored document as the evidence verifier reads it (lines and cleaning blocks). */
export async function corpusFromStore(store: Store): Promise<CorpusDocument[]> {
  const out: CorpusDocument[] = [];
  for (const d of await listDocuments(store)) {
    const full = await getDocument(store, d.id);
    if (!full) continue;
    out.push({
      id: d.id,
      rawSha256: d.rawSha256,
      fileName: d.fileName,
      url: d.url,
      series: d.series,
      version: d.version,
      lines: textLines(full.text),
      blocks: full.blocks,
      origin: "store",
    });
  }
  return out;
}
