import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { pairedPermutationTest } from "./permutation.js";

/** Independent implementation for the test: enumerate every sign pattern by its bits. */
function bruteForce(d: number[]): number {
  const observed = Math.abs(d.reduce((s, x) => s + x, 0));
  let hits = 0;
  for (let mask = 0; mask < 2 ** d.length; mask++) {
    const sum = d.reduce((s, x, i) => s + ((mask >> i) & 1 ? -x : x), 0);
    if (Math.abs(sum) >= observed - 1e-9) hits++;
  }
  return hits / 2 ** d.length;
}

describe("pairedPermutationTest", () => {
  it("matches a hand count for d = 1, 2, 3", () => {
    // The 8 sums ±1 ±2 ±3 are 6, 4, 2, 0, 0, −2, −4, −6: two reach |6|, so p = 2/8.
    expect(pairedPermutationTest([1, 2, 3])).toEqual({ mean: 2, m: 3, p: 0.25, exact: true });
  });

  it("counts ties with the observed sum (d = 1, −1, 1: sums of |1| or more in all 8)", () => {
    expect(pairedPermutationTest([1, -1, 1]).p).toBe(1);
    expect(pairedPermutationTest([0.5, 0.5]).p).toBe(0.5);
  });

  it("agrees with brute-force enumeration on rate differences", () => {
    const d = [0.25, -0.125, 0.5, 0.375, 0, 0.125, -0.25, 0.625, 0.5, 0.1, 1 / 3, -1 / 6];
    expect(pairedPermutationTest(d).p).toBeCloseTo(bruteForce(d), 12);
  });

  it("falls back to a seeded Monte Carlo estimate beyond 24 stimuli", () => {
    const d = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? -0.2 : 0.3));
    const first = pairedPermutationTest(d, { seed: 1, resamples: 20_000 });
    expect(first.exact).toBe(false);
    expect(pairedPermutationTest(d, { seed: 1, resamples: 20_000 })).toEqual(first);
    // The exact p of a sum this far out: every sign of the 30 is pushed one way; tiny.
    expect(first.p).toBeLessThan(0.01);
  });

  it("rejects an empty or non-finite input", () => {
    expect(() => pairedPermutationTest([])).toThrow(CareprobeError);
    expect(() => pairedPermutationTest([Number.NaN])).toThrow(CareprobeError);
  });
});
