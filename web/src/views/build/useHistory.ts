// The text being edited with its undo and redo stacks. Every change is one step; saving a
// version does not clear the history (undo after a save gives an unsaved edit again).
import { useCallback, useState } from "react";

export interface History {
  text: string;
  canUndo: boolean;
  canRedo: boolean;
  /** Replace the text as one undoable step (nothing happens if it is the same). */
  change: (next: string) => void;
  undo: () => void;
  redo: () => void;
  /** Start over from a text (a loaded version): no history. */
  reset: (text: string) => void;
}

export function useHistory(initial: string): History {
  const [state, setState] = useState({ past: [] as string[], text: initial, future: [] as string[] });
  const change = useCallback(
    (next: string) =>
      setState((s) =>
        next === s.text ? s : { past: [...s.past, s.text].slice(-200), text: next, future: [] },
      ),
    [],
  );
  const undo = useCallback(
    () =>
      setState((s) =>
        s.past.length
          ? { past: s.past.slice(0, -1), text: s.past[s.past.length - 1], future: [s.text, ...s.future] }
          : s,
      ),
    [],
  );
  const redo = useCallback(
    () =>
      setState((s) =>
        s.future.length ? { past: [...s.past, s.text], text: s.future[0], future: s.future.slice(1) } : s,
      ),
    [],
  );
  const reset = useCallback((text: string) => setState({ past: [], text, future: [] }), []);
  return {
    text: state.text,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
    change,
    undo,
    redo,
    reset,
  };
}
