// Models for the cancellation tests: a dense random CIB model (src/cib/random.ts) written as a
// model file's text, so that every engine reads it the way it reads a user's model.
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
  const cm = randomModel(new Array(factors).fill(states), seed, cells);
  const lines = [
    "format: muscat/1",
    `id: random-${factors}x${states}-${seed}`,
    `title: Random ${factors}×${states} (seed ${seed})`,
    "asOf: 2025-01-01",
    "actors: [{ id: a, name: A, kind: state }]",
    "factors:",
  ];
  for (let f = 0; f < factors; f++) {
    const st = Array.from({ length: states }, (_, k) => `{ id: s${k + 1}, label: S${k + 1} }`).join(", ");
    lines.push(`  - { id: f${f + 1}, name: F${f + 1}, current: s1, states: [${st}] }`);
  }
  lines.push("impacts:");
  const m = cm.size;
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      const v = cm.matrix[r * m + c];
      if (v === 0) continue;
      const [i, a] = [cm.factorOf[r], r - cm.offsets[cm.factorOf[r]]];
      const [j, b] = [cm.factorOf[c], c - cm.offsets[cm.factorOf[c]]];
      lines.push(`  - { from: f${i + 1}=s${a + 1}, to: f${j + 1}=s${b + 1}, strength: ${v} }`);
    }
  return `${lines.join("\n")}\n`;
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
