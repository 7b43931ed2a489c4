// A source file → a prepared document: its text (normalised), id, metadata, and cleaning.
//
// Plain text and Markdown are stored as they are (normalised); their lines are the file's
// lines. HTML is stored as the page's text, one line per block element (see html.ts); the raw
// HTML's sha256 is kept too. The id is the sha256 of the stored (normalised) text, so adding
// the same text again is a no-op, whatever the file is called.
import { readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { CLEANER_VERSION, type CleanResult, cleanLines } from "./clean.js";
import { type DocumentMetadata, extractHtml } from "./html.js";
import {
  decodeText,
  documentId,
  EvidenceInputError,
  formatBytes,
  MAX_DOCUMENT_BYTES,
  sha256Hex,
  textLines,
} from "./text.js";

export type DocumentKind = "text" | "markdown" | "html";

export interface PreparedDocument {
  /** sha256 of the normalised stored text. */
  id: string;
  kind: DocumentKind;
  fileName?: string;
  /** sha256 of the file's bytes. */
  rawSha256: string;
  metadata: DocumentMetadata;
  /** The stored text (for HTML: the page's blocks, one per line). */
  text: string;
  lines: string[];
  clean: CleanResult;
  cleaner: string;
}

export const DOCUMENT_EXTENSIONS: Record<string, DocumentKind> = {
  ".txt": "text",
  ".text": "text",
  ".md": "markdown",
  ".markdown": "markdown",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
};

export function kindOf(fileName: string, text?: string): DocumentKind | undefined {
  const k = DOCUMENT_EXTENSIONS[extname(fileName).toLowerCase()];
  if (k) return k;
  if (text !== undefined && /^\s*(<!doctype html|<html[\s>])/i.test(text.slice(0, 500))) return "html";
  return undefined;
}

function frontMatter(lines: string[]): { lines: Set<number>; data: Record<string, unknown> } {
  const set = new Set<number>();
  if (lines[0]?.trim() !== "---") return { lines: set, data: {} };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) return { lines: set, data: {} };
  for (let i = 0; i <= end; i++) set.add(i + 1);
  try {
    const data = parseYaml(lines.slice(1, end).join("\n"));
    return { lines: set, data: data && typeof data === "object" ? (data as Record<string, unknown>) : {} };
  } catch {
    return { lines: set, data: {} };
  }
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : v instanceof Date ? v.toISOString().slice(0, 10) : undefined;

/** Prepares a document from a file's bytes. Throws EvidenceInputError for bad input. */
export function prepareDocument(
  bytes: Uint8Array,
  fileName: string,
  forcedKind?: DocumentKind,
): PreparedDocument {
  const raw = decodeText(bytes, fileName);
  const kind = forcedKind ?? kindOf(fileName, raw) ?? "text";
  let text: string;
  let clean: CleanResult;
  let metadata: DocumentMetadata = {};
  if (kind === "html") {
    const h = extractHtml(raw, fileName);
    text = h.lines.join("\n");
    clean = cleanLines(h.lines, {
      kind,
      extracted: h.extracted,
      titleLine: h.titleLine,
      linkDensity: h.linkDensity,
    });
    metadata = h.metadata;
  } else {
    text = raw;
    const lines = textLines(text);
    const fm = kind === "markdown" ? frontMatter(lines) : { lines: new Set<number>(), data: {} };
    const linkDensity = new Map<number, number>();
    if (kind === "markdown")
      lines.forEach((l, i) => {
        const links = [...l.matchAll(/\[([^\]]*)\]\([^)]*\)/g)].reduce((s, m) => s + m[1].length, 0);
        const plain = l.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").trim();
        if (links > 0 && plain) linkDensity.set(i + 1, links / plain.length);
      });
    clean = cleanLines(lines, { kind, frontMatter: fm.lines, linkDensity });
    const d = fm.data as Record<string, unknown>;
    metadata = {
      title: str(d.title),
      author: str(d.author),
      date: str(d.date),
      url: str(d.url) ?? str(d.source_url),
      outlet: str(d.outlet) ?? str(d.source) ?? str(d.publisher),
      language: str(d.lang) ?? str(d.language),
    };
  }
  // Fill what metadata did not say from the cleaned text itself.
  metadata.title ??= clean.title;
  metadata.author ??= clean.byline;
  metadata.outlet ??= clean.dateline;
  for (const k of Object.keys(metadata) as (keyof DocumentMetadata)[])
    if (metadata[k] === undefined) delete metadata[k];
  if (clean.cleanedToOriginal.length === 0)
    throw new EvidenceInputError(
      "no-article",
      "no article text found: every block was classed as page furniture (see the rules in docs/evidence.md)",
      fileName,
    );
  return {
    id: documentId(text),
    kind,
    fileName: basename(fileName),
    rawSha256: sha256Hex(bytes),
    metadata,
    text,
    lines: textLines(text),
    clean,
    cleaner: CLEANER_VERSION,
  };
}

/** Reads and prepares a document file, checking its size before reading it. */
export function readDocumentFile(path: string): PreparedDocument {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new EvidenceInputError("unreadable", "is a folder, not a file", path);
    size = st.size;
  } catch (e) {
    if (e instanceof EvidenceInputError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new EvidenceInputError(
      "unreadable",
      err.code === "ENOENT" ? "no such file" : `cannot read: ${err.message}`,
      path,
    );
  }
  if (size > MAX_DOCUMENT_BYTES)
    throw new EvidenceInputError(
      "too-large",
      `${formatBytes(size)} is larger than the ${formatBytes(MAX_DOCUMENT_BYTES)} limit for one document`,
      path,
    );
  return prepareDocument(readFileSync(path), path);
}
