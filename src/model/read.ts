// Reading a file's text for the model loaders (Node only): the text, or the problem that says
// why it could not be read. Kept apart from the parsers so that either loader can use it
// without loading the other.
//
// A model file is UTF-8; a byte-order mark is dropped, and a file that starts with a UTF-16
// byte-order mark is read as UTF-16. Bytes that are not UTF-8 are a problem at their line and
// column, except in a ScenarioWizard project, which older Windows versions wrote in
// Windows-1252 and which is then read as such.
import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { LoadResult } from "./load.js";
import { unreadableProblem } from "./problems.js";
import type { Problem } from "./types.js";

export function readTextOrProblem(path: string): { text: string } | LoadResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { problems: [unreadableProblem(path, e)], file: path };
  }
  return decodeText(bytes, path);
}

const SCW_HEADER = "$ ScenarioWizard";

/** The text of a file's bytes, or the problem that says where they stop being text. */
export function decodeText(bytes: Uint8Array, file: string): { text: string } | LoadResult {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (isUtf8(body))
    return { text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8") };
  const scw =
    extname(file).toLowerCase() === ".scw" ||
    Buffer.from(body.subarray(0, SCW_HEADER.length)).toString("latin1") === SCW_HEADER;
  if (scw) return { text: new TextDecoder("windows-1252").decode(body) };
  const bad = Math.max(0, firstInvalidUtf8(body));
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < bad; i++)
    if (body[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  const column = Buffer.from(body.subarray(lineStart, bad)).toString("utf8").length + 1;
  const byte = body[bad].toString(16).toUpperCase().padStart(2, "0");
  const problem: Problem = {
    severity: "error",
    code: "encoding",
    path: "(file)",
    message: `the file is not UTF-8 text: byte 0x${byte} at line ${line}, column ${column} (save it as UTF-8)`,
    file,
    line,
    column,
  };
  return { problems: [problem], file };
}

/** Offset of the first byte that does not belong to well-formed UTF-8, or -1 if all do. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing past U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}
