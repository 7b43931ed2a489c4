// Editing a model file in place: a path such as `impacts[3].strength`, and setting one value
// in YAML text so that every other byte (comments, order, spacing) stays as it was. Used by
// `muscat set` and the app's edits alike.
import { isScalar, parseDocument, stringify } from "yaml";
import { InputError } from "../errors.js";

/** Parses a path such as `impacts[3].strength` or `factors.0.name` into segments. */
export function parsePath(p: string): (string | number)[] {
  const segs: (string | number)[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) segs.push(Number(m[2]));
    else segs.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
  }
  if (segs.length === 0)
    throw new InputError(`'${p}' is not a path such as impacts[3].strength`, { code: "path", path: p });
  return segs;
}

/** A command-line value as YAML would read it: a number, true/false, null, else the text. */
export function parseScalar(v: string): unknown {
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  if (v === "true" || v === "false") return v === "true";
  if (v === "null") return null;
  return v;
}

/**
 * Sets a value at a path in YAML text. A scalar that exists is replaced in place (a splice of
 * its source range), so every other byte of the file — comments, order, spacing — stays as it
 * was; a new key goes through the Document API.
 */
export function setInModelText(text: string, path: (string | number)[], value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new InputError(`the file does not parse: ${doc.errors[0].message.split("\n")[0]}`, {
      code: "syntax",
    });
  const parent = path.slice(0, -1);
  if (parent.length && !doc.hasIn(parent))
    throw new InputError(`no such place in the model: ${parent.join(".")}`, {
      code: "path",
      path: parent.join("."),
    });
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range && (typeof value !== "object" || value === null)) {
    const [start, end] = node.range;
    // Strings with flow indicators are quoted: the scalar may sit inside a flow collection.
    const rendered =
      typeof value === "string" && /[,[\]{}#:]/.test(value)
        ? JSON.stringify(value)
        : stringify(value, { lineWidth: 0 }).trimEnd();
    return text.slice(0, start) + rendered + text.slice(end);
  }
  doc.setIn(path, value);
  return doc.toString({ lineWidth: 0 });
}
