// One name per state on screen: the short name, with the full name and the model file's
// `factor=state` id on hover (Lookup.stateName). Raw ids in engine text become short names too.
import { Fragment, type ReactNode } from "react";
import type { Lookup, StateName } from "../lookup";

/** The tooltip of a state: its full name and its id in the model file. */
export const stateTitle = (n: StateName) => `${n.long} (${n.id})`;

/** A state by its short name (with its factor's short name when `qualified`). */
export function StateLabel({
  name,
  qualified = false,
  className,
}: {
  name: StateName;
  qualified?: boolean;
  className?: string;
}) {
  return (
    <span className={className ? `state-name ${className}` : "state-name"} title={stateTitle(name)}>
      {qualified ? name.qualified : name.short}
    </span>
  );
}

/** A `factor=state` reference by its names (the raw text when the model has no such state). */
export function RefLabel({ lookup, id }: { lookup: Lookup; id: string }) {
  const n = lookup.refName(id);
  return n ? <StateLabel name={n} qualified /> : id;
}

const REF = /([A-Za-z0-9_][A-Za-z0-9_.-]*)=([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;

/** Text from an engine with every `factor=state` it names shown as the state's names. */
export function RefText({ lookup, text }: { lookup: Lookup; text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(REF)) {
    const n = lookup.refName(m[0]);
    if (!n) continue;
    const at = m.index ?? 0;
    if (at > last) parts.push(<Fragment key={`t${last}`}>{text.slice(last, at)}</Fragment>);
    parts.push(<StateLabel key={at} name={n} qualified />);
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(<Fragment key={`t${last}`}>{text.slice(last)}</Fragment>);
  return <>{parts}</>;
}

/** The same text as plain words (for tooltips, aria-labels and charts). */
export function refPlain(lookup: Lookup, text: string): string {
  return text.replace(REF, (m) => lookup.refName(m)?.qualified ?? m);
}
