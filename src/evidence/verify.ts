// Verifying a model's evidence against a corpus: every locator of every judgment (impacts,
// stakes, bargaining positions) is resolved to a document and its lines, and checked —
// outside the text, blank, in page furniture, in a changed version of the document, or on a
// passage that names none of the judgment's actors or factors (a warning: likely wrong lines).
import { basename } from "node:path";
import { formatEvidence, formatStateRef } from "../model/paths.js";
import type { Evidence, Model, Source } from "../model/types.js";
import type { BlockReport } from "./clean.js";
import { buildMatcher, findActors, findFactorsAndStates } from "./detect.js";

/** A document as verification sees it (from a folder or from the store). */
export interface CorpusDocument {
  id: string;
  rawSha256?: string;
  fileName?: string | null;
  url?: string | null;
  series?: string;
  version?: number;
  lines: string[];
  blocks: BlockReport[];
  /** Where it came from: a file path or "store". */
  origin: string;
}

export type LocatorStatus =
  | "ok"
  | "no-source"
  | "no-document"
  | "out-of-range"
  | "blank"
  | "furniture"
  | "changed"
  | "unrelated";

export interface LocatorCheck {
  /** Where the judgment is: impacts[3], stakes[1], issues[0].positions[2]. */
  path: string;
  judgment: string;
  rationale?: string;
  locator: string;
  status: LocatorStatus;
  severity: "ok" | "error" | "warning";
  message: string;
  /** The passage (lines of the document the locator resolved to). */
  passage?: { line: number; text: string; furniture: boolean }[];
  document?: string;
}

export interface VerifyReport {
  checks: LocatorCheck[];
  /** Judgments that carry no evidence at all. */
  withoutEvidence: { path: string; judgment: string }[];
  /** Per source: the document it resolved to and the judgments it supports. */
  coverage: { source: string; document?: string; origin?: string; judgments: string[] }[];
  counts: { locators: number; ok: number; errors: number; warnings: number };
}

interface Judgment {
  path: string;
  label: string;
  rationale?: string;
  evidence: Evidence[];
  factors: string[];
  states: string[];
  actors: string[];
}

function judgments(model: Model): Judgment[] {
  const out: Judgment[] = [];
  const ownersOf = (f: string) => model.factors.find((x) => x.id === f)?.owners ?? [];
  model.impacts.forEach((imp, i) => {
    const [ff, tf] = imp.kind === "cell" ? [imp.from.factor, imp.to.factor] : [imp.from, imp.to];
    const states = imp.kind === "cell" ? [formatStateRef(imp.from), formatStateRef(imp.to)] : [];
    out.push({
      path: `impacts[${i}]`,
      label:
        imp.kind === "cell"
          ? `${formatStateRef(imp.from)} → ${formatStateRef(imp.to)} ${imp.strength > 0 ? "+" : ""}${imp.strength}`
          : `${imp.from} → ${imp.to} (block)`,
      rationale: imp.rationale,
      evidence: imp.evidence,
      factors: [ff, tf],
      states,
      actors: [...ownersOf(ff), ...ownersOf(tf)],
    });
  });
  model.stakes.forEach((s, i) =>
    out.push({
      path: `stakes[${i}]`,
      label: `${s.actor} in ${formatStateRef(s.state)}: ${s.utility > 0 ? "+" : ""}${s.utility}`,
      rationale: s.rationale,
      evidence: s.evidence,
      factors: [s.state.factor],
      states: [formatStateRef(s.state)],
      actors: [s.actor],
    }),
  );
  model.issues.forEach((iss, i) =>
    iss.positions.forEach((p, k) =>
      out.push({
        path: `issues[${i}].positions[${k}]`,
        label: `${p.actor} on ${iss.id}: ${p.position}`,
        rationale: p.rationale,
        evidence: p.evidence,
        factors: [],
        states: [],
        actors: [p.actor],
      }),
    ),
  );
  return out;
}

/** The document a model source points at: exact version first, then a changed version. */
export function resolveSource(
  src: Source,
  docs: CorpusDocument[],
): { doc?: CorpusDocument; exact: boolean; newer?: CorpusDocument } {
  const exact = docs.find((d) => src.sha256 && (d.id === src.sha256 || d.rawSha256 === src.sha256));
  const sameSeries = docs.filter(
    (d) =>
      (src.file && d.fileName && basename(src.file) === d.fileName) ||
      (src.url && d.url && d.url === src.url),
  );
  const latest = sameSeries.sort((a, b) => (b.version ?? 0) - (a.version ?? 0))[0];
  if (exact) return { doc: exact, exact: true, newer: latest && latest.id !== exact.id ? latest : undefined };
  if (latest) return { doc: latest, exact: !src.sha256, newer: undefined };
  return { exact: false };
}

export function verifyEvidence(model: Model, docs: CorpusDocument[]): VerifyReport {
  const matcher = buildMatcher(model);
  const sources = new Map(model.sources.map((s) => [s.id, s]));
  const resolved = new Map(model.sources.map((s) => [s.id, resolveSource(s, docs)]));
  const checks: LocatorCheck[] = [];
  const withoutEvidence: VerifyReport["withoutEvidence"] = [];
  const coverage = new Map<string, Set<string>>();
  for (const j of judgments(model)) {
    if (j.evidence.length === 0) withoutEvidence.push({ path: j.path, judgment: j.label });
    for (const e of j.evidence) {
      const base = { path: j.path, judgment: j.label, rationale: j.rationale, locator: formatEvidence(e) };
      const src = sources.get(e.source);
      if (!src) {
        checks.push({
          ...base,
          status: "no-source",
          severity: "error",
          message: `the model has no source '${e.source}'`,
        });
        continue;
      }
      if (!coverage.has(src.id)) coverage.set(src.id, new Set());
      coverage.get(src.id)!.add(j.path);
      const r = resolved.get(src.id)!;
      if (!r.doc) {
        checks.push({
          ...base,
          status: "no-document",
          severity: "warning",
          message: `no document in the corpus for source '${src.id}'${src.file ? ` (file ${src.file})` : ""}`,
        });
        continue;
      }
      const doc = r.doc;
      const passage = [] as NonNullable<LocatorCheck["passage"]>;
      if (e.to > doc.lines.length || e.from < 1) {
        checks.push({
          ...base,
          document: doc.id,
          status: "out-of-range",
          severity: "error",
          message: `${formatEvidence(e)} is outside the text of '${src.id}' (${doc.lines.length} lines)`,
        });
        continue;
      }
      for (let l = e.from; l <= e.to; l++) {
        const b = doc.blocks[l - 1];
        passage.push({
          line: l,
          text: doc.lines[l - 1],
          furniture: Boolean(b && b.role !== "blank" && !b.kept),
        });
      }
      const withDoc = { ...base, document: doc.id, passage };
      if (!r.exact) {
        checks.push({
          ...withDoc,
          status: "changed",
          severity: "error",
          message: `source '${src.id}' declares sha256 ${src.sha256?.slice(0, 12)}…, but the corpus holds a changed version (${doc.id.slice(0, 12)}…${doc.version ? `, version ${doc.version}` : ""}): check the locator against the new text`,
        });
        continue;
      }
      if (passage.every((p) => p.text.trim() === "")) {
        checks.push({
          ...withDoc,
          status: "blank",
          severity: "error",
          message: `${formatEvidence(e)} points only at blank lines`,
        });
        continue;
      }
      const furniture = passage.filter((p) => p.furniture);
      if (furniture.length > 0) {
        const b = doc.blocks[furniture[0].line - 1];
        checks.push({
          ...withDoc,
          status: "furniture",
          severity: "error",
          message: `line ${furniture.map((p) => p.line).join(", ")} of '${src.id}' is page furniture, not article text (${b.reasons.map((x) => x.rule).join(", ")})`,
        });
        continue;
      }
      const text = passage.map((p) => p.text).join("\n");
      const acts = findActors(matcher, text);
      const fs = findFactorsAndStates(matcher, text, acts);
      const named = new Set([
        ...acts.map((a) => a.id),
        ...fs.factors.map((f) => f.id),
        ...fs.states.map((s) => s.id.split("=")[0]),
      ]);
      const related = [...j.factors, ...j.actors].some((x) => named.has(x));
      const newer = r.newer ? ` (note: a newer version ${r.newer.id.slice(0, 12)}… exists)` : "";
      if (!related && (j.factors.length || j.actors.length))
        checks.push({
          ...withDoc,
          status: "unrelated",
          severity: "warning",
          message: `the passage names none of ${[...new Set([...j.factors.map((f) => `factor ${f}`), ...j.actors.map((a) => `actor ${a}`)])].join(", ")}: likely wrong lines${newer}`,
        });
      else
        checks.push({
          ...withDoc,
          status: "ok",
          severity: r.newer ? "warning" : "ok",
          message: `ok${newer}`,
        });
    }
  }
  const counts = {
    locators: checks.length,
    ok: checks.filter((c) => c.severity === "ok").length,
    errors: checks.filter((c) => c.severity === "error").length,
    warnings: checks.filter((c) => c.severity === "warning").length,
  };
  return {
    checks,
    withoutEvidence,
    coverage: model.sources.map((s) => ({
      source: s.id,
      document: resolved.get(s.id)?.doc?.id,
      origin: resolved.get(s.id)?.doc?.origin,
      judgments: [...(coverage.get(s.id) ?? [])],
    })),
    counts,
  };
}
