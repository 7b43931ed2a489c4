// Scenario names an analyst can tell apart: each scenario of a set is named by the few factor
// states that set it apart from every other scenario of the set.
//
// For scenario s among the others O, a set D of factors "distinguishes" s when every o in O
// differs from s on some factor of D. The smallest such D is a set cover (NP-hard in general),
// so D is built greedily (Chvátal 1979, "A greedy heuristic for the set-covering problem",
// Math. Oper. Res. 4(3)): repeatedly add the factor on which s differs from the most
// scenarios not yet told apart, the earlier factor on a tie; stop when none is left. The name
// lists D's states in factor order, "Talks: Deal · Hezb: Polit".
//
// Names of one set are unique: if s and t had the same name they would show the same factors
// with the same states, yet the factors of s's name tell s from t. A scenario with no others
// (a one-scenario kernel) is named by no factor and gets the empty name.

/** What naming needs of a model: each factor's short name and its states' short names. */
export interface Names {
  factorShort: string[];
  stateShort: string[][];
}

/** The factors (indices, ascending) that set scenario `i` apart from the others in `all`. */
export function distinguishingFactors(all: ArrayLike<number>[], i: number): number[] {
  const s = all[i];
  let left = all.filter((_, k) => k !== i && !same(all[k], s));
  const chosen: number[] = [];
  while (left.length > 0) {
    let best = -1;
    let bestCount = 0;
    for (let j = 0; j < s.length; j++) {
      if (chosen.includes(j)) continue;
      let count = 0;
      for (const o of left) if (o[j] !== s[j]) count++;
      if (count > bestCount) {
        best = j;
        bestCount = count;
      }
    }
    if (best < 0) break; // only duplicates of s are left
    chosen.push(best);
    left = left.filter((o) => o[best] === s[best]);
  }
  return chosen.sort((a, b) => a - b);
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** The name of scenario `i` of `all`: its distinguishing states, "Factor: State · …". */
export function scenarioName(names: Names, all: ArrayLike<number>[], i: number): string {
  return distinguishingFactors(all, i)
    .map((j) => `${names.factorShort[j]}: ${names.stateShort[j][all[i][j]]}`)
    .join(" · ");
}

/** Every scenario's name in the set. */
export function scenarioNames(names: Names, all: ArrayLike<number>[]): string[] {
  return all.map((_, i) => scenarioName(names, all, i));
}

/** A named scenario as indices: its name and the (factor, state) pairs it requires. */
export interface NamedPattern {
  name: string;
  states: [number, number][];
}

/**
 * The analyst's name for a scenario: of the named patterns whose every state it has, the one
 * with the most states (the first on a tie); undefined when none matches.
 */
export function analystName(patterns: NamedPattern[], z: ArrayLike<number>): string | undefined {
  let best: NamedPattern | undefined;
  for (const p of patterns)
    if (p.states.every(([f, s]) => z[f] === s) && (!best || p.states.length > best.states.length)) best = p;
  return best?.name;
}
