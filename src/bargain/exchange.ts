/**
 * Exchange model (EM): actors trade voting positions across issues they weigh differently.
 *
 * References
 * - F. N. Stokman & R. Van Oosten (1994), "The exchange of voting positions: an object-oriented model of
 *   policy networks", in B. Bueno de Mesquita & F. N. Stokman (eds.), European Community Decision Making,
 *   Yale UP, 105–127.
 * - J. Arregui, F. N. Stokman & R. Thomson (2006), "Compromise and exchange models", ch. 5 of R. Thomson,
 *   F. N. Stokman, C. H. Achen & T. König (eds.), The European Union Decides, CUP.
 * - M. Van Assen, F. N. Stokman & R. Van Oosten (2003), "Conflict measures in cooperative exchange models of
 *   collective decision-making", Rationality and Society 15(1): 85–112 (externalities of exchanges; that paper
 *   assumes the Raiffa–Kalai–Smorodinsky exchange rate, this file uses equal gain).
 * The texts themselves were not at hand while writing this (only titles, abstracts and secondary accounts):
 * the rules below are the EM as it is generally described and as implemented in "Decide", the equal-gain
 * exchange model software of Stokman's group (github.com/foarsitter/decide-exchange-model; read, not copied).
 * Where that reading may differ from the 1994 chapter, it is said so below.
 *
 * The model (per issue d: actor i has clout c_id, salience s_id, preferred position x_id, voting position y_id)
 * 1. Expected outcome = compromise model on the voting positions: O_d = Σ_i c_id s_id y_id / Σ_i c_id s_id.
 *    Initially y = x, so "before" is exactly `compromiseModel`.
 * 2. Utility is linear and salience weighted, measured from the actor's *preferred* position (an exchange
 *    changes what an actor votes for, not what it wants): U_i = −Σ_d s_id |x_id − O_d|.
 * 3. Actors a and b can exchange on issues u and v when, on both issues, they lie on opposite sides of the
 *    current expected outcome (sign(x_a − O) = −sign(x_b − O) ≠ 0) and their salience ratios differ. With
 *    s_av / s_au > s_bv / s_bu, a cares relatively more about v: a gives way on u (its supply issue, b's
 *    demand issue) by moving its voting position towards x_bu, and b gives way on v towards x_av.
 * 4. An actor's move of its voting position by m shifts the outcome by w·m with w = c s / Σ c s (its share of
 *    the issue's weight). For outcome shifts D_u, D_v towards the demanders:
 *      gain_a = s_av D_v − s_au D_u,   gain_b = s_bu D_u − s_bv D_v.
 *    Equal gain (the EM's exchange rate, as in Decide's "Equal Gain" model) gives D_u = D_v (s_av + s_bv) / (s_au + s_bu) and
 *      gain = D_v (s_av s_bu − s_au s_bv) / (s_au + s_bu)  > 0  exactly when condition 3 holds.
 * 5. Volume: the exchange is as large as possible — it stops as soon as one of the two suppliers reaches its
 *    partner's position (one actor shifts all the way to the other's position, the other as far as equal gain
 *    requires — the volume rule of Decide), or, which the utility in 2 requires, as soon as an outcome reaches
 *    the position of the actor that demanded it (beyond that point the demander would lose again; Decide
 *    applies the same cap):
 *      D_v ≤ w_bv |x_av − y_bv|,  D_v ≤ |x_av − O_v|,  D_u ≤ w_au |x_bu − y_au|,  D_u ≤ |x_bu − O_u|.
 * 6. Exchanges are realised one at a time, the one with the highest gain first. After each, outcomes are
 *    recomputed and every remaining possible exchange is re-evaluated against the new outcomes and voting
 *    positions (sides, volumes and gains change when others have moved); stop when none gains more than
 *    `minGain`.
 * 7. Forecast = compromise model (1) on the voting positions after all exchanges.
 *
 * Choices where the publications leave room (each is explicit here):
 * - `perIssue: "once"` (default): an actor takes part in at most one exchange per issue (as supplier or as
 *   demander). `"repeat"`: an actor may exchange on an issue again, always in the same role — a supplier keeps
 *   moving the same way, a demander never supplies that issue — as in the Decide software, where exchanges
 *   sharing an actor's supply issue are recalculated after each realised exchange.
 * - Re-evaluation after each exchange (rule 6) is the sequential reading of "exchanges are realised in order of
 *   gain"; it keeps every realised exchange an equal, non-negative gain for both partners at the moment it is
 *   made (externalities on third actors are not considered, as in the EM).
 * - An actor exactly at the expected outcome is on neither side and does not exchange on that issue.
 * - Actors must have positive clout × salience on the issue they give way on (else their move cannot shift the
 *   outcome) and positive salience on both issues. An issue whose actors all have zero weight keeps the
 *   compromise model's equal-weight fallback and takes part in no exchange.
 * - Ties in gain (within 1e-12 relative) go to the first candidate in input order: issue pairs (u before v in
 *   the order given), then actor pairs in order of first appearance.
 * - An actor is identified across issues by its name; it can only exchange on issues on which it appears.
 *
 * Cost: the best exchange of every issue pair is cached; after an exchange on (u, v) only the pairs involving
 * u or v are re-evaluated, O(P N²) per exchange (O(P² N²) at the start); at most N·P/2 exchanges with "once".
 * 27 actors × 20 issues: about 0.4 s ("once"), 2 s ("repeat").
 */
import { compromiseModel } from "./baselines.js";
import { BargainInputError, checkIssueActors, type EngineStamp, type IssueActor } from "./types.js";

export const EXCHANGE_VERSION = "exchange/1.0.0";

/** One issue; an actor is identified across issues by `name`; `clout` is its power on this issue. */
export interface ExchangeIssue {
  id: string;
  actors: IssueActor[];
}

export interface ExchangeOptions {
  /** "once" (default): at most one exchange per actor and issue; "repeat": more, always in the same role. */
  perIssue?: "once" | "repeat";
  /** Stop when the best remaining exchange gains no more than this. Default 1e-9 × (largest position range, ≥ 1). */
  minGain?: number;
  /** Safety bound on the number of exchanges (only reachable with "repeat"). Default 10 × actors × issues. */
  maxExchanges?: number;
}

/** Which constraint of rule 5 fixed the volume of an exchange. */
export type ExchangeLimit = "a-reaches-b" | "b-reaches-a" | "outcome-reaches-a" | "outcome-reaches-b";

export interface Exchange {
  /** a gives way on issueA (towards b's position), b on issueB (towards a's position). */
  a: string;
  b: string;
  issueA: string;
  issueB: string;
  /** Signed change of a's voting position on issueA and of b's on issueB. */
  shiftA: number;
  shiftB: number;
  /** Utility gain of each partner (equal by construction). */
  gain: number;
  limit: ExchangeLimit;
}

export interface ExchangeResult extends EngineStamp {
  engine: "exchange";
  perIssue: "once" | "repeat";
  /** before = compromise model before exchanges; position = forecast after the exchanges. */
  outcomes: { issue: string; before: number; position: number }[];
  exchanges: Exchange[];
  /** issue id → actor name → voting position after the exchanges. */
  positions: Record<string, Record<string, number>>;
  /** Why the exchanges stopped. */
  stopped: "no-exchange-left" | "max-exchanges";
}

type Role = "supply+" | "supply-" | "demand";

/** Working state of one issue; actors are addressed by their local index k. */
interface IssueState {
  id: string;
  actors: IssueActor[];
  /** Global actor index (order of first appearance across issues) → local index, −1 when absent. */
  local: number[];
  /** Preferred positions x, saliences s, voting positions y (start at x). */
  x: number[];
  s: number[];
  y: number[];
  /** Share of the issue's weight c·s/Σc·s (all 0 when Σc·s = 0). */
  w: number[];
  /** Role taken in earlier exchanges, per actor. */
  role: (Role | undefined)[];
  outcome: number;
  /** sign(x − outcome), 0 within the tolerance ("on the outcome"). */
  side: number[];
}

/** Recomputes the outcome (rule 1, through `compromiseModel` itself) and every actor's side of it. */
function update(st: IssueState, tol: number): void {
  st.outcome = compromiseModel(st.actors.map((a, k) => ({ ...a, position: st.y[k] }))).position;
  st.side = st.x.map((x) => (Math.abs(x - st.outcome) <= tol ? 0 : Math.sign(x - st.outcome)));
}

function checkInput(issues: readonly ExchangeIssue[], options: ExchangeOptions): void {
  if (!Array.isArray(issues) || issues.length === 0)
    throw new BargainInputError("at least one issue is needed", "issues");
  const ids = new Set<string>();
  issues.forEach((issue, k) => {
    const p = `issues[${k}]`;
    if (typeof issue?.id !== "string" || issue.id === "")
      throw new BargainInputError("id must be a non-empty string", `${p}.id`);
    if (ids.has(issue.id)) throw new BargainInputError(`duplicate issue id "${issue.id}"`, `${p}.id`);
    ids.add(issue.id);
    if (!Array.isArray(issue.actors as unknown))
      throw new BargainInputError("actors must be an array", `${p}.actors`);
    checkIssueActors(issue.actors, `${p}.actors`);
    const names = new Set<string>();
    issue.actors.forEach((a: IssueActor, i: number) => {
      const where = `${p}.actors[${i}].name`;
      if (typeof a.name !== "string" || a.name === "")
        throw new BargainInputError("name must be a non-empty string", where);
      if (names.has(a.name)) throw new BargainInputError(`duplicate actor "${a.name}" on this issue`, where);
      names.add(a.name);
    });
  });
  const { perIssue, minGain, maxExchanges } = options;
  if (perIssue !== undefined && perIssue !== "once" && perIssue !== "repeat")
    throw new BargainInputError(`must be "once" or "repeat", got ${perIssue}`, "options.perIssue");
  if (minGain !== undefined && !(Number.isFinite(minGain) && minGain >= 0))
    throw new BargainInputError(`must be a number ≥ 0, got ${minGain}`, "options.minGain");
  if (maxExchanges !== undefined && !(Number.isInteger(maxExchanges) && maxExchanges >= 0))
    throw new BargainInputError(`must be an integer ≥ 0, got ${maxExchanges}`, "options.maxExchanges");
}

/** A possible exchange with its volume: a gives way on u, b on v (see rules 3–5); a, b are local indices. */
interface Candidate {
  u: IssueState;
  v: IssueState;
  au: number;
  bu: number;
  av: number;
  bv: number;
  /** Signed outcome shifts towards the demanders on u and v. */
  Du: number;
  Dv: number;
  gain: number;
  limit: ExchangeLimit;
}

/**
 * Evaluates "a gives way on u, b gives way on v" (global actor indices a, b, present on both issues) in the
 * current state, or null when rules 3–5 or the role rule of `perIssue` do not allow it.
 */
function evaluate(a: number, b: number, u: IssueState, v: IssueState, perIssue: "once" | "repeat") {
  const [au, bu, av, bv] = [u.local[a], u.local[b], v.local[a], v.local[b]];
  // Rule 3, sides: the outcomes are to move towards b on u and towards a on v.
  const dirU = u.side[bu];
  const dirV = v.side[av];
  if (dirU === 0 || dirV === 0 || u.side[au] !== -dirU || v.side[bv] !== -dirV) return null;
  // Rule 3, saliences: a cares relatively more about v than b does: s_av s_bu > s_au s_bv.
  const cross = v.s[av] * u.s[bu] - u.s[au] * v.s[bv];
  if (!(cross > 0 && u.w[au] > 0 && v.w[bv] > 0)) return null;
  // Roles: "once" — no earlier exchange on the issue; "repeat" — the same role as before.
  const ok = (st: IssueState, k: number, role: Role) =>
    st.role[k] === undefined || (perIssue === "repeat" && st.role[k] === role);
  const supply = (dir: number): Role => (dir > 0 ? "supply+" : "supply-");
  if (!(ok(u, au, supply(dirU)) && ok(v, bv, supply(dirV)) && ok(u, bu, "demand") && ok(v, av, "demand")))
    return null;
  // Rule 4: equal gain fixes the rate D_u / D_v.
  const rate = (v.s[av] + v.s[bv]) / (u.s[au] + u.s[bu]);
  // Rule 5: the largest D_v within the four caps (caps on D_u divided by the rate); first cap wins ties.
  let Dv = v.w[bv] * Math.max(0, dirV * (v.x[av] - v.y[bv]));
  let limit: ExchangeLimit = "b-reaches-a";
  const cap = (c: number, l: ExchangeLimit) => {
    if (c < Dv) [Dv, limit] = [c, l];
  };
  cap(dirV * (v.x[av] - v.outcome), "outcome-reaches-a");
  cap((u.w[au] * Math.max(0, dirU * (u.x[bu] - u.y[au]))) / rate, "a-reaches-b");
  cap((dirU * (u.x[bu] - u.outcome)) / rate, "outcome-reaches-b");
  const gain = (Dv * cross) / (u.s[au] + u.s[bu]);
  return { u, v, au, bu, av, bv, Du: Dv * rate * dirU, Dv: Dv * dirV, gain, limit } satisfies Candidate;
}

/** Applies a candidate: moves both voting positions, records roles, recomputes both outcomes. */
function realise(c: Candidate, tol: number): Exchange {
  const { u, v, au, bu, av, bv } = c;
  const before = [u.y[au], v.y[bv]];
  // m = D / w; land exactly on the partner's position when that cap decided the volume (no round-off drift).
  u.y[au] = c.limit === "a-reaches-b" ? u.x[bu] : u.y[au] + c.Du / u.w[au];
  v.y[bv] = c.limit === "b-reaches-a" ? v.x[av] : v.y[bv] + c.Dv / v.w[bv];
  u.role[au] = c.Du > 0 ? "supply+" : "supply-";
  v.role[bv] = c.Dv > 0 ? "supply+" : "supply-";
  u.role[bu] = "demand";
  v.role[av] = "demand";
  update(u, tol);
  update(v, tol);
  return {
    a: u.actors[au].name,
    b: v.actors[bv].name,
    issueA: u.id,
    issueB: v.id,
    shiftA: u.y[au] - before[0],
    shiftB: v.y[bv] - before[1],
    gain: c.gain,
    limit: c.limit,
  };
}

/** Exchange model on a set of issues (see the file comment for the rules and choices). */
export function exchangeModel(issues: ExchangeIssue[], options: ExchangeOptions = {}): ExchangeResult {
  checkInput(issues, options);
  const perIssue = options.perIssue ?? "once";
  const names = [...new Set(issues.flatMap((i) => i.actors.map((a) => a.name)))];
  let range = 1;
  for (const i of issues) {
    const xs = i.actors.map((a) => a.position);
    range = Math.max(range, Math.max(...xs) - Math.min(...xs));
  }
  const tol = 1e-12 * range;
  const minGain = options.minGain ?? 1e-9 * range;
  const maxExchanges = options.maxExchanges ?? 10 * names.length * issues.length;
  const states: IssueState[] = issues.map((issue) => {
    const total = issue.actors.reduce((t, a) => t + a.clout * a.salience, 0);
    const at = new Map(issue.actors.map((a, k) => [a.name, k]));
    const st: IssueState = {
      id: issue.id,
      actors: issue.actors,
      local: names.map((n) => at.get(n) ?? -1),
      x: issue.actors.map((a) => a.position),
      s: issue.actors.map((a) => a.salience),
      y: issue.actors.map((a) => a.position),
      w: issue.actors.map((a) => (total > 0 ? (a.clout * a.salience) / total : 0)),
      role: issue.actors.map(() => undefined),
      outcome: 0,
      side: [],
    };
    update(st, tol);
    return st;
  });
  const before = states.map((st) => st.outcome);

  // Best candidate of each issue pair p < q, in actor-pair order (first wins ties within 1e-12 relative).
  const better = (c: Candidate | null, best: Candidate | null) =>
    c !== null && c.gain > minGain && (best === null || c.gain > best.gain * (1 + 1e-12));
  const bestOfPair = (P: IssueState, Q: IssueState): Candidate | null => {
    let best: Candidate | null = null;
    for (let i = 0; i < names.length; i++)
      for (let j = i + 1; j < names.length; j++) {
        if (P.local[i] < 0 || P.local[j] < 0 || Q.local[i] < 0 || Q.local[j] < 0) continue;
        // Rule 3 decides who gives way where; at most one orientation has cross > 0.
        const c = evaluate(i, j, P, Q, perIssue) ?? evaluate(i, j, Q, P, perIssue);
        if (better(c, best)) best = c;
      }
    return best;
  };
  // An exchange on (u, v) changes only those two issues: only pairs involving them are re-evaluated.
  const cache = states.map((P, p) => states.map((Q, q) => (p < q ? bestOfPair(P, Q) : null)));
  const exchanges: Exchange[] = [];
  let stopped: ExchangeResult["stopped"] = "no-exchange-left";
  for (;;) {
    let best: Candidate | null = null;
    for (let p = 0; p < states.length; p++)
      for (let q = p + 1; q < states.length; q++) if (better(cache[p][q], best)) best = cache[p][q];
    if (best === null) break;
    if (exchanges.length >= maxExchanges) {
      stopped = "max-exchanges";
      break;
    }
    exchanges.push(realise(best, tol));
    const touched = [states.indexOf(best.u), states.indexOf(best.v)];
    for (let p = 0; p < states.length; p++)
      for (let q = p + 1; q < states.length; q++)
        if (touched.includes(p) || touched.includes(q)) cache[p][q] = bestOfPair(states[p], states[q]);
  }

  const positions: Record<string, Record<string, number>> = {};
  for (const st of states) positions[st.id] = Object.fromEntries(st.actors.map((a, k) => [a.name, st.y[k]]));
  return {
    engine: "exchange",
    version: EXCHANGE_VERSION,
    perIssue,
    outcomes: states.map((st, k) => ({ issue: st.id, before: before[k], position: st.outcome })),
    exchanges,
    positions,
    stopped,
  };
}
