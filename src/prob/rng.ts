// Seeded random streams for the probability engine: pure-rand's xoroshiro128+; independent
// streams are made with jump() (2^64 draws apart), one stream per chunk of work, so that a
// result depends on the seed and the chunk layout only — never on the number of threads.
import { xoroshiro128plus, xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

export type Generator = JumpableRandomGenerator;
export type StreamState = number[];

/** The states of `count` independent streams of `seed`: stream k is the seed's generator jumped k times. */
export function streamStates(seed: number, count: number, first = 0): StreamState[] {
  const g = xoroshiro128plus(seed | 0);
  for (let k = 0; k < first; k++) g.jump();
  const out: StreamState[] = [];
  for (let k = 0; k < count; k++) {
    out.push(g.getState() as number[]);
    g.jump();
  }
  return out;
}

export function fromState(state: StreamState): Generator {
  return xoroshiro128plusFromState(state);
}

const TWO_M32 = 2 ** -32;
const TWO_M53 = 2 ** -53;

/** Uniform in [0, 1) with 32 bits of resolution (the hot loops). */
export function uniform32(g: Generator): number {
  return (g.next() >>> 0) * TWO_M32;
}

/** Uniform in [0, 1) with 53 bits. */
export function uniform53(g: Generator): number {
  const hi = g.next() >>> 5;
  const lo = g.next() >>> 6;
  return (hi * 67108864 + lo) * TWO_M53;
}

/** Standard normal (Box–Muller, one value per call: no cached second value). */
export function normal(g: Generator): number {
  let u = uniform53(g);
  while (u <= 0) u = uniform53(g);
  const v = uniform53(g);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
