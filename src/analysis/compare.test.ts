import { describe, expect, it } from "vitest";
import { bonferroni, erfc, holm, normalCdf, twoProportionTest } from "./compare.js";

/** erfc at these points, to double precision (reference values of the C library's erfc). */
const ERFC_REFERENCE: Array<[number, number]> = [
  [0, 1],
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [1.4999, 0.03390674833770473],
  [1.5, 0.033894853524689274],
  [2, 0.004677734981047265],
  [2.4999, 0.0004071699003334514],
  [2.5, 0.0004069520174449589],
  [3, 2.2090496998585438e-5],
  [4, 1.541725790028002e-8],
  [5, 1.5374597944280351e-12],
  [6, 2.1519736712498916e-17],
  [10, 2.088487583762545e-45],
  [-1, 1.842700792949715],
  [-3, 1.9999779095030015],
];

describe("erfc and normalCdf", () => {
  it.each(ERFC_REFERENCE)("erfc(%f) to 1e-13 relative", (x, expected) => {
    const relative = Math.abs(erfc(x) - expected) / expected;
    expect(relative).toBeLessThan(1e-13);
  });

  it("is continuous where the method switches and handles the extremes", () => {
    // Across the switch the step equals the slope (2/√π)·e^(−x²) times the distance.
    const slope = (2 / Math.sqrt(Math.PI)) * Math.exp(-2.25);
    expect(Math.abs(erfc(1.5 - 1e-9) - erfc(1.5) - slope * 1e-9)).toBeLessThan(1e-15);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it("gives the familiar normal quantiles", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 12);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 12);
  });
});

describe("twoProportionTest", () => {
  it("matches the example worked by hand: 30/50 against 20/50", () => {
    // p1 = 0.6, p2 = 0.4, diff = 0.2. Pooled p = 50/100 = 0.5:
    // SE0 = √(0.5·0.5·(1/50 + 1/50)) = √0.01 = 0.1, z = 0.2 / 0.1 = 2,
    // p = 2·(1 − Φ(2)) = erfc(2/√2) = 0.0455002638963584.
    // Wald SE = √(0.6·0.4/50 + 0.4·0.6/50) = √0.0096 = 0.0979795897,
    // CI = 0.2 ± 1.9599640·0.0979795897 = 0.2 ± 0.1920364671 = [0.0079635329, 0.3920364671].
    const result = twoProportionTest(30, 50, 20, 50);
    expect(result.diff).toBeCloseTo(0.2, 12);
    expect(result.z).toBeCloseTo(2, 12);
    expect(result.p).toBeCloseTo(0.0455002638963584, 12);
    expect(result.ci95[0]).toBeCloseTo(0.0079635329, 9);
    expect(result.ci95[1]).toBeCloseTo(0.3920364671, 9);
  });

  it("is symmetric in the groups and gives p = 1 for equal rates", () => {
    const swapped = twoProportionTest(20, 50, 30, 50);
    expect(swapped.z).toBeCloseTo(-2, 12);
    expect(swapped.p).toBeCloseTo(0.0455002638963584, 12);
    expect(twoProportionTest(10, 40, 5, 20)).toMatchObject({ diff: 0, z: 0, p: 1 });
  });

  it("handles all-zero and all-one groups without dividing by zero", () => {
    expect(twoProportionTest(0, 10, 0, 30)).toEqual({ diff: 0, z: 0, p: 1, ci95: [0, 0] });
    expect(twoProportionTest(12, 12, 8, 8)).toEqual({ diff: 0, z: 0, p: 1, ci95: [0, 0] });
    // 10/10 against 0/10: pooled 0.5, SE0 = √(0.25·0.2) = 0.2236, z = 4.4721;
    // the Wald SE is 0, so the interval collapses to [1, 1].
    const extreme = twoProportionTest(10, 10, 0, 10);
    expect(extreme.z).toBeCloseTo(Math.sqrt(20), 12);
    expect(extreme.p).toBeCloseTo(7.744216e-6, 11);
    expect(extreme.ci95).toEqual([1, 1]);
  });

  it("rejects impossible counts", () => {
    expect(() => twoProportionTest(5, 0, 1, 10)).toThrow(/n1/);
    expect(() => twoProportionTest(1, 10, 11, 10)).toThrow(/k2/);
    expect(() => twoProportionTest(1.5, 10, 1, 10)).toThrow(/k1/);
  });
});

describe("holm and bonferroni", () => {
  it("match the adjustments worked by hand", () => {
    // m = 4. Sorted: 0.01 (×4 = 0.04), 0.02 (×3 = 0.06), 0.03 (×2 = 0.06), 0.04 (×1 = 0.04 → 0.06
    // by monotonicity). Input order: [0.03, 0.01, 0.04, 0.02].
    const p = [0.03, 0.01, 0.04, 0.02];
    const adjusted = holm(p);
    const round = (values: number[]) => values.map((value) => Number(value.toFixed(12)));
    expect(round(adjusted)).toEqual([0.06, 0.04, 0.06, 0.06]);
    expect(round(bonferroni(p))).toEqual([0.12, 0.04, 0.16, 0.08]);
  });

  it("caps at 1, stays monotone and never exceeds Bonferroni", () => {
    const p = [0.5, 0.001, 0.3, 0.04, 0.04, 0.9];
    const adjusted = holm(p);
    const bonf = bonferroni(p);
    expect(Math.max(...adjusted)).toBeLessThanOrEqual(1);
    expect(bonf[0]).toBe(1);
    adjusted.forEach((value, i) => {
      expect(value).toBeGreaterThanOrEqual(p[i] as number);
      expect(value).toBeLessThanOrEqual(bonf[i] as number);
    });
    const order = p.map((_, i) => i).sort((i, j) => (p[i] as number) - (p[j] as number));
    for (let r = 1; r < order.length; r++) {
      expect(adjusted[order[r] as number]).toBeGreaterThanOrEqual(
        adjusted[order[r - 1] as number] as number,
      );
    }
    // Tied p-values get the same adjusted value.
    expect(adjusted[3]).toBe(adjusted[4]);
  });

  it("handles empty and single inputs and rejects non-p-values", () => {
    expect(holm([])).toEqual([]);
    expect(bonferroni([])).toEqual([]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(() => holm([0.1, Number.NaN])).toThrow(/position 1/);
    expect(() => bonferroni([1.2])).toThrow(/position 0/);
  });
});
