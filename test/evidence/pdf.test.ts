// PDF documents: text extracted in reading order (paragraphs as lines, pages in order), the same
// lines from the same bytes, running headers/footers marked as furniture, a scan refused with a
// clear message, corrupt/encrypted/oversized files refused without a raw pdf.js error, the store
// migration that allows the kind, the CLI's `corpus add` and the API's base64 upload.
// Fixtures: test/fixtures/pdf (made by make.ts from the text in article-text.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDocument, prepareDocumentAsync, readDocument } from "../../src/evidence/document.js";
import { extractPdf, joinWrapped } from "../../src/evidence/pdf.js";
import { EvidenceInputError, sha256Hex } from "../../src/evidence/text.js";
import { createApp } from "../../src/server/app.js";
import { JobQueue } from "../../src/server/jobs.js";
import { addDocuments, getDocument, openStore, STORE_FILE, type Store } from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { BROKEN, HEADER, PARAS, TITLE } from "../fixtures/pdf/article-text.js";
import { repoRoot } from "../helpers/paths.js";
import { runCli } from "./helpers.js";

const pdfDir = join(repoRoot, "test", "fixtures", "pdf");
const ARTICLE = join(pdfDir, "article.pdf");
const SCAN = join(pdfDir, "scan.pdf");
const articleBytes = () => new Uint8Array(readFileSync(ARTICLE));

/** A one-page PDF whose trailer asks for the standard security handler with an unknown password. */
function encryptedPdf(): Uint8Array {
  const objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${"ab".repeat(32)}> /U <${"cd".repeat(32)}> /P -4 >>`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${"01".repeat(16)}> <${"01".repeat(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
const j = async (r: Response): Promise<any> => r.json();

async function inputError(p: Promise<unknown>): Promise<EvidenceInputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EvidenceInputError);
    return e as EvidenceInputError;
  }
  throw new Error("expected an EvidenceInputError");
}

describe("extracting a PDF's text", () => {
  it("gives the article's paragraphs in reading order, one per line, pages in order", async () => {
    const x = await extractPdf(articleBytes(), "article.pdf");
    expect(x.pages).toBe(2);
    // Every printed paragraph is one line, whole (wrapped lines joined), in the order printed.
    const at = [TITLE, ...PARAS, BROKEN].map((p) => x.lines.indexOf(p));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The paragraph cut by the page break is joined back, on page 1.
    const cut = PARAS.find((p) => p.startsWith("Analysts"))!;
    expect(x.pageOfLine[x.lines.indexOf(cut)]).toBe(1);
    expect(x.pageOfLine[x.lines.indexOf(PARAS[PARAS.length - 1])]).toBe(2);
    expect([...x.pageOfLine].sort((a, b) => a - b)).toEqual(x.pageOfLine);
    // Line-end breaks: the typesetter's hyphen dropped ("negotiations"), a compound's kept.
    expect(x.lines).toContain(BROKEN);
  });

  it("the same bytes give the same lines, id and locators (two extractions, two file names)", async () => {
    const a = await prepareDocumentAsync(articleBytes(), "article.pdf");
    const b = await prepareDocumentAsync(articleBytes(), "renamed.pdf");
    expect(b.lines).toEqual(a.lines);
    expect(b.id).toBe(a.id);
    expect(a.id).toBe(sha256Hex(a.text));
    expect(a.rawSha256).toBe(sha256Hex(readFileSync(ARTICLE)));
    expect(a.kind).toBe("pdf");
    expect(a.cleaner).toMatch(/^clean\/\d+\+pdf\/\d+$/);
    expect(a.text.split("\n")).toEqual(a.lines);
    expect(b.clean.blocks).toEqual(a.clean.blocks);
  });

  it("running headers and page numbers are kept as lines but marked as page furniture", async () => {
    const d = await prepareDocumentAsync(articleBytes(), "article.pdf");
    const furniture = d.lines.flatMap((l, i) => (l === HEADER || /^Page \d of 2$/.test(l) ? [i + 1] : []));
    expect(furniture).toHaveLength(4);
    for (const line of furniture) {
      const b = d.clean.blocks[line - 1];
      expect(b.kept, `line ${line}`).toBe(false);
      expect(b.reasons.map((r) => r.rule)).toContain("page-furniture");
    }
    // Every paragraph is kept; the byline is metadata; nothing else is removed.
    const kept = d.clean.cleanedToOriginal.map((n) => d.lines[n - 1]);
    expect(kept).toEqual([TITLE, ...PARAS, BROKEN]);
    expect(d.metadata).toMatchObject({ title: TITLE, author: "Lena Farrow" });
    expect(d.clean.language).toBe("eng");
  });

  it("a PDF with no text layer (an image only) is refused: no-text-layer, with the page count", async () => {
    const e = await inputError(prepareDocumentAsync(new Uint8Array(readFileSync(SCAN)), "scan.pdf"));
    expect(e.code).toBe("no-text-layer");
    expect(e.message).toBe(
      "scan.pdf: the PDF has 1 page but no text layer (a scan?): run OCR first (for example ocrmypdf file.pdf out.pdf) and add the result",
    );
  });

  it("corrupt, truncated, mislabelled and encrypted files get a clear error, never a pdf.js exception", async () => {
    const bytes = articleBytes();
    const truncated = await inputError(prepareDocumentAsync(bytes.slice(0, 2000), "cut.pdf"));
    expect(truncated.code).toBe("corrupt");
    expect(truncated.message).toMatch(/^cut\.pdf: not a readable PDF \(.+\)$/);
    const garbage = new TextEncoder().encode(`%PDF-1.7\n${"\u0000garbage ".repeat(200)}`);
    expect((await inputError(prepareDocumentAsync(garbage, "g.pdf"))).code).toBe("corrupt");
    const named = await inputError(prepareDocumentAsync(new TextEncoder().encode("plain text"), "x.pdf"));
    expect(named.message).toBe("x.pdf: named as a PDF but does not start with %PDF-");
    const enc = await inputError(prepareDocumentAsync(encryptedPdf(), "locked.pdf"));
    expect(enc.code).toBe("encrypted");
    expect(enc.message).toMatch(/locked\.pdf: the PDF is encrypted \(it needs a password\)/);
  });

  it("the work is bounded: a page limit and a time limit, each with a clear error", async () => {
    const pages = await inputError(extractPdf(articleBytes(), "a.pdf", { maxPages: 1 }));
    expect(pages.message).toBe("a.pdf: the PDF has 2 pages, more than the 1 read for one document");
    const t0 = Date.now();
    const slow = await inputError(extractPdf(articleBytes(), "a.pdf", { timeLimitMs: 1 }));
    expect(slow.message).toMatch(/reading the PDF took longer than 1 ms; it was stopped/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("a text file that mentions %PDF- is text; a PDF is a PDF whatever its name", async () => {
    const text = `A note on file formats\nEvery PDF file starts with the bytes %PDF- and a version number, which is how readers know it.\n`;
    expect((await prepareDocumentAsync(Buffer.from(text), "formats.txt")).kind).toBe("text");
    expect((await prepareDocumentAsync(articleBytes(), "download")).kind).toBe("pdf");
  });

  it("the synchronous reader refuses a PDF with a message saying which reader to use", () => {
    expect(() => prepareDocument(articleBytes(), "article.pdf")).toThrow(
      /article\.pdf: a PDF is read asynchronously/,
    );
  });

  it("line-end hyphens: a typesetter's hyphen is dropped, a compound's kept, a plain break is a space", () => {
    expect(joinWrapped("the nego\u2010", "tiations")).toBe("the negotiations");
    expect(joinWrapped("the nego-", "tiations")).toBe("the negotiations");
    expect(joinWrapped("the counter-", "proposal")).toBe("the counter-proposal");
    expect(joinWrapped("the US-", "Iran talks")).toBe("the US- Iran talks");
    expect(joinWrapped("the talks", "resumed")).toBe("the talks resumed");
  });
});

describe("PDF documents in the store, the CLI and the API", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "muscat-pdf-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("migration 0006 allows kind 'pdf' and keeps the documents, blocks and versions already stored", async () => {
    const data = join(dir, "migrate");
    mkdirSync(data, { recursive: true });
    const sqlite = new SQLite(join(data, STORE_FILE));
    sqlite.pragma("foreign_keys = ON");
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const upTo = Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k <= "0005_vintage_as_of"));
    const m = new Migrator({
      db,
      provider: { getMigrations: async () => upTo },
      migrationTableName: "muscat_migrations",
      migrationLockTableName: "muscat_migrations_lock",
    });
    expect((await m.migrateToLatest()).error).toBeUndefined();
    const v1 = prepareDocument(Buffer.from(`A title\n${PARAS.slice(0, 3).join("\n")}`), "old.txt");
    const v2 = prepareDocument(Buffer.from(`A title\n${PARAS.slice(0, 4).join("\n")}`), "old.txt");
    await addDocuments({ db } as unknown as Store, [v1, v2]);
    const before = sqlite.prepare("select * from blocks order by document_id, line").all();
    expect(before.length).toBe(v1.lines.length + v2.lines.length);
    await db.destroy();

    const store = (await openStore(data))!;
    try {
      expect(store.sqlite.prepare("select * from blocks order by document_id, line").all()).toEqual(before);
      expect((await getDocument(store, v2.id))?.supersedes).toBe(v1.id);
      expect(store.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(store.sqlite.prepare("pragma foreign_key_check").all()).toEqual([]);
      const pdf = await prepareDocumentAsync(articleBytes(), "article.pdf");
      const [r] = await addDocuments(store, [pdf]);
      expect(r.status).toBe("added");
      expect((await getDocument(store, pdf.id))?.kind).toBe("pdf");
      expect(() =>
        store.sqlite.prepare("update documents set kind = 'docx' where id = ?").run(pdf.id),
      ).toThrow(/CHECK constraint failed/);
      // Deleting a document still cascades to its blocks (the foreign keys survived the rebuild).
      store.sqlite.prepare("delete from corpus_log where document_id = ?").run(v1.id);
      store.sqlite.prepare("delete from documents where id = ?").run(v1.id);
      expect(store.sqlite.prepare("select count(*) n from blocks where document_id = ?").get(v1.id)).toEqual({
        n: 0,
      });
    } finally {
      await store.close();
    }
  }, 30_000);

  it("`muscat corpus add file.pdf` adds it as kind pdf; a scan is refused with the OCR message", async () => {
    const data = join(dir, "cli");
    let r = await runCli("corpus", "add", ARTICLE, "--data", data, "--format", "json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).documents[0]).toMatchObject({ status: "added", fileName: "article.pdf" });
    r = await runCli("corpus", "list", "--data", data, "--format", "json");
    expect(JSON.parse(r.out).documents[0]).toMatchObject({
      kind: "pdf",
      title: TITLE,
      author: "Lena Farrow",
    });
    r = await runCli("corpus", "add", SCAN, "--data", data);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/scan\.pdf: the PDF has 1 page but no text layer \(a scan\?\): run OCR first/);
  }, 60_000);

  it("POST /api/documents with base64: 201, then the document's lines; exactly one of text and base64", async () => {
    const store = (await openStore(join(dir, "api")))!;
    const queue = new JobQueue(store, {});
    const app = createApp({ store, queue, version: "test" });
    const post = (body: unknown) =>
      app.request("/api/documents", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    try {
      const base64 = readFileSync(ARTICLE).toString("base64");
      const r = await post({ base64, fileName: "article.pdf" });
      expect(r.status).toBe(201);
      const added = await j(r);
      expect(added).toMatchObject({ status: "added", fileName: "article.pdf" });
      const d = await j(await app.request(`/api/documents/${added.id}`));
      expect(d.kind).toBe("pdf");
      expect(d.rawSha256).toBe(sha256Hex(readFileSync(ARTICLE)));
      const lines = d.text.split("\n");
      for (const p of [TITLE, ...PARAS, BROKEN]) expect(lines).toContain(p);
      expect(d.blocks).toHaveLength(lines.length);
      expect((await post({ base64, fileName: "again.pdf" })).status).toBe(201);
      expect((await j(await post({ base64, fileName: "again.pdf" }))).status).toBe("unchanged");

      const both = await post({ base64, text: "x", fileName: "a.pdf" });
      expect(both.status).toBe(400);
      expect((await j(both)).error).toMatch(/exactly one of text .* and base64/);
      expect((await post({ fileName: "a.pdf" })).status).toBe(400);
      expect((await post({ base64: "not base64!", fileName: "a.pdf" })).status).toBe(400);
      const scan = await post({ base64: readFileSync(SCAN).toString("base64"), fileName: "scan.pdf" });
      expect(scan.status).toBe(400);
      const body = await j(scan);
      expect(body.error).toMatch(/no text layer \(a scan\?\)/);
      expect(body.problems[0]).toMatchObject({ path: "body.base64", code: "no-text-layer" });
    } finally {
      await queue.close();
      await store.close();
    }
  }, 60_000);

  it("readDocument reads a PDF file from disk as prepareDocumentAsync does from its bytes", async () => {
    const copy = join(dir, "copy.pdf");
    writeFileSync(copy, readFileSync(ARTICLE));
    const d = await readDocument(copy);
    expect(d.id).toBe((await prepareDocumentAsync(articleBytes(), "article.pdf")).id);
    expect(d.fileName).toBe("copy.pdf");
  });
});
