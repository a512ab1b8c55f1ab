/**
 * Seeded randomness for resampling. `Math.random` cannot be seeded, and every interval
 * careprobe reports must be reproducible from the seed recorded with the run.
 *
 * The generator is xoshiro128** (Blackman & Vigna): 128 bits of state, period 2^128 − 1,
 * fast with 32-bit integer arithmetic. Seeds of any form are hashed into the full state,
 * so nearby seeds (1, 2, 3) still give unrelated streams. Not for cryptography.
 */
import { internalError } from "../core/errors.js";

/** A seed as users and runs record it. A number is the same seed as its decimal string. */
export type Seed = number | string;

const TWO_TO_32 = 4294967296;
const TWO_TO_31 = 2147483648;

/** A stream of random 32-bit words; the building block of every sampler here. */
export interface RandomSource {
  /** The next 32 random bits, as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform number in [0, 1), with 32 bits of resolution. */
  nextFloat(): number;
  /**
   * How many of `draws` fresh uniforms fall below `probability`: one Binomial(draws,
   * probability) sample, simulated draw by draw. The uniforms here have 31 bits of
   * resolution; the loop is branch-free, which makes it several times faster.
   */
  countBelow(draws: number, probability: number): number;
}

function rotateLeft(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}

/** Final avalanche step: every input bit affects every output bit. */
function mix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Four hash lanes (start value, odd multiplier) so the seed fills all 128 state bits. */
const LANES: ReadonlyArray<readonly [number, number]> = [
  [0x811c9dc5, 0x01000193],
  [0x9e3779b9, 0x85ebca6b],
  [0x7f4a7c15, 0xc2b2ae35],
  [0x165667b1, 0x27d4eb2f],
];

const encoder = new TextEncoder();

function normalizeSeed(seed: Seed): string {
  if (typeof seed === "number") {
    if (!Number.isFinite(seed)) {
      throw internalError(`A seed must be a finite number, got ${seed}.`);
    }
    // String(number) is exactly specified by ECMAScript, so this is stable everywhere.
    return String(seed);
  }
  if (typeof seed !== "string") {
    throw internalError("A seed must be a number or a string.");
  }
  return seed;
}

/** Hashes the seed's UTF-8 bytes into a non-zero 128-bit state. */
function stateFromSeed(seed: Seed): Uint32Array {
  const bytes = encoder.encode(normalizeSeed(seed));
  const state = new Uint32Array(4);
  LANES.forEach(([start, multiplier], lane) => {
    let h = (start ^ bytes.length) >>> 0;
    for (const byte of bytes) h = Math.imul(h ^ byte, multiplier);
    state[lane] = mix32(h);
  });
  // xoshiro never leaves the all-zero state; a hash landing there is astronomically rare.
  if (state.every((word) => word === 0)) state[0] = 1;
  return state;
}

class Xoshiro128StarStar implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: Uint32Array) {
    this.s0 = state[0] ?? 0;
    this.s1 = state[1] ?? 0;
    this.s2 = state[2] ?? 0;
    this.s3 = state[3] ?? 0;
    // A few rounds so the first outputs do not echo the hash directly.
    for (let i = 0; i < 8; i++) this.nextUint32();
  }

  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5), 7), 9);
    const shifted = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= shifted;
    this.s3 = rotateLeft(this.s3, 11);
    return result >>> 0;
  }

  nextFloat(): number {
    return this.nextUint32() / TWO_TO_32;
  }

  // Same steps as nextUint32 with the state in locals, which V8 keeps in registers.
  countBelow(draws: number, probability: number): number {
    if (!Number.isInteger(draws) || draws < 0) {
      throw internalError(`draws must be a whole number, got ${draws}.`);
    }
    if (!(probability >= 0 && probability <= 1)) {
      throw internalError(`probability must be in [0, 1], got ${probability}.`);
    }
    // A 31-bit uniform m/2^31 is below p exactly when m < ceil(p·2^31).
    const limit = Math.ceil(probability * TWO_TO_31);
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    let count = 0;
    for (let i = 0; i < draws; i++) {
      const word = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9);
      const shifted = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= shifted;
      s3 = rotateLeft(s3, 11);
      // Both terms lie in [0, 2^31], so the difference fits in 32 bits and its sign bit
      // is 1 exactly when the draw is below the limit.
      count += ((word >>> 1) - limit) >>> 31;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return count;
  }
}

/** A seeded stream of 32-bit words, for samplers that want integers directly. */
export function createRandomSource(seed: Seed): RandomSource {
  return new Xoshiro128StarStar(stateFromSeed(seed));
}

/** A seeded uniform generator on [0, 1). Same seed, same sequence, on every platform. */
export function createRng(seed: Seed): () => number {
  const source = createRandomSource(seed);
  return () => source.nextFloat();
}

/**
 * A uniform integer in [0, n) from a uniform generator on [0, 1). With the 32-bit
 * uniforms of `createRng` the bias is below n / 2^32 (under 1e-5 for n up to 40,000),
 * far below the Monte Carlo noise of any resampling that uses it.
 */
export function randomInt(random: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_TO_32) {
    throw internalError(`randomInt needs an integer n in [1, 2^32], got ${n}.`);
  }
  return Math.floor(random() * n);
}

/**
 * A seed for one part of an analysis (one metric row, say), derived from the run's seed
 * and the part's identity. Rows get independent streams, and adding a row elsewhere
 * (another target) leaves every other row's stream, and so its interval, unchanged.
 */
export function deriveSeed(base: Seed, ...parts: string[]): string {
  // JSON keeps the parts unambiguous: ["a b", "c"] and ["a", "b c"] stay different.
  return JSON.stringify([normalizeSeed(base), ...parts]);
}
