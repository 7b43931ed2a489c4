// The model's own judgment of one cell, and how a reading of the cell stands to it. Pure, with no
// NLP: the ingestion (ingest.ts, write.ts) and the review app (web/src/views/ReviewCells.tsx)
// share it.
//
// A cell `factor=state → factor=state` is judged by the model's author-less cell impact for it,
// or by the entry of an author-less block impact between the two factors. A reading supports the
// judgment when it has the same sign and lies within one point of it; otherwise it contradicts
// it (docs/evidence.md).
import type { Impact, Model } from "../model/types.js";

export interface CellJudgment {
  /** Where in the model: `impacts[3]` or `impacts[5].matrix[1][2]`. */
  path: string;
  strength: number;
  impact: Impact;
}

/** The model's own (author-less) judgment of `from → to`, if any. */
export function judgedCell(model: Model, from: string, to: string): CellJudgment | undefined {
  const [ff, fs] = from.split("=");
  const [tf, ts] = to.split("=");
  for (let i = 0; i < model.impacts.length; i++) {
    const imp = model.impacts[i];
    if (imp.author) continue;
    if (imp.kind === "cell") {
      if (imp.from.factor === ff && imp.from.state === fs && imp.to.factor === tf && imp.to.state === ts)
        return { path: `impacts[${i}]`, strength: imp.strength, impact: imp };
    } else if (imp.from === ff && imp.to === tf) {
      const r = model.factors.find((x) => x.id === ff)?.states.findIndex((s) => s.id === fs) ?? -1;
      const c = model.factors.find((x) => x.id === tf)?.states.findIndex((s) => s.id === ts) ?? -1;
      if (r >= 0 && c >= 0)
        return { path: `impacts[${i}].matrix[${r}][${c}]`, strength: imp.matrix[r]?.[c] ?? 0, impact: imp };
    }
  }
  return undefined;
}

/** A reading of strength `strength` against the model's `judged` strength of the cell. */
export function relationOf(strength: number, judged: number | undefined): "new" | "supports" | "contradicts" {
  if (judged === undefined) return "new";
  const opposite = Math.sign(strength) !== Math.sign(judged);
  const far = Math.abs(strength - judged) >= 2;
  return opposite || far ? "contradicts" : "supports";
}
