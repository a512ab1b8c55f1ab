import { describe, expect, it } from "vitest";
import { normalCdf, twoProportionTest } from "./compare.js";
import { Z_95 } from "./intervals.js";
import {
  normalQuantile,
  restrictedRates,
  scoreInterval,
  scoreStatistic,
} from "./score-interval.js";

/** The constrained maximum by brute force: the log-likelihood on a fine grid of p2. */
function gridMaximum(k1: number, n1: number, k2: number, n2: number, delta: number): number {
  const log = (count: number, p: number) => (count === 0 ? 0 : count * Math.log(p));
  const lo = Math.max(0, -delta);
  const hi = Math.min(1, 1 - delta);
  let best = lo;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= 200_000; i++) {
    const p2 = lo + ((hi - lo) * i) / 200_000;
    const p1 = p2 + delta;
    const value = log(k1, p1) + log(n1 - k1, 1 - p1) + log(k2, p2) + log(n2 - k2, 1 - p2);
    if (value > bestValue) {
      bestValue = value;
      best = p2;
    }
  }
  return best;
}

describe("score interval for a difference of proportions", () => {
  it.each([
    [9, 52, 0, 8, 0.1],
    [30, 50, 20, 60, -0.2],
    [0, 10, 0, 12, 0.3],
    [10, 10, 3, 9, 0.5],
  ])(
    "finds the restricted maximum-likelihood rates (%i/%i vs %i/%i, Δ = %f)",
    (k1, n1, k2, n2, d) => {
      const [p1, p2] = restrictedRates(k1, n1, k2, n2, d);
      expect(p1 - p2).toBeCloseTo(d, 12);
      expect(Math.abs(p2 - gridMaximum(k1, n1, k2, n2, d))).toBeLessThan(2e-5);
    },
  );

  it("is the pooled z-test at Δ = 0", () => {
    for (const [k1, n1, k2, n2] of [
      [9, 52, 0, 8],
      [40, 100, 55, 100],
      [1, 3, 2, 3],
    ] as const) {
      expect(scoreStatistic(k1, n1, k2, n2, 0)).toBeCloseTo(
        twoProportionTest(k1, n1, k2, n2).z,
        10,
      );
    }
  });

  it("does not exclude 0 where the test is not significant (the Wald interval did)", () => {
    // The reported contradiction: 17.3 points [7.0, 27.6] (Wald) beside p = 0.202.
    const test = twoProportionTest(9, 52, 0, 8);
    expect(test.p).toBeCloseTo(0.202, 3);
    expect(test.ci95[0] * 100).toBeCloseTo(7.0, 1);
    const [lower, upper] = scoreInterval(9, 52, 0, 8);
    expect(lower).toBeLessThan(0);
    expect(upper).toBeGreaterThan(9 / 52);
  });

  it("excludes 0 exactly when p < 0.05, over a grid of counts", () => {
    let contradictionsBefore = 0;
    for (const [n1, n2] of [
      [5, 8],
      [12, 12],
      [30, 7],
    ] as const) {
      for (let k1 = 0; k1 <= n1; k1++) {
        for (let k2 = 0; k2 <= n2; k2++) {
          const test = twoProportionTest(k1, n1, k2, n2);
          const [lower, upper] = scoreInterval(k1, n1, k2, n2);
          const excludes = lower > 0 || upper < 0;
          expect({ k1, n1, k2, n2, excludes }).toEqual({ k1, n1, k2, n2, excludes: test.p < 0.05 });
          expect(lower).toBeLessThanOrEqual(test.diff);
          expect(upper).toBeGreaterThanOrEqual(test.diff);
          const wald = test.ci95[0] > 0 || test.ci95[1] < 0;
          if (wald !== test.p < 0.05) contradictionsBefore++;
        }
      }
    }
    // The Wald interval beside the same test disagreed on some of these tables.
    expect(contradictionsBefore).toBeGreaterThan(0);
  });

  it("inverts the normal distribution", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z_95, 12);
    expect(normalCdf(normalQuantile(0.001))).toBeCloseTo(0.001, 14);
  });
});
