// The seeded-RNG wrapper draws exactly what pure-rand's xoroshiro128+ draws (so seeded results
// are the same as before the wrapper), and its jumped streams are distinct.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { fromState, makeRng, makeStreams, streamStates, uniform32 } from "../src/random.js";

const SEEDS = [0, 1, 42, -7, 0x5eed1e55, 2 ** 31 - 1, 2 ** 33 + 5, 3.75];

describe("seeded random streams (src/random.ts)", () => {
  it("int32() is pure-rand's raw xoroshiro128+ sequence, for any seed", () => {
    for (const seed of SEEDS) {
      const g = xoroshiro128plus(seed);
      const rng = makeRng(seed);
      for (let k = 0; k < 1000; k++) expect(rng.int32()).toBe(g.next());
    }
  });

  it("next() and int() are pure-rand's uniformFloat64 and uniformInt", () => {
    for (const seed of SEEDS) {
      const g = xoroshiro128plus(seed);
      const rng = makeRng(seed);
      for (let k = 0; k < 300; k++) {
        const x = rng.next();
        expect(x).toBe(uniformFloat64(g));
        expect(x >= 0 && x < 1).toBe(true);
        expect(rng.int(-3, 3)).toBe(uniformInt(g, -3, 3));
        expect(rng.int(0, 999)).toBe(uniformInt(g, 0, 999));
      }
    }
  });

  it("uniform32() and normal() keep the probability engine's constructions", () => {
    const g = xoroshiro128plus(9);
    const rng = makeRng(9);
    const high53 = () => {
      const hi = g.next() >>> 5;
      const lo = g.next() >>> 6;
      return (hi * 67108864 + lo) * 2 ** -53;
    };
    for (let k = 0; k < 300; k++) {
      expect(uniform32(rng)).toBe((g.next() >>> 0) * 2 ** -32);
      let u = high53();
      while (u <= 0) u = high53();
      const v = high53();
      expect(rng.normal()).toBe(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    }
  });

  it("stream k is the seed's generator jumped k times; streams differ from each other", () => {
    const g = xoroshiro128plus(5);
    const states = streamStates(5, 4);
    const streams = makeStreams(5, 4);
    const firsts: number[][] = [];
    for (let k = 0; k < 4; k++) {
      expect(states[k]).toEqual([...g.getState()]);
      const ref = g.clone();
      const a = makeRng(5, k);
      const b = fromState(states[k]);
      const c = streams[k];
      const draws = Array.from({ length: 50 }, () => ref.next());
      for (const r of [a, b, c]) expect(Array.from({ length: 50 }, () => r.int32())).toEqual(draws);
      firsts.push(draws);
      g.jump();
    }
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(firsts[i]).not.toEqual(firsts[j]);
    expect(streamStates(5, 2, 2)).toEqual(states.slice(2));
  });

  it("state() and fromState() resume a stream exactly; clone() branches it", () => {
    const rng = makeRng(77);
    for (let k = 0; k < 10; k++) rng.next();
    const saved = rng.state();
    const copy = rng.clone();
    const ahead = Array.from({ length: 20 }, () => rng.int32());
    const resumed = fromState(saved);
    expect(Array.from({ length: 20 }, () => resumed.int32())).toEqual(ahead);
    expect(Array.from({ length: 20 }, () => copy.int32())).toEqual(ahead);
  });
});
