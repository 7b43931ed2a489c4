// The judgment beside the selected cell of the entry grid: its strength, confidence, rationale
// and evidence, edited in place.
import { useState } from "react";

export function CellNote({
  label,
  strength,
  rationale,
  onRationale,
}: {
  label: string;
  strength: number | null;
  rationale: string;
  onRationale: (r: string) => void;
}) {
  const [draft, setDraft] = useState(rationale);
  return (
    <div className="cell-note">
      <strong>{label}</strong>{" "}
      <span className="muted">{strength === null ? "not judged" : `strength ${strength}`}</span>
      <label className="stack">
        Rationale
        <textarea
          rows={2}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => draft.trim() !== rationale.trim() && onRationale(draft.trim())}
        />
      </label>
    </div>
  );
}
