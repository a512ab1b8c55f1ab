import { describe, expect, it } from "vitest";
import {
  clusterBootstrapStatistic,
  extendedQuantile,
  pairedClusterComparison,
} from "./clusters.js";

type Count = { k: number; n: number };
const rate = (list: readonly Count[]) => {
  const n = list.reduce((s, c) => s + c.n, 0);
  return n === 0 ? null : list.reduce((s, c) => s + c.k, 0) / n;
};

describe("extendedQuantile", () => {
  it("interpolates like type 7 and never makes NaN from infinities", () => {
    expect(extendedQuantile([1, 3], 0.5)).toBe(2);
    expect(extendedQuantile([1, 2, Number.POSITIVE_INFINITY], 0.5)).toBe(2);
    expect(extendedQuantile([1, 2, Number.POSITIVE_INFINITY], 0.75)).toBe(Number.POSITIVE_INFINITY);
    const infinite = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    expect(extendedQuantile(infinite, 0.3)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("clusterBootstrapStatistic", () => {
  it("spans the whole range when two clusters disagree completely", () => {
    // Resampled rates are 0, 1/2, 1 with chances 1/4, 1/2, 1/4: the 2.5% and 97.5%
    // quantiles of 10,000 draws are 0 and 1.
    const interval = clusterBootstrapStatistic(
      [
        { k: 0, n: 1 },
        { k: 1, n: 1 },
      ],
      rate,
      { seed: 1 },
    );
    expect(interval.bounds).toEqual([0, 1]);
    expect(interval.undefinedResamples).toBe(0);
  });

  it("is a point when every cluster is the same", () => {
    const same = Array.from({ length: 5 }, () => ({ k: 1, n: 4 }));
    expect(clusterBootstrapStatistic(same, rate, { seed: 2 }).bounds).toEqual([0.25, 0.25]);
  });

  it("is reproducible from the seed and changes with it", () => {
    const data = [
      { k: 0, n: 3 },
      { k: 2, n: 3 },
      { k: 3, n: 3 },
      { k: 1, n: 2 },
    ];
    const a = clusterBootstrapStatistic(data, rate, { seed: "x" });
    expect(clusterBootstrapStatistic(data, rate, { seed: "x" })).toEqual(a);
    expect(clusterBootstrapStatistic(data, rate, { seed: "y", resamples: 2000 })).not.toEqual(a);
  });

  it("gives null for a bound beyond the data", () => {
    const interval = clusterBootstrapStatistic(
      [1, 2],
      (draw) => (draw.includes(2) ? Infinity : 1),
      {
        seed: 3,
      },
    );
    // 3 in 4 resamples contain cluster 2: the upper bound is infinite, the lower is 1.
    expect(interval.bounds).toEqual([1, null]);
  });
});

describe("pairedClusterComparison", () => {
  it("finds no difference between identical targets (p = 1)", () => {
    const pairs = [0, 1, 2, 3].map((k) => ({ a: { k, n: 3 }, b: { k, n: 3 } }));
    const result = pairedClusterComparison(pairs, rate, { seed: 4 });
    expect(result).toEqual({ pairs: 4, diff: 0, ci95: [0, 0], p: 1 });
  });

  it("gives the exact permutation p-value when every persona differs the same way", () => {
    // 3 personas, a always fails, b never: |diff*| = 1 only when all or none are swapped,
    // chance 2/8, so p = (1 + 0.25 R) / (1 + R) = 0.25 up to Monte Carlo error.
    const pairs = [0, 1, 2].map(() => ({ a: { k: 1, n: 1 }, b: { k: 0, n: 1 } }));
    const result = pairedClusterComparison(pairs, rate, { seed: 5 });
    expect(result.diff).toBe(1);
    expect(result.ci95).toEqual([1, 1]);
    expect(result.p).toBeGreaterThan(0.23);
    expect(result.p).toBeLessThan(0.27);
    // With 10 personas the chance is 2/1024.
    const ten = Array.from({ length: 10 }, () => ({ a: { k: 1, n: 1 }, b: { k: 0, n: 1 } }));
    const tenResult = pairedClusterComparison(ten, rate, { seed: 6 });
    expect(Math.abs((tenResult.p ?? 1) - 2 / 1024)).toBeLessThan(0.001);
  });

  it("has no result without pairs", () => {
    expect(pairedClusterComparison([], rate, { seed: 7 })).toEqual({
      pairs: 0,
      diff: null,
      ci95: null,
      p: null,
    });
  });
});
