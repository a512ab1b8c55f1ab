import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { createRandomSource, createRng, deriveSeed, randomInt } from "./random.js";

function take(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => random());
}

describe("createRng", () => {
  it("repeats the same sequence for the same seed", () => {
    expect(take(createRng(42), 50)).toEqual(take(createRng(42), 50));
    expect(take(createRng("run-7"), 50)).toEqual(take(createRng("run-7"), 50));
  });

  it("treats a number and its decimal string as the same seed", () => {
    expect(take(createRng(42), 10)).toEqual(take(createRng("42"), 10));
  });

  it("gives different sequences for different seeds, even adjacent ones", () => {
    const seeds = [0, 1, 2, "a", "b", "", "überprüfung"];
    const firsts = seeds.map((seed) => take(createRng(seed), 4).join(","));
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it("returns uniforms in [0, 1) with a plausible mean and spread", () => {
    const values = take(createRng("uniformity"), 100_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    // Standard error of the mean is sqrt(1/12/1e5) ≈ 0.0009; 0.005 is over 5 SE.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    const belowTenth = values.filter((value) => value < 0.1).length / values.length;
    expect(Math.abs(belowTenth - 0.1)).toBeLessThan(0.005);
  });

  it("rejects seeds that have no stable text form", () => {
    expect(() => createRng(Number.NaN)).toThrow(CareprobeError);
    expect(() => createRng(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});

describe("randomInt", () => {
  it("covers [0, n) about evenly", () => {
    const random = createRng(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const value = randomInt(random, 6);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(60_000);
    // Each bucket expects 10,000 with SD ≈ 91; allow well over 5 SD.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });

  it("returns 0 for n = 1 and rejects a bad n", () => {
    expect(randomInt(createRng(1), 1)).toBe(0);
    expect(() => randomInt(createRng(1), 0)).toThrow(CareprobeError);
    expect(() => randomInt(createRng(1), 2.5)).toThrow(CareprobeError);
  });
});

describe("createRandomSource", () => {
  it("gives integers in [0, 2^32) and floats consistent with them", () => {
    const words = createRandomSource("words");
    const floats = createRandomSource("words");
    for (let i = 0; i < 1000; i++) {
      const word = words.nextUint32();
      expect(Number.isInteger(word) && word >= 0 && word < 2 ** 32).toBe(true);
      expect(floats.nextFloat()).toBe(word / 2 ** 32);
    }
  });

  it("countBelow counts exactly the draws whose top 31 bits fall under the limit", () => {
    const probability = 0.3;
    const limit = Math.ceil(probability * 2 ** 31);
    const reference = createRandomSource("count");
    let expected = 0;
    for (let i = 0; i < 10_000; i++) if (reference.nextUint32() >>> 1 < limit) expected++;
    const counted = createRandomSource("count").countBelow(10_000, probability);
    expect(counted).toBe(expected);
    // Binomial(10000, 0.3): SD ≈ 46.
    expect(Math.abs(counted - 3000)).toBeLessThan(300);
  });

  it("countBelow handles the edges and advances the stream like single draws", () => {
    const source = createRandomSource(9);
    expect(source.countBelow(500, 0)).toBe(0);
    expect(source.countBelow(500, 1)).toBe(500);
    expect(source.countBelow(0, 0.5)).toBe(0);
    const stepped = createRandomSource(9);
    for (let i = 0; i < 1000; i++) stepped.nextUint32();
    expect(source.nextUint32()).toBe(stepped.nextUint32());
    expect(() => source.countBelow(-1, 0.5)).toThrow(CareprobeError);
    expect(() => source.countBelow(10, 1.5)).toThrow(CareprobeError);
  });
});

describe("deriveSeed", () => {
  it("is deterministic and separates different identities", () => {
    expect(deriveSeed(1, "a", "b")).toBe(deriveSeed("1", "a", "b"));
    expect(deriveSeed(1, "a b", "c")).not.toBe(deriveSeed(1, "a", "b c"));
    expect(deriveSeed(1, "a|b", "c")).not.toBe(deriveSeed(1, "a", "b|c"));
    expect(deriveSeed(1, "a")).not.toBe(deriveSeed(2, "a"));
  });
});
