import { InputError } from "../errors.js";
/** Shared shapes of the bargaining engines. All results are plain, JSON-serialisable objects. */

/** One actor on one issue (a single, continuous dimension). Scale is free (e.g. 0–100). */
export interface IssueActor {
  name: string;
  /** Clout / capability / power, > 0. */
  clout: number;
  /** Position on the issue scale. */
  position: number;
  /** Salience in [0, 1]. */
  salience: number;
}

/** One actor in a multi-dimensional spatial model (KTAB SMP input, 0–100 scales). */
export interface SpatialActor {
  name: string;
  description?: string;
  /** Capability ("Power", "Influence"), > 0. */
  capability: number;
  /** Position per dimension, 0–100. */
  position: number[];
  /** Salience per dimension, 0–100, summing to at most 100. */
  salience: number[];
}

export interface SpatialScenario {
  name: string;
  description: string;
  dimensions: string[];
  actors: SpatialActor[];
}

/** Engine identity carried by every result so that figures can be reproduced. */
export interface EngineStamp {
  engine: string;
  version: string;
}

export class BargainInputError extends InputError {
  constructor(
    message: string,
    override readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "BargainInputError";
  }
}

/** Validates a one-issue actor list; throws BargainInputError naming the offending field. */
export function checkIssueActors(actors: readonly IssueActor[], where = "actors"): void {
  if (actors.length === 0) throw new BargainInputError("at least one actor is needed", where);
  actors.forEach((a, i) => {
    const p = `${where}[${i}]`;
    if (!Number.isFinite(a.position))
      throw new BargainInputError(`position must be a finite number`, `${p}.position`);
    if (!(Number.isFinite(a.clout) && a.clout >= 0))
      throw new BargainInputError(`clout must be a number ≥ 0, got ${a.clout}`, `${p}.clout`);
    if (!(Number.isFinite(a.salience) && a.salience >= 0 && a.salience <= 1))
      throw new BargainInputError(`salience must be in [0, 1], got ${a.salience}`, `${p}.salience`);
  });
}
