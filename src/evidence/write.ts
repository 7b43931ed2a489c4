// Writing accepted drafts into a model file without disturbing it: each new impact (and, for a
// document the model does not list yet, its source) is rendered with the yaml library and
// spliced in after the last item of its list, so every other byte — comments, order, flow
// lists — stays as it was. A file whose list is missing or written in flow style goes through
// the yaml Document API instead (comments kept, layout normalised).

import { isSeq, parseDocument, stringify } from "yaml";
import { InputError } from "../errors.js";
import type { Source } from "../model/types.js";
import type { Draft } from "./ingest.js";

export class WriteError extends InputError {}

export function draftToImpact(d: Draft): Record<string, unknown> {
  return {
    from: d.from,
    to: d.to,
    strength: d.strength,
    rationale: `Draft from muscat ingest (${d.kind} claim, cue '${d.cue}'${d.modal ? `, modal '${d.modal}'` : ""}); review the strength and write the rationale in your own words.`,
    evidence: [d.evidence],
  };
}

function appendToList(text: string, key: string, items: Record<string, unknown>[]): string {
  if (items.length === 0) return text;
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new WriteError(`the model file does not parse: ${doc.errors[0].message.split("\n")[0]}`);
  const seq = doc.get(key, true);
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] };
    const first = seq.items[0] as { range?: [number, number, number] };
    if (last.range && first.range) {
      const lineStart = text.lastIndexOf("\n", first.range[0] - 1) + 1;
      const dashCol = text.slice(lineStart, first.range[0]).search(/-\s*$/);
      const indent = " ".repeat(Math.max(0, dashCol));
      let at = text.indexOf("\n", last.range[1] - 1);
      at = at < 0 ? text.length : at + 1;
      const rendered = stringify(items, { lineWidth: 0 })
        .trimEnd()
        .split("\n")
        .map((l) => indent + l)
        .join("\n");
      const sep = at === text.length && !text.endsWith("\n") ? "\n" : "";
      return `${text.slice(0, at)}${sep}${rendered}\n${text.slice(at)}`;
    }
  }
  for (const it of items) doc.addIn([key], it);
  return doc.toString({ lineWidth: 0 });
}

/** The model text with the drafts (and a new source, if given) added. */
export function addDraftsToModelText(text: string, drafts: Draft[], newSource?: Source): string {
  let out = text;
  if (newSource) {
    const entry = Object.fromEntries(
      Object.entries(newSource).filter(([, v]) => v !== undefined && v !== null),
    );
    out = appendToList(out, "sources", [entry]);
  }
  return appendToList(out, "impacts", drafts.map(draftToImpact));
}
