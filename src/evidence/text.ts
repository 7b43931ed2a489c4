// Reading a source file's bytes into text: size limit, binary sniffing, strict UTF-8 decoding,
// normalisation, and the document id (sha256 of the normalised text).
//
// Normalisation is deliberately small so that a plain-text file that is already NFC with LF
// line ends keeps its exact bytes: then the document id equals the sha256 of the file, which
// is what a model's `sources[].sha256` records. We drop a UTF-8 byte-order mark, turn CRLF and
// CR into LF, and apply Unicode NFC. Nothing else (no trimming, no whitespace folding): line
// numbers of the file and of the stored text are the same.

import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import { textLines } from "../model/validate.js";

/** Largest file accepted as one document. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Why a file cannot become a document: a stable code and a message naming the file and where. */
export class EvidenceInputError extends InputError {
  constructor(
    override readonly code:
      | "empty"
      | "binary"
      | "too-large"
      | "invalid-utf8"
      | "no-article"
      | "unreadable"
      | "unsupported"
      | "no-text-layer"
      | "encrypted"
      | "corrupt",
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = "EvidenceInputError";
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

const MAGIC: [string, number[]][] = [
  ["a PDF file", [0x25, 0x50, 0x44, 0x46]],
  ["a PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["a JPEG image", [0xff, 0xd8, 0xff]],
  ["a GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["a ZIP archive (or .docx/.epub)", [0x50, 0x4b, 0x03, 0x04]],
  ["a gzip archive", [0x1f, 0x8b]],
];

/** Names what a binary file looks like, or undefined if it looks like text. */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  for (const [what, sig] of MAGIC) if (sig.every((b, i) => bytes[i] === b)) return what;
  const n = Math.min(bytes.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return `binary data (a NUL byte at offset ${i})`;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (n > 0 && control / n > 0.05)
    return `binary data (${Math.round((100 * control) / n)}% control characters)`;
  return undefined;
}

/** Offset of the first byte that breaks UTF-8, or -1 if the bytes are valid UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Line and column (1-based) of a byte offset. */
function lineColOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

/** The normalised form of a text: no BOM, LF line ends, Unicode NFC. */
export function normaliseText(text: string): string {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  t = t.replace(/\r\n?/g, "\n");
  return t.normalize("NFC");
}

/** A document's stable id: sha256 of its normalised text. */
export function documentId(normalisedText: string): string {
  return sha256Hex(normalisedText);
}

/**
 * Decodes a file's bytes as UTF-8 text, refusing what is not a text document with a message
 * that says what is wrong and where.
 */
export function decodeText(bytes: Uint8Array, file?: string): string {
  if (bytes.length > MAX_DOCUMENT_BYTES)
    throw new EvidenceInputError(
      "too-large",
      `${formatBytes(bytes.length)} is larger than the ${formatBytes(MAX_DOCUMENT_BYTES)} limit for one document`,
      file,
    );
  if (bytes.length === 0) throw new EvidenceInputError("empty", "the file is empty", file);
  const binary = sniffBinary(bytes);
  if (binary) throw new EvidenceInputError("binary", `not a text document: looks like ${binary}`, file);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const { line, column } = lineColOfByte(bytes, bad);
    throw new EvidenceInputError(
      "invalid-utf8",
      `not valid UTF-8: byte 0x${bytes[bad].toString(16).padStart(2, "0")} at offset ${bad} (line ${line}, byte ${column} of the line); save the file as UTF-8`,
      file,
    );
  }
  const text = normaliseText(new TextDecoder("utf-8").decode(bytes));
  if (text.trim() === "") throw new EvidenceInputError("empty", "the file holds only white space", file);
  return text;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

export { textLines };
