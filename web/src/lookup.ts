// Name lookups over the normalised model (presentation only).
import type { Model } from "./types";

export interface Lookup {
  model: Model;
  /** Global index of the first state of each factor. */
  offsets: number[];
  /** Total number of states. */
  size: number;
  factorOf: number[];
  stateIndex: (ref: string | number) => number;
  factorIndex: (id: string) => number;
  ref: (g: number) => { factor: number; state: number };
  label: (g: number, short?: boolean) => string;
  actorName: (id: string) => string;
  /**
   * The one way a state is named on screen: its short name (`Drag`), or with its factor's short
   * name (`Talks: Drag`) where the factor is not implied; `long` is the full name for the
   * tooltip (`Outcome of the Muscat talks: Protracted talks (delay, ambiguity)`) and `id` the
   * `factor=state` reference the model file uses.
   */
  stateName: (j: number, k: number) => StateName;
  /** The same for a `factor=state` reference (null when the model has no such state). */
  refName: (ref: string) => StateName | null;
}

export interface StateName {
  /** The state's short name. */
  short: string;
  /** Factor and state short names: `Talks: Drag`. */
  qualified: string;
  /** Factor and state full names. */
  long: string;
  /** `factor=state`. */
  id: string;
}

export function makeLookup(model: Model): Lookup {
  const offsets: number[] = [];
  const factorOf: number[] = [];
  let size = 0;
  model.factors.forEach((f, j) => {
    offsets.push(size);
    for (let k = 0; k < f.states.length; k++) factorOf.push(j);
    size += f.states.length;
  });
  const fIdx = new Map(model.factors.map((f, j) => [f.id, j]));
  const actors = new Map(model.actors.map((a) => [a.id, a.name]));
  const stateIndex = (r: string | number): number => {
    if (typeof r === "number") return r;
    const [fid, sid] = r.split("=");
    const j = fIdx.get(fid);
    if (j === undefined) return -1;
    const k = model.factors[j].states.findIndex((s) => s.id === sid);
    return k < 0 ? -1 : offsets[j] + k;
  };
  const ref = (g: number) => {
    const j = factorOf[g];
    return { factor: j, state: g - offsets[j] };
  };
  const stateName = (j: number, k: number): StateName => {
    const f = model.factors[j];
    const st = f.states[k];
    return {
      short: st.short,
      qualified: `${f.short}: ${st.short}`,
      long: `${f.name}: ${st.label}`,
      id: `${f.id}=${st.id}`,
    };
  };
  return {
    model,
    offsets,
    size,
    factorOf,
    stateIndex,
    factorIndex: (id) => fIdx.get(id) ?? -1,
    ref,
    label: (g, short) => {
      const { factor, state } = ref(g);
      const f = model.factors[factor];
      const s = f.states[state];
      return short ? `${f.short}=${s.short}` : `${f.name}: ${s.label}`;
    },
    actorName: (id) => actors.get(id) ?? id,
    stateName,
    refName: (r) => {
      const g = stateIndex(r.trim());
      if (g < 0) return null;
      const { factor, state } = ref(g);
      return stateName(factor, state);
    },
  };
}

/** `factor=state,…` for a scenario given as state indices. */
export function scenarioText(model: Model, states: ArrayLike<number>): string {
  return model.factors.map((f, j) => `${f.id}=${f.states[states[j]]?.id}`).join(",");
}

export const scenarioKey = (states: ArrayLike<number>) => Array.from(states).join(",");

/** Scenario states from a `{ factorId: stateId }` record. */
export function statesFromRecord(model: Model, rec: Record<string, string>): number[] {
  return model.factors.map((f) => f.states.findIndex((s) => s.id === rec[f.id]));
}
