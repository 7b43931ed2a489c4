// The pieces of the review queue (ReviewView.tsx): a draft in the list, the card of the draft
// under review with its actions and the cell the analyst may choose instead (ReviewCells.tsx),
// and the document with the sentences highlighted. The gaps' pieces are in ReviewGaps.tsx.
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { relationOf } from "../../../src/evidence/relation.js";
import { signed } from "../../../src/format.js";
import type { Lookup } from "../lookup";
import type { Draft, IngestReport } from "../types";
import { RefLabel } from "./names";
import {
  cellJudgment,
  StatePicker,
  StrengthInput,
  TeachWords,
  teachAliases,
  teachProblem,
  teachWords,
} from "./ReviewCells";

export type Action = "accept" | "attach" | "view" | "reject";
export interface Decision {
  action: Action;
  strength?: number;
  /** The cell the analyst chose (a draft's other reading, or a gap's place). */
  from?: string;
  to?: string;
  /** Words of the sentence for the cell's states, to add to their keywords. */
  teach?: { from?: string[]; to?: string[]; aliases?: { name: string; actor: string }[] };
}

/** A decision's `teach`, from what the analyst typed (undefined when nothing to teach). */
export function teachOf(
  words: { from: string; to: string },
  names: { name: string; actor: string }[] = [],
): Decision["teach"] {
  const from = teachWords(words.from);
  const to = teachWords(words.to);
  const aliases = teachAliases(names);
  return from || to || aliases.length
    ? { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(aliases.length ? { aliases } : {}) }
    : undefined;
}

export const ACTION_WORDS: Record<Action, string> = {
  accept: "accepted",
  attach: "attached as evidence",
  view: "a second view",
  reject: "rejected",
};

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function RelationBadge({ draft }: { draft: Pick<Draft, "relation"> }) {
  const words = { new: "new", supports: "supports", contradicts: "contradicts" }[draft.relation];
  const title = {
    new: "The model has no judgment of this cell yet",
    supports: "The model judges this cell the same way: the sentence can be attached as evidence",
    contradicts: "The model judges this cell otherwise (opposite sign, or two points apart)",
  }[draft.relation];
  return (
    <span className={`badge rel-${draft.relation}`} title={title}>
      {words}
    </span>
  );
}

export function DraftLine({
  lookup,
  draft,
  decision,
  selected,
  onSelect,
}: {
  lookup: Lookup;
  draft: Draft;
  decision?: Decision;
  selected: boolean;
  onSelect: () => void;
}) {
  const moved =
    (decision?.from !== undefined && decision.from !== draft.from) ||
    (decision?.to !== undefined && decision.to !== draft.to);
  return (
    <button
      type="button"
      className={`draft-item${selected ? " selected" : ""}${decision ? ` decided ${decision.action}` : ""}`}
      aria-pressed={selected}
      onClick={onSelect}
      data-draft={draft.id}
    >
      <span className="draft-cell">
        <RefLabel lookup={lookup} id={decision?.from ?? draft.from} /> →{" "}
        <RefLabel lookup={lookup} id={decision?.to ?? draft.to} />
        {moved && <span className="badge rel-moved">your reading</span>}
      </span>
      <span className="small draft-meta">
        <strong className={draft.strength > 0 ? "pos" : "neg"}>{signed(draft.strength)}</strong> ·{" "}
        {pct(draft.confidence)} · line{" "}
        {draft.conditionLine ? `${draft.conditionLine}–${draft.line}` : draft.line}
        {!moved && <RelationBadge draft={draft} />}
        {decision && (
          <span className={`badge decision ${decision.action}`}>
            {ACTION_WORDS[decision.action]}
            {decision.strength !== undefined ? ` ${signed(decision.strength)}` : ""}
          </span>
        )}
      </span>
    </button>
  );
}

export function DraftCard({
  lookup,
  draft,
  index,
  total,
  decision,
  lines,
  quotes,
  onDecide,
}: {
  lookup: Lookup;
  draft: Draft;
  index: number;
  total: number;
  decision?: Decision;
  lines: string[];
  quotes: IngestReport["quotes"];
  onDecide: (d: Decision | null) => void;
}) {
  const { min, max } = lookup.model.scale;
  const [strength, setStrength] = useState(String(decision?.strength ?? draft.strength));
  // ReviewView keys the card by the draft: a new draft starts a new editor.
  const [cellFrom, setCellFrom] = useState(decision?.from ?? draft.from);
  const [cellTo, setCellTo] = useState(decision?.to ?? draft.to);
  const s = Number(strength);
  const valid = strength.trim() !== "" && Number.isInteger(s) && s >= min && s <= max;
  const edited = valid && s !== draft.strength ? s : undefined;
  const moved = cellFrom !== draft.from || cellTo !== draft.to;
  const sameFactor = cellFrom.split("=")[0] === cellTo.split("=")[0];
  const [words, setWords] = useState({ from: "", to: "" });
  const teach = teachOf(words);
  // Words the server would refuse hold the decision back until they are mended or cleared.
  const blocked = sameFactor || !!teachProblem(words.from) || !!teachProblem(words.to);
  const cell = { ...(moved ? { from: cellFrom, to: cellTo } : {}), ...(teach ? { teach } : {}) };
  const from = lookup.refName(cellFrom);
  const to = lookup.refName(cellTo);
  // The model's judgment of the cell on screen: the draft's own, or looked up for the analyst's.
  const movedJudgment = moved ? cellJudgment(lookup.model, cellFrom, cellTo) : undefined;
  const ex = moved
    ? movedJudgment === undefined
      ? undefined
      : {
          strength: movedJudgment,
          path: `${cellFrom} → ${cellTo}`,
          evidence: [] as string[],
          rationale: undefined,
          author: undefined,
        }
    : draft.existing;
  const sentences = [draft, ...(draft.also ?? [])].map((x) => {
    const q = quotes.find((y) => y.line === x.line && y.sentence === x.sentence);
    const text = lines[x.line - 1] ?? "";
    return { line: x.line, text: q ? text.slice(q.start, q.end) : text };
  });

  return (
    <section className="draft-card card" aria-label={`Draft ${index + 1} of ${total}`}>
      <header className="draft-head">
        <h3>
          Draft {index + 1} of {total}
          <RelationBadge
            draft={moved ? { relation: relationOf(valid ? s : draft.strength, movedJudgment) } : draft}
          />
        </h3>
        <span className="muted small">
          confidence <strong>{pct(draft.confidence)}</strong> · {draft.kind} claim, cue '{draft.cue}'
          {draft.modal ? `, modal '${draft.modal}'` : ""}
          {draft.negated ? ", negated" : ""}
        </span>
      </header>
      <p className="draft-claim">
        <span title={cellFrom}>{from?.long ?? cellFrom}</span>{" "}
        <strong className={draft.strength > 0 ? "pos" : "neg"}>
          {draft.strength > 0 ? "promotes" : "hinders"} ({signed(draft.strength)})
        </strong>{" "}
        <span title={cellTo}>{to?.long ?? cellTo}</span>
        {moved && <span className="badge rel-moved">your reading</span>}
      </p>
      {sentences.map((x) => (
        <blockquote key={`${x.line}-${x.text.slice(0, 20)}`} className="draft-sentence">
          {x.text} <span className="muted small">(line {x.line})</span>
        </blockquote>
      ))}
      <details className="cell-edit" open={moved}>
        <summary>Another reading of the sentence: choose the cell</summary>
        <div className="cell-pickers">
          <StatePicker
            lookup={lookup}
            label="Condition"
            value={cellFrom}
            suggested={draft.candidates?.condition ?? []}
            onChange={setCellFrom}
          />
          <StatePicker
            lookup={lookup}
            label="Consequence"
            value={cellTo}
            suggested={draft.candidates?.consequence ?? []}
            onChange={setCellTo}
          />
          {moved && (
            <button
              type="button"
              className="link"
              onClick={() => {
                setCellFrom(draft.from);
                setCellTo(draft.to);
              }}
            >
              Back to the draft's cell
            </button>
          )}
        </div>
        {sameFactor && <p className="small error-text">A judgment links two different factors.</p>}
      </details>
      <TeachWords
        lookup={lookup}
        id={draft.id}
        from={cellFrom}
        to={cellTo}
        value={words}
        onChange={setWords}
      />
      <div className="draft-now">
        <h4>The model now</h4>
        {ex ? (
          <>
            <p>
              <strong className={ex.strength > 0 ? "pos" : ex.strength < 0 ? "neg" : ""}>
                {signed(ex.strength)}
              </strong>{" "}
              <span className="muted small">
                at {ex.path}
                {ex.author ? ` · view of ${ex.author}` : ""}
              </span>
            </p>
            {ex.rationale && <p className="small">{ex.rationale}</p>}
            <p className="small">
              Evidence: {ex.evidence.length ? ex.evidence.join(", ") : <span className="muted">none</span>}
            </p>
          </>
        ) : (
          <p className="muted small">No judgment of this cell yet.</p>
        )}
      </div>
      <div className="draft-actions">
        <StrengthInput lookup={lookup} value={strength} invalid={!valid} onChange={setStrength} />
        <button
          type="button"
          className="primary"
          disabled={!!ex || !valid || blocked}
          title={
            ex ? "The model judges this cell already: attach the sentence or record a second view" : undefined
          }
          onClick={() => onDecide({ action: "accept", strength: edited, ...cell })}
        >
          Accept
        </button>
        <button
          type="button"
          disabled={!ex || blocked}
          title={ex ? `Add ${draft.evidence} to the judgment's evidence` : "No judgment to attach to"}
          onClick={() => onDecide({ action: "attach", ...cell })}
        >
          Attach as evidence
        </button>
        <button
          type="button"
          disabled={!ex || !valid || blocked}
          title="Keep the model's judgment and record this reading beside it (author: the source)"
          onClick={() => onDecide({ action: "view", strength: edited, ...cell })}
        >
          Record as a second view
        </button>
        <button type="button" onClick={() => onDecide({ action: "reject" })}>
          Reject
        </button>
        {decision && (
          <span className="small">
            Decided: {ACTION_WORDS[decision.action]}.{" "}
            <button type="button" className="link" onClick={() => onDecide(null)}>
              Undo
            </button>
          </span>
        )}
      </div>
    </section>
  );
}

/** What the document marks: a draft's sentences, or a gap's. */
export type Target = Pick<Draft, "line" | "sentence" | "also" | "conditionLine">;

/** The document, line by line, the target's sentences marked and scrolled into view. */
export function ReviewDocument({ report, draft }: { report: IngestReport; draft: Target | null }) {
  const box = useRef<HTMLOListElement>(null);
  const draftLines = useMemo(() => new Set(report.drafts.map((d) => d.line)), [report]);
  const here = new Map<number, { start: number; end: number }[]>();
  if (draft)
    for (const x of [draft, ...(draft.also ?? [])]) {
      const q = report.quotes.find((y) => y.line === x.line && y.sentence === x.sentence);
      const len = report.lines[x.line - 1]?.length ?? 0;
      here.set(x.line, [...(here.get(x.line) ?? []), q ?? { start: 0, end: len }]);
    }
  // A condition read from the paragraph before (the question this line answers): marked whole.
  if (draft?.conditionLine)
    here.set(draft.conditionLine, [{ start: 0, end: report.lines[draft.conditionLine - 1]?.length ?? 0 }]);
  useEffect(() => {
    const el = box.current?.querySelector<HTMLElement>(`[data-line="${draft?.line}"]`);
    const b = box.current;
    if (el && b) b.scrollTop = el.offsetTop - b.offsetTop - b.clientHeight / 3;
  }, [draft]);

  return (
    <section className="review-doc card" aria-label="The article">
      <h3>{report.document.title ?? report.document.fileName ?? "The article"}</h3>
      <ol className="doc-lines" ref={box} aria-label="Article text, line by line">
        {report.lines.map((text, i) => {
          const l = i + 1;
          const spans = here.get(l);
          const cls = [
            "dline",
            spans ? "target" : draftLines.has(l) ? "cited" : "",
            text.trim() ? "" : "blank",
          ]
            .filter(Boolean)
            .join(" ");
          return (
            <li key={l} data-line={l} className={cls}>
              <span className="ln" aria-hidden="true">
                {l}
              </span>
              <span className="ltext">{spans ? <Marked text={text} spans={spans} /> : text || "\u00a0"}</span>
              <span />
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function Marked({ text, spans }: { text: string; spans: { start: number; end: number }[] }) {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: ReactNode[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    if (s.start > at) out.push(text.slice(at, s.start));
    out.push(
      <mark key={s.start} className="draft-mark">
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return <>{out}</>;
}
