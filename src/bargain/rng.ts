/**
 * Seeded random numbers for the bargaining engines (pure-rand xoroshiro128+).
 * Independent streams are made with jump(): stream k = seed generator jumped k times.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller, no caching so that streams stay simple). */
  normal(): number;
}

function wrap(g: JumpableRandomGenerator): Rng {
  return {
    next: () => uniformFloat64(g),
    normal: () => {
      let u = uniformFloat64(g);
      while (u <= 0) u = uniformFloat64(g);
      const v = uniformFloat64(g);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** A generator for `seed` (32-bit integer part is used), optionally the `stream`-th independent stream. */
export function makeRng(seed: number, stream = 0): Rng {
  const g = xoroshiro128plus(seed | 0);
  for (let k = 0; k < stream; k++) g.jump();
  return wrap(g);
}

/** `count` independent streams from one seed (each a jump() apart). */
export function makeStreams(seed: number, count: number): Rng[] {
  const g = xoroshiro128plus(seed | 0);
  const out: Rng[] = [];
  for (let k = 0; k < count; k++) {
    out.push(wrap(g.clone()));
    g.jump();
  }
  return out;
}
