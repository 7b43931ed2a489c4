// Seeded random numbers for every engine (CIB sampling, probabilities, bargaining): one
// generator, pure-rand's xoroshiro128+, behind this one small API, so that a seed means the
// same thing everywhere and a result depends on the seed alone.
//
// - makeRng(seed) starts a stream; the seed's 32-bit integer part is used (seed | 0).
// - Independent streams are made with jump() (2^64 draws apart): stream k of a seed is the
//   seed's generator jumped k times (makeRng(seed, k), makeStreams, streamStates). Work split
//   into chunks takes one stream per chunk, so results never depend on the number of threads.
// - A stream's state is four 32-bit words (plain data: it can be sent to a worker thread);
//   fromState(state) resumes the stream exactly there.
//
// The draws are exactly those the engines have always made (same seed, same bytes): next()
// and int() are pure-rand's uniformFloat64 and uniformInt; uniform32() and normal() keep the
// probability engine's own constructions.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus, xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

/** A stream's full state (four 32-bit words), as state() returns it and fromState() takes it. */
export type StreamState = number[];

const TWO_M32 = 2 ** -32;
const TWO_M53 = 2 ** -53;

/** A seeded random stream. Each call advances the stream; clone() to branch it. */
export class Rng {
  readonly #g: JumpableRandomGenerator;

  /** Use makeRng, makeStreams or fromState. */
  constructor(g: JumpableRandomGenerator) {
    this.#g = g;
  }

  /** Uniform in [0, 1) with 53 bits (two draws; pure-rand's uniformFloat64). */
  next(): number {
    return uniformFloat64(this.#g);
  }

  /** Uniform integer in from..to, both included (pure-rand's uniformInt; unbiased, by rejection). */
  int(from: number, to: number): number {
    return uniformInt(this.#g, from, to);
  }

  /** The raw 32-bit signed integer of one draw. */
  int32(): number {
    return this.#g.next();
  }

  /**
   * Standard normal (Box–Muller, one value per call: no cached second value). Its uniforms take
   * the high bits of two draws each (27 + 26 bits), unlike next().
   */
  normal(): number {
    let u = this.#high53();
    while (u <= 0) u = this.#high53();
    const v = this.#high53();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Moves this stream 2^64 draws ahead: the next independent stream. */
  jump(): void {
    this.#g.jump();
  }

  /** An independent copy at the same point of the stream. */
  clone(): Rng {
    return new Rng(this.#g.clone());
  }

  /** The current state (a fresh array). */
  state(): StreamState {
    return this.#g.getState() as StreamState;
  }

  /** Uniform in [0, 1) with 53 bits from the high bits of two draws. */
  #high53(): number {
    const hi = this.#g.next() >>> 5;
    const lo = this.#g.next() >>> 6;
    return (hi * 67108864 + lo) * TWO_M53;
  }
}

/** Uniform in [0, 1) with 32 bits of resolution: one draw (the probability engine's hot loops). */
export function uniform32(rng: Rng): number {
  return (rng.int32() >>> 0) * TWO_M32;
}

/** The stream of `seed` (its 32-bit integer part), or its `stream`-th independent stream. */
export function makeRng(seed: number, stream = 0): Rng {
  const rng = new Rng(xoroshiro128plus(seed | 0));
  for (let k = 0; k < stream; k++) rng.jump();
  return rng;
}

/** The states of `count` independent streams of `seed`: streams first, first + 1, …, first + count − 1. */
export function streamStates(seed: number, count: number, first = 0): StreamState[] {
  const rng = makeRng(seed, first);
  const out: StreamState[] = [];
  for (let k = 0; k < count; k++) {
    out.push(rng.state());
    rng.jump();
  }
  return out;
}

/** `count` independent streams of `seed` (streams 0 … count − 1). */
export function makeStreams(seed: number, count: number): Rng[] {
  return streamStates(seed, count).map((s) => fromState(s));
}

/** Resumes a stream from a state that state() or streamStates() gave. */
export function fromState(state: readonly number[]): Rng {
  return new Rng(xoroshiro128plusFromState(state));
}
