// Finding a model's actors, factors and states in text, by the names, aliases and keywords the
// model declares (actors[].aliases, factors[].keywords, states[].keywords).
//
// Matching is on whole words (Unicode letter boundaries, so a Latin alias never matches inside
// a word of another script), with possessives (Iran's, Iran’s, Houthis’), hyphenated compounds
// (US-Iran names both) and, for keywords, simple inflections (escalate → escalation, fail →
// failure). All-capital aliases (US, PMF) match case-sensitively, so "us" is not the United
// States. Overlapping matches keep the longest ("Iran-backed Shiite forces" is the PMF, not Iran).
import type { Model } from "../model/types.js";

export interface Mention {
  kind: "actor" | "factor" | "state";
  /** Actor id, factor id, or `factor=state`. */
  id: string;
  /** The name, alias or keyword that matched. */
  term: string;
  /** Offsets in the text. */
  start: number;
  end: number;
}

interface Term {
  kind: Mention["kind"];
  id: string;
  term: string;
  re: RegExp;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function termPattern(term: string, inflect: boolean): string {
  const parts = term
    .trim()
    .split(/\s+/)
    .map((w) => escapeRe(w).replace(/['’]/g, "['’]").replace(/-/g, "[-‑–]"));
  if (inflect) {
    const last = term.trim().split(/\s+/).pop() ?? "";
    if (/^\p{L}+$/u.test(last) && last.length >= 4) {
      const stem = last.length >= 5 ? last.replace(/(e|es|s|ed|ing)$/i, "") : last;
      parts[parts.length - 1] = `${escapeRe(stem)}\\p{L}{0,5}`;
    } else if (/^\p{L}+$/u.test(last)) parts[parts.length - 1] = `${escapeRe(last)}(?:s|es|ped|ping)?`;
  }
  return `(?<![\\p{L}\\p{N}])${parts.join("\\s+")}(?:['’]s?)?(?![\\p{L}\\p{N}])`;
}

function compile(kind: Mention["kind"], id: string, term: string, inflect: boolean): Term {
  const caseSensitive = /^[\p{Lu}.\d-]+$/u.test(term) && term.replace(/[^\p{Lu}]/gu, "").length >= 2;
  return { kind, id, term, re: new RegExp(termPattern(term, inflect), caseSensitive ? "gu" : "giu") };
}

export interface Matcher {
  terms: Term[];
  model: Model;
}

export function buildMatcher(model: Model): Matcher {
  const terms: Term[] = [];
  for (const a of model.actors)
    for (const t of new Set([a.name, ...a.aliases]))
      if (t.trim()) terms.push(compile("actor", a.id, t, false));
  for (const f of model.factors) {
    for (const k of new Set(f.keywords)) if (k.trim()) terms.push(compile("factor", f.id, k, true));
    for (const s of f.states)
      for (const k of new Set(s.keywords))
        if (k.trim()) terms.push(compile("state", `${f.id}=${s.id}`, k, true));
  }
  return { terms, model };
}

/** Every match of every term of a kind, overlapping ones included. */
export function raw(m: Matcher, text: string, kind: Mention["kind"]): Mention[] {
  const out: Mention[] = [];
  for (const t of m.terms) {
    if (t.kind !== kind) continue;
    t.re.lastIndex = 0;
    for (const x of text.matchAll(t.re))
      out.push({ kind, id: t.id, term: t.term, start: x.index, end: x.index + x[0].length });
  }
  return out;
}

/** Keeps the longest of overlapping mentions (ties: the earlier). */
function longest(ms: Mention[]): Mention[] {
  ms.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: Mention[] = [];
  for (const m of ms) {
    const last = out[out.length - 1];
    if (last && m.start < last.end) {
      if (m.end - m.start > last.end - last.start) out[out.length - 1] = m;
      continue;
    }
    out.push(m);
  }
  return out;
}

export function findActors(m: Matcher, text: string): Mention[] {
  return longest(raw(m, text, "actor"));
}

/**
 * Factors and states spoken of in a text. A state keyword shared by states of several factors
 * (e.g. "attacks") is kept only for factors the text also names (by a factor keyword or one of
 * the factor's owners): otherwise it is ambiguous and dropped.
 */
export function findFactorsAndStates(
  m: Matcher,
  text: string,
  actors?: Mention[],
): { factors: Mention[]; states: Mention[] } {
  const factors = raw(m, text, "factor");
  const states = raw(m, text, "state");
  const acts = actors ?? findActors(m, text);
  const named = new Set(factors.map((f) => f.id));
  const actorIds = new Set(acts.map((a) => a.id));
  for (const f of m.model.factors) if (f.owners.some((o) => actorIds.has(o))) named.add(f.id);
  // Keyword → factors it points to.
  const byTerm = new Map<string, Set<string>>();
  for (const s of states) {
    const key = `${s.start}:${s.end}`;
    if (!byTerm.has(key)) byTerm.set(key, new Set());
    byTerm.get(key)!.add(s.id.split("=")[0]);
  }
  const kept = states.filter((s) => {
    const fs = byTerm.get(`${s.start}:${s.end}`)!;
    const f = s.id.split("=")[0];
    return fs.size === 1 || named.has(f);
  });
  // One mention per state id and position.
  const seen = new Set<string>();
  const uniq = kept.filter((s) => {
    const k = `${s.id}@${s.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  for (const s of uniq) named.add(s.id.split("=")[0]);
  const factorMentions = factors.filter((f, i, arr) => arr.findIndex((g) => g.id === f.id) === i);
  return { factors: factorMentions, states: uniq };
}
