// Models for the cancellation tests: a dense random CIB model (src/cib/random.ts) written as a
// model file's text, so that every engine reads it the way it reads a user's model.
import { modelFileText } from "../../bench/cib/structured.js";
import { randomModel } from "../../src/cib/random.js";
import { parseModelText } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";

/** The YAML text of a random model with `factors` factors of `states` states each. */
export function randomModelText(
  factors: number,
  states: number,
  seed: number,
  cells: { lo?: number; hi?: number; density?: number } = {},
): string {
  return modelFileText(
    randomModel(new Array(factors).fill(states), seed, cells),
    `random-${factors}x${states}-${seed}`,
    {
      title: `Random ${factors}×${states} (seed ${seed})`,
      prefix: "f",
    },
  );
}

/** The random model, parsed and checked. */
export function randomCibModel(
  factors: number,
  states: number,
  seed: number,
  cells: { lo?: number; hi?: number; density?: number } = {},
): Model {
  const r = parseModelText(randomModelText(factors, states, seed, cells), { file: "random.yaml" });
  if (!r.model) throw new Error(`the random model does not validate: ${JSON.stringify(r.problems)}`);
  return r.model;
}
