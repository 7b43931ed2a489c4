// The claims the reading found but could not place (gaps) in the review queue, and the sentences
// that name two factors with no claim read ("no-claim" gaps): one in the list, and the card where
// the analyst places it in a cell (ReviewCells.tsx) and decides on it like a draft.
import { useState } from "react";
import { signed } from "../../../src/format.js";
import type { Lookup } from "../lookup";
import type { Gap, IngestReport } from "../types";
import { RefLabel } from "./names";
import {
  cellJudgment,
  StatePicker,
  StrengthInput,
  TeachNames,
  TeachWords,
  teachProblem,
} from "./ReviewCells";
import { ACTION_WORDS, type Decision, teachOf } from "./ReviewParts";

const MISSING_WORDS: Record<Gap["reason"], string> = {
  "no-state": "a factor is named, but none of its states",
  "unknown-actor": "it names someone the model has no actor for",
  "no-factor": "nothing of the model is named",
  "no-claim": "no claim was read",
};

export function GapLine({
  lookup,
  gap,
  decision,
  selected,
  onSelect,
}: {
  lookup: Lookup;
  gap: Gap;
  decision?: Decision;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <button
      type="button"
      className={`draft-item gap-item${selected ? " selected" : ""}${decision ? ` decided ${decision.action}` : ""}`}
      aria-pressed={selected}
      onClick={onSelect}
      data-gap={gap.id}
    >
      <span className="draft-cell">
        {decision?.from && decision.to ? (
          <>
            <RefLabel lookup={lookup} id={decision.from} /> → <RefLabel lookup={lookup} id={decision.to} />
          </>
        ) : (
          `${gap.reason === "no-claim" ? "to read, it names" : `${gap.missing.join(" and ")} without a state`}${gap.topics.length ? `: ${gap.topics.slice(0, 2).join(", ")}` : ""}`
        )}
      </span>
      <span className="small draft-meta">
        line {gap.line} · {gap.reason === "no-claim" ? "no claim read" : `${gap.kind} claim`}
        {decision && (
          <span className={`badge decision ${decision.action}`}>
            {decision.action === "reject" ? "set aside" : `placed, ${ACTION_WORDS[decision.action]}`}
            {decision.strength !== undefined ? ` ${signed(decision.strength)}` : ""}
          </span>
        )}
      </span>
    </button>
  );
}

/**
 * A claim the reading found but could not place (a gap): its sentence, why, and the cell the
 * analyst places it in, from the candidates of each side or any state of the model.
 */
export function GapCard({
  lookup,
  gap,
  decision,
  lines,
  quotes,
  onDecide,
}: {
  lookup: Lookup;
  gap: Gap;
  decision?: Decision;
  lines: string[];
  quotes: IngestReport["quotes"];
  onDecide: (d: Decision | null) => void;
}) {
  const { min, max } = lookup.model.scale;
  const [cellFrom, setCellFrom] = useState(decision?.from ?? gap.candidates.condition[0] ?? "");
  // The consequence preset to the best candidate of another factor than the condition's.
  const [cellTo, setCellTo] = useState(
    decision?.to ?? gap.candidates.consequence.find((c) => c.split("=")[0] !== cellFrom.split("=")[0]) ?? "",
  );
  const [strength, setStrength] = useState(decision?.strength !== undefined ? String(decision.strength) : "");
  const [words, setWords] = useState({ from: "", to: "" });
  const [names, setNames] = useState<{ name: string; actor: string }[]>([]);
  const s = Number(strength);
  const valid = strength.trim() !== "" && Number.isInteger(s) && s !== 0 && s >= min && s <= max;
  const chosen = cellFrom !== "" && cellTo !== "";
  const sameFactor = chosen && cellFrom.split("=")[0] === cellTo.split("=")[0];
  const namesBad = names.some((r) => r.actor !== "" && (!r.name.trim() || teachProblem(r.name) !== null));
  const ready =
    chosen && !sameFactor && valid && !teachProblem(words.from) && !teachProblem(words.to) && !namesBad;
  const has = chosen && !sameFactor ? cellJudgment(lookup.model, cellFrom, cellTo) : undefined;
  const q = quotes.find((y) => y.line === gap.line && y.sentence === gap.sentence);
  const text = lines[gap.line - 1] ?? "";
  const teach = teachOf(words, names);
  const cell = { from: cellFrom, to: cellTo, strength: s, ...(teach ? { teach } : {}) };
  const toRead = gap.reason === "no-claim";
  return (
    <section className="draft-card gap-card card" aria-label="A claim without a place">
      <header className="draft-head">
        <h3>{toRead ? "A sentence to read" : "A claim the model had no place for"}</h3>
        <span className="muted small">
          {toRead
            ? `it names ${(gap.factors ?? []).map((f) => lookup.model.factors.find((x) => x.id === f)?.name ?? f).join(", ")}, but no claim was read: if it makes one, place it`
            : `${gap.kind} claim, cue '${gap.cue}' · the ${gap.missing.join(" and ")}: ${MISSING_WORDS[gap.reason]}`}
          {gap.names?.length ? ` (${gap.names.join(", ")})` : ""}
        </span>
      </header>
      <blockquote className="draft-sentence">
        {q ? text.slice(q.start, q.end) : text} <span className="muted small">(line {gap.line})</span>
      </blockquote>
      <div className="cell-pickers">
        <StatePicker
          lookup={lookup}
          label="Condition"
          value={cellFrom}
          suggested={gap.candidates.condition}
          onChange={setCellFrom}
        />
        <StatePicker
          lookup={lookup}
          label="Consequence"
          value={cellTo}
          suggested={gap.candidates.consequence}
          onChange={setCellTo}
        />
      </div>
      {sameFactor && <p className="small error-text">A judgment links two different factors.</p>}
      <TeachWords
        lookup={lookup}
        id={gap.id}
        from={cellFrom}
        to={cellTo}
        value={words}
        suggest={{
          ...(gap.missing.includes("condition") ? { from: gap.topics } : {}),
          ...(gap.missing.includes("consequence") ? { to: gap.topics } : {}),
        }}
        onChange={setWords}
      />
      <TeachNames lookup={lookup} names={gap.names ?? []} value={names} onChange={setNames} />
      <div className="draft-now">
        <h4>The model now</h4>
        {!chosen || sameFactor ? (
          <p className="muted small">Choose the two states.</p>
        ) : has === undefined ? (
          <p className="muted small">No judgment of this cell yet.</p>
        ) : (
          <p>
            <strong className={has > 0 ? "pos" : has < 0 ? "neg" : ""}>{signed(has)}</strong>{" "}
            <span className="muted small">for this cell</span>
          </p>
        )}
      </div>
      <div className="draft-actions">
        <StrengthInput
          lookup={lookup}
          value={strength}
          invalid={strength !== "" && !valid}
          placeholder="±"
          onChange={setStrength}
        />
        <button
          type="button"
          className="primary"
          disabled={!ready || has !== undefined}
          onClick={() => onDecide({ action: "accept", ...cell })}
        >
          Place and accept
        </button>
        <button
          type="button"
          disabled={!ready || has === undefined}
          onClick={() => onDecide({ action: "attach", ...cell })}
        >
          Place and attach as evidence
        </button>
        <button
          type="button"
          disabled={!ready || has === undefined}
          onClick={() => onDecide({ action: "view", ...cell })}
        >
          Place as a second view
        </button>
        <button type="button" onClick={() => onDecide({ action: "reject" })}>
          Set aside
        </button>
        {decision && (
          <span className="small">
            Decided: {decision.action === "reject" ? "set aside" : ACTION_WORDS[decision.action]}.{" "}
            <button type="button" className="link" onClick={() => onDecide(null)}>
              Undo
            </button>
          </span>
        )}
      </div>
    </section>
  );
}
