import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import {
  bootstrapCounts,
  bootstrapProportion,
  clusterBootstrapProportion,
  quantile,
  wilsonInterval,
} from "./intervals.js";

/** k ones followed by n − k zeros. */
function sample(k: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
}

describe("wilsonInterval", () => {
  // Reference values from the textbook formula, evaluated independently with `bc -l`:
  //   centre = (p + z²/2n) / (1 + z²/n),
  //   half = z / (1 + z²/n) · sqrt(p(1−p)/n + z²/4n²), z = 1.959963984540054.
  // At k = 0 the upper bound reduces to z²/(n + z²); at k = n the lower to n/(n + z²).
  it("matches hand-computed values for 5/10", () => {
    const [lower, upper] = wilsonInterval(5, 10);
    expect(lower).toBeCloseTo(0.236593090512564, 12);
    expect(upper).toBeCloseTo(0.763406909487436, 12);
  });

  it("matches hand-computed values at the edges 0/10 and 10/10", () => {
    expect(wilsonInterval(0, 10)).toEqual([0, expect.closeTo(0.277532799862889, 12)]);
    expect(wilsonInterval(10, 10)).toEqual([expect.closeTo(0.722467200137111, 12), 1]);
  });

  it("is asymmetric away from one half (1/3)", () => {
    const [lower, upper] = wilsonInterval(1, 3);
    expect(lower).toBeCloseTo(0.0614919447203962, 12);
    expect(upper).toBeCloseTo(0.792340399197952, 12);
  });

  it("narrows with a smaller z", () => {
    const [wideLow, wideHigh] = wilsonInterval(30, 100);
    const [narrowLow, narrowHigh] = wilsonInterval(30, 100, 1);
    expect(narrowLow).toBeGreaterThan(wideLow);
    expect(narrowHigh).toBeLessThan(wideHigh);
  });

  it("throws INTERNAL for n = 0 and for counts outside [0, n]", () => {
    expect(() => wilsonInterval(0, 0)).toThrow(CareprobeError);
    expect(() => wilsonInterval(11, 10)).toThrow(CareprobeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(CareprobeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(CareprobeError);
    // careprobe computes the counts itself: a count out of range is its bug, not the input.
    expect(() => wilsonInterval(11, 10)).toThrow(expect.objectContaining({ code: "INTERNAL" }));
  });
});

describe("quantile", () => {
  // Same numbers as numpy.quantile's default (linear) method.
  it("interpolates linearly between order statistics", () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantile(Float64Array.of(10, 20), 0.5)).toBe(15);
  });

  it("returns the extremes at p = 0 and p = 1 and the value of a single point", () => {
    expect(quantile([3, 7, 9], 0)).toBe(3);
    expect(quantile([3, 7, 9], 1)).toBe(9);
    expect(quantile([4], 0.3)).toBe(4);
  });

  it("rejects an empty sample and p outside [0, 1]", () => {
    expect(() => quantile([], 0.5)).toThrow(CareprobeError);
    expect(() => quantile([1], 1.2)).toThrow(CareprobeError);
    expect(() => quantile([1], Number.NaN)).toThrow(CareprobeError);
  });
});

describe("bootstrapProportion", () => {
  it("is close to the normal approximation for a large sample", () => {
    // n = 2000, p = 0.3: p ± 1.96·sqrt(0.21/2000) = [0.27992, 0.32008].
    const [lower, upper] = bootstrapProportion(sample(600, 2000), { seed: 11 });
    const half = 1.959963984540054 * Math.sqrt((0.3 * 0.7) / 2000);
    expect(Math.abs(lower - (0.3 - half))).toBeLessThan(0.01);
    expect(Math.abs(upper - (0.3 + half))).toBeLessThan(0.01);
  });

  it("is deterministic for a seed and moves slightly with another seed", () => {
    const outcomes = sample(370, 1200);
    const first = bootstrapProportion(outcomes, { seed: "a", resamples: 2000 });
    expect(bootstrapProportion(outcomes, { seed: "a", resamples: 2000 })).toEqual(first);
    // Endpoints sit on a grid of 1/n, so one other seed may land on the same pair;
    // among several, some must differ, and all only by Monte Carlo noise.
    const others = ["b", "c", "d", "e"].map((seed) =>
      bootstrapProportion(outcomes, { seed, resamples: 2000 }),
    );
    expect(others.some((other) => other[0] !== first[0] || other[1] !== first[1])).toBe(true);
    for (const other of others) {
      expect(Math.abs(other[0] - first[0])).toBeLessThan(0.01);
      expect(Math.abs(other[1] - first[1])).toBeLessThan(0.01);
    }
  });

  it("does not depend on the order of the observations", () => {
    const ordered = sample(9, 40);
    const shuffled = [...ordered].reverse();
    expect(bootstrapProportion(shuffled, { seed: 5, resamples: 500 })).toEqual(
      bootstrapProportion(ordered, { seed: 5, resamples: 500 }),
    );
    expect(bootstrapCounts(9, 40, { seed: 5, resamples: 500 })).toEqual(
      bootstrapProportion(ordered, { seed: 5, resamples: 500 }),
    );
  });

  it("contains the estimate and narrows at a lower level", () => {
    const wide = bootstrapProportion(sample(13, 50), { seed: 2, resamples: 4000 });
    const narrow = bootstrapProportion(sample(13, 50), { seed: 2, resamples: 4000, level: 0.5 });
    expect(wide[0]).toBeLessThanOrEqual(0.26);
    expect(wide[1]).toBeGreaterThanOrEqual(0.26);
    expect(narrow[0]).toBeGreaterThan(wide[0]);
    expect(narrow[1]).toBeLessThan(wide[1]);
  });

  it("collapses to the estimate when every outcome is the same", () => {
    expect(bootstrapProportion(sample(0, 30), { seed: 1 })).toEqual([0, 0]);
    expect(bootstrapProportion(sample(30, 30), { seed: 1 })).toEqual([1, 1]);
  });

  it("rejects empty input, non-binary outcomes and bad options", () => {
    expect(() => bootstrapProportion([], { seed: 1 })).toThrow(CareprobeError);
    expect(() => bootstrapProportion([0, 2], { seed: 1 })).toThrow(/position 1/);
    expect(() => bootstrapProportion([0, 1], { seed: 1, resamples: 0 })).toThrow(CareprobeError);
    expect(() => bootstrapProportion([0, 1], { seed: 1, level: 1 })).toThrow(CareprobeError);
  });
});

describe("clusterBootstrapProportion", () => {
  it("matches the observation bootstrap when every cluster holds one observation", () => {
    const clusters = Array.from({ length: 2000 }, (_, i) => ({ k: i < 600 ? 1 : 0, n: 1 }));
    const [lower, upper] = clusterBootstrapProportion(clusters, { seed: 4, resamples: 4000 });
    const half = 1.959963984540054 * Math.sqrt((0.3 * 0.7) / 2000);
    expect(Math.abs(lower - (0.3 - half))).toBeLessThan(0.01);
    expect(Math.abs(upper - (0.3 + half))).toBeLessThan(0.01);
  });

  it("is wider than the observation bootstrap when answers within a cluster agree", () => {
    // 200 vignettes of 10 answers each, every vignette all-stigma or all-not: the
    // effective sample is 200, not 2000, so the interval is about sqrt(10) ≈ 3 times wider.
    const clusters = Array.from({ length: 200 }, (_, i) => ({ k: i < 60 ? 10 : 0, n: 10 }));
    const [clusterLow, clusterHigh] = clusterBootstrapProportion(clusters, { seed: 8 });
    const [plainLow, plainHigh] = bootstrapCounts(600, 2000, { seed: 8 });
    expect(clusterLow).toBeLessThan(0.3);
    expect(clusterHigh).toBeGreaterThan(0.3);
    expect((clusterHigh - clusterLow) / (plainHigh - plainLow)).toBeGreaterThan(2);
  });

  it("is deterministic, ignores input order and skips empty clusters", () => {
    // Enough varied clusters that the resampled ratios are not a handful of atoms.
    const clusters = Array.from({ length: 30 }, (_, i) => ({ k: i % 4, n: 3 + (i % 5) }));
    const options = { seed: "clusters", resamples: 3000 };
    const first = clusterBootstrapProportion(clusters, options);
    expect(clusterBootstrapProportion(clusters, options)).toEqual(first);
    expect(clusterBootstrapProportion([...clusters].reverse(), options)).toEqual(first);
    expect(clusterBootstrapProportion([...clusters, { k: 0, n: 0 }], options)).toEqual(first);
    const others = [1, 2, 3, 4].map((seed) =>
      clusterBootstrapProportion(clusters, { ...options, seed }),
    );
    expect(others.some((other) => other[0] !== first[0] || other[1] !== first[1])).toBe(true);
  });

  it("rejects inconsistent counts and an input with no observations", () => {
    expect(() => clusterBootstrapProportion([{ k: 3, n: 2 }], { seed: 1 })).toThrow(CareprobeError);
    expect(() => clusterBootstrapProportion([{ k: 0, n: 0 }], { seed: 1 })).toThrow(CareprobeError);
    expect(() => clusterBootstrapProportion([], { seed: 1 })).toThrow(CareprobeError);
  });
});
