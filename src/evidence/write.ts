// Writing reviewed drafts into a model file without disturbing it. applyDrafts takes the
// analyst's decisions: "accept" a new draft (a new judgment, placed next to the cell's other
// judgments by the model's own edit operations), "attach" a draft's locators to the judgment it
// supports, or record a draft as a second "view" (a cell impact with `author: <source id>`, for
// the ensemble engine). For a document the model does not list yet, its source goes in first.
// A decision may also teach the model the words of the sentence that named each state of its
// cell (`teach`): they join the states' keywords, so that the next article saying it the same
// way maps there (model ops addKeywords); and a name the model had no actor for joins an actor's
// aliases (addAliases).
// Every other byte — comments, order, flow lists — stays as it was; the result is validated.
//
// addDraftsToModelText is the older splice (new impacts appended at the end of the list).

import { isSeq, parseDocument, stringify } from "yaml";
import { InputError } from "../errors.js";
import { parseModelText } from "../model/load.js";
import { applyOp, type ModelOp } from "../model/ops.js";
import type { Model, Source, StateRef } from "../model/types.js";
import { type Draft, existingCell, type Gap, relationTo } from "./ingest.js";

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

export interface DraftDecision {
  /** A draft's id, or a gap's (then `from`, `to` and `strength` are the analyst's). */
  id: string;
  action: "accept" | "attach" | "view";
  /** The analyst's strength, instead of the draft's. */
  strength?: number;
  /** The cell the analyst reads, instead of the draft's: `factor=state` each. */
  from?: string;
  to?: string;
  /**
   * Words of the sentence that name the cell's `from` and `to` states, added to those states'
   * keywords: "walk away from the table" for talks=breakdown.
   */
  teach?: {
    from?: string[];
    to?: string[];
    /** Names in the sentence the model has no actor for, each added to an actor's aliases. */
    aliases?: { name: string; actor: string }[];
  };
}

/**
 * The draft a decision is about: the draft itself; the draft with the analyst's cell (its
 * judgment in the model looked up again); or, for a gap, a draft of the claim in the cell the
 * analyst chose. Throws an InputError naming the id for an unknown id, a gap without a cell or a
 * strength, or a cell that is not two states of two different factors of the model.
 */
export function decidedDraft(model: Model, drafts: Draft[], gaps: Gap[], dec: DraftDecision): Draft {
  const id = String(dec?.id);
  const draft = drafts.find((d) => d.id === id);
  const gap = draft ? undefined : gaps.find((g) => g.id === id);
  if (!draft && !gap) throw new InputError(`no draft or gap '${id}' among those given`, { path: id });
  if (gap && (dec.from === undefined || dec.to === undefined))
    throw new InputError(`gap ${id}: choose its cell: give both 'from' and 'to'`, { path: id });
  if (gap && dec.strength === undefined)
    throw new InputError(`gap ${id}: give the strength of the judgment`, { path: id });
  if (draft && dec.from === undefined && dec.to === undefined) return draft;
  const from = dec.from ?? draft?.from ?? "";
  const to = dec.to ?? draft?.to ?? "";
  for (const [end, s] of [
    ["from", from],
    ["to", to],
  ] as const) {
    const [f, st] = s.split("=");
    const factor = model.factors.find((x) => x.id === f);
    if (!factor?.states.some((x) => x.id === st) || s.split("=").length !== 2)
      throw new InputError(
        `${draft ? "draft" : "gap"} ${id}: '${end}' ${JSON.stringify(s)} is no factor=state of the model`,
        {
          path: `${id}.${end}`,
        },
      );
  }
  if (from.split("=")[0] === to.split("=")[0])
    throw new InputError(
      `${draft ? "draft" : "gap"} ${id}: ${from} → ${to} is within one factor; a judgment links two factors`,
      {
        path: id,
      },
    );
  const strength = dec.strength ?? draft?.strength ?? 0;
  const base: Draft = draft ?? {
    id,
    from,
    to,
    strength,
    kind: gap!.kind,
    cue: gap!.cue,
    negated: false,
    source: gap!.source,
    line: gap!.line,
    sentence: gap!.sentence,
    evidence: gap!.evidence,
    confidence: 0,
    relation: "new",
  };
  const { existing: _, ...rest } = base;
  return {
    ...rest,
    from,
    to,
    strength,
    ...relationTo(strength, existingCell(model, from, to)),
    reviewed: true,
  };
}

const ref = (s: string): StateRef => {
  const [factor, state] = s.split("=");
  return { factor: factor ?? "", state: state ?? "" };
};

/** The draft's locators: its own and those of the sentences merged into it. */
export function draftLocators(d: Draft): string[] {
  return [...new Set([d.evidence, ...(d.also ?? []).map((a) => a.evidence)])];
}

function parseLocator(loc: string, id: string): { source: string; lines: [number, number] } {
  const m = /^([^:]+):(\d+)(?:-(\d+))?$/.exec(loc);
  if (!m) throw new InputError(`draft ${id}: locator '${loc}' is not source:line`, { path: id });
  const a = Number(m[2]);
  return { source: m[1], lines: [a, m[3] ? Number(m[3]) : a] };
}

/** Index of the impact after which a new judgment of `from` goes: the last with the same from factor. */
function afterSameFrom(text: string, from: string): number {
  const doc = parseDocument(text);
  const seq = doc.get("impacts", true);
  if (!isSeq(seq)) return -1;
  const factor = from.split("=")[0];
  let at = seq.items.length - 1;
  seq.items.forEach((it, i) => {
    const js = (it as { toJSON?: () => unknown }).toJSON?.() as { from?: unknown } | undefined;
    if (typeof js?.from === "string" && js.from.split("=")[0] === factor) at = i;
  });
  return at;
}

/** Inserts a rendered block item after item `k` of the top-level block list `key`. */
function insertAfter(text: string, key: string, k: number, item: string[]): string {
  const doc = parseDocument(text);
  const seq = doc.get(key, true);
  if (!isSeq(seq) || seq.flow || seq.items.length === 0 || k < 0)
    throw new WriteError(`the model's '${key}' is not a block list: cannot place a second view in it`, {
      path: key,
    });
  const after = seq.items[Math.min(k, seq.items.length - 1)] as { range?: [number, number, number] };
  const first = seq.items[0] as { range?: [number, number, number] };
  if (!after.range || !first.range)
    throw new WriteError(`the model's '${key}' has no positions`, { path: key });
  const lineStart = text.lastIndexOf("\n", first.range[0] - 1) + 1;
  const dashCol = text.slice(lineStart, first.range[0]).search(/-\s*$/);
  const indent = " ".repeat(Math.max(0, dashCol));
  let at = text.indexOf("\n", after.range[1] - 1);
  at = at < 0 ? text.length : at + 1;
  const sep = at === text.length && !text.endsWith("\n") ? "\n" : "";
  const rendered = item.map((l, i) => `${indent}${i === 0 ? "- " : "  "}${l}`).join("\n");
  return `${text.slice(0, at)}${sep}${rendered}\n${text.slice(at)}`;
}

const scalar = (v: string | number) => stringify(v, { lineWidth: 0 }).trimEnd();

function rationaleOf(d: Draft, view: boolean): string {
  return `${view ? `Second view, read from ${d.source}` : "Draft from muscat ingest"} (${d.kind} claim, cue '${d.cue}'${d.modal ? `, modal '${d.modal}'` : ""}${d.negated ? ", negated" : ""}${d.reviewed ? "; cell chosen in review" : ""}); review the strength and write the rationale in your own words.`;
}

/**
 * The model text with the decisions on the drafts applied (see the file comment). Throws an
 * InputError naming the draft for an unknown id, an action that does not fit the draft (attach
 * or view without a judgment to attach to or differ from; accept on a judged cell), a strength
 * off the model's scale, or a result that would not validate.
 */
export function applyDrafts(
  modelText: string,
  drafts: Draft[],
  decisions: DraftDecision[],
  source?: Source,
  gaps: Gap[] = [],
): { text: string } {
  let text = modelText;
  const before = parseModelText(text);
  if (!before.model)
    throw new WriteError("the model does not validate: fix it before adding drafts", { path: "(file)" });
  const scale = before.model.scale;
  if (source && !before.model.sources.some((s) => s.id === source.id)) {
    const entry = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== null));
    text = appendToList(text, "sources", [entry]);
  }
  const seen = new Set<string>();
  for (const dec of decisions) {
    const d = decidedDraft(before.model, drafts, gaps, dec);
    const what = drafts.some((x) => x.id === d.id) ? "draft" : "gap";
    const cellKey = `${dec.action === "view" ? d.source : ""}|${d.from}|${d.to}`;
    if (seen.has(cellKey))
      throw new InputError(
        `${what} ${d.id}: ${d.from} → ${d.to} is decided twice; decide one draft per cell`,
        {
          path: d.id,
        },
      );
    seen.add(cellKey);
    const strength = dec.strength ?? d.strength;
    if (!Number.isInteger(strength) || strength < scale.min || strength > scale.max)
      throw new InputError(
        `${what} ${d.id}: strength ${String(strength)} is not an integer in ${scale.min}..${scale.max}`,
        {
          path: d.id,
        },
      );
    const locs = draftLocators(d).map((l) => parseLocator(l, d.id));
    try {
      if (dec.action === "accept") {
        if (d.existing)
          throw new InputError(
            `${what} ${d.id}: the model already judges ${d.from} → ${d.to} (${d.existing.path}, ${d.existing.strength}); 'attach' its evidence or record it as a 'view'`,
            { path: d.id },
          );
        text = applyOp(text, {
          op: "setCell",
          from: ref(d.from),
          to: ref(d.to),
          strength,
          rationale: rationaleOf(d, false),
        }).text;
        for (const l of locs)
          text = applyOp(text, { op: "addEvidence", from: ref(d.from), to: ref(d.to), ...l }).text;
      } else if (dec.action === "attach") {
        if (!d.existing)
          throw new InputError(
            `${what} ${d.id}: the model does not judge ${d.from} → ${d.to}; there is nothing to attach to: 'accept' it`,
            {
              path: d.id,
            },
          );
        for (const l of locs)
          text = applyOp(text, { op: "addEvidence", from: ref(d.from), to: ref(d.to), ...l }).text;
      } else if (dec.action === "view") {
        const lines = [
          `from: ${scalar(d.from)}`,
          `to: ${scalar(d.to)}`,
          `strength: ${strength}`,
          `author: ${scalar(d.source)}`,
          `rationale: ${scalar(rationaleOf(d, true))}`,
          `evidence: [${draftLocators(d).map(scalar).join(", ")}]`,
        ];
        text = insertAfter(text, "impacts", afterSameFrom(text, d.from), lines);
      } else
        throw new InputError(
          `${what} ${d.id}: the action is 'accept', 'attach' or 'view', got '${String(dec.action)}'`,
          {
            path: d.id,
          },
        );
      // What the decision teaches: each refusal named by its field under teach.
      const teach = (field: string, op: ModelOp) => {
        try {
          text = applyOp(text, op).text;
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          throw new InputError(`${what} ${d.id}: teach.${field}: ${e.message}`, {
            code: e.code,
            path: `${d.id}.teach.${field}`,
          });
        }
      };
      for (const end of ["from", "to"] as const) {
        const words = dec.teach?.[end];
        if (words === undefined || (Array.isArray(words) && words.length === 0)) continue;
        const r = ref(d[end]);
        teach(end, { op: "addKeywords", factor: r.factor, state: r.state, words });
      }
      const aliases = dec.teach?.aliases ?? [];
      if (!Array.isArray(aliases))
        throw new InputError(`${what} ${d.id}: teach.aliases is a list of { name, actor }`, {
          path: `${d.id}.teach.aliases`,
        });
      aliases.forEach((a, k) =>
        teach(`aliases[${k}]`, { op: "addAliases", actor: a?.actor, aliases: [a?.name] }),
      );
    } catch (e) {
      if (e instanceof InputError && !e.message.startsWith(`${what} ${d.id}`))
        throw new InputError(`${what} ${d.id}: ${e.message}`, { code: e.code, path: d.id });
      throw e;
    }
  }
  const after = parseModelText(text);
  const err = after.problems.find((p) => p.severity === "error");
  if (err)
    throw new WriteError(`the decisions would make the model invalid (${err.path}: ${err.message})`, {
      path: err.path,
    });
  return { text };
}
