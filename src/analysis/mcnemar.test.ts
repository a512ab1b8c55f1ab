import { describe, expect, it } from "vitest";
import { exactPairedInterval, mcnemarExact, pairedDifferenceInterval } from "./mcnemar.js";

describe("McNemar's exact test", () => {
  it("is twice the binomial tail of the smaller discordant count", () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(3, 0)).toBeCloseTo(0.25, 12);
    expect(mcnemarExact(0, 3)).toBeCloseTo(0.25, 12);
    // 2 × (C(10,0) + C(10,1)) / 2^10
    expect(mcnemarExact(1, 9)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(mcnemarExact(5, 5)).toBe(1);
    // Large counts stay finite and small.
    expect(mcnemarExact(0, 400)).toBeLessThan(1e-100);
    expect(mcnemarExact(200, 210)).toBeGreaterThan(0.5);
  });
});

describe("paired difference interval", () => {
  it("brackets (c − b) / n, is seeded, and is a point when nothing changed", () => {
    const ci = pairedDifferenceInterval(2, 12, 100, { seed: 1 });
    expect(ci[0]).toBeLessThan(0.1);
    expect(ci[1]).toBeGreaterThan(0.1);
    expect(ci[0]).toBeGreaterThan(0);
    expect(pairedDifferenceInterval(2, 12, 100, { seed: 1 })).toEqual(ci);
    expect(pairedDifferenceInterval(0, 0, 50, { seed: 1 })).toEqual([0, 0]);
    expect(pairedDifferenceInterval(0, 0, 0, { seed: 1 })).toEqual([0, 0]);
  });
});

describe("exact paired interval", () => {
  it("excludes 0 exactly when McNemar's exact p < 0.05", () => {
    let bootstrapDisagreed = 0;
    for (let b = 0; b <= 12; b++) {
      for (let c = 0; c <= 12; c++) {
        const n = 60;
        const [lower, upper] = exactPairedInterval(b, c, n);
        const p = mcnemarExact(b, c);
        expect({ b, c, excludes: lower > 0 || upper < 0 }).toEqual({ b, c, excludes: p < 0.05 });
        expect(lower).toBeLessThanOrEqual((c - b) / n + 1e-12);
        expect(upper).toBeGreaterThanOrEqual((c - b) / n - 1e-12);
        const boot = pairedDifferenceInterval(b, c, n, { seed: 1, resamples: 2000 });
        if ((boot[0] > 0 || boot[1] < 0) !== p < 0.05) bootstrapDisagreed++;
      }
    }
    // The bootstrap over pairs contradicted the test on some of these tables.
    expect(bootstrapDisagreed).toBeGreaterThan(0);
  });

  it("keeps 0 inside for 5 changes all one way (p = 0.0625), where the bootstrap did not", () => {
    expect(mcnemarExact(5, 0)).toBeCloseTo(0.0625, 12);
    const boot = pairedDifferenceInterval(5, 0, 100, { seed: 1 });
    expect(boot[1]).toBeLessThan(0);
    const [lower, upper] = exactPairedInterval(5, 0, 100);
    expect(lower).toBeCloseTo(-0.05, 12);
    expect(upper).toBeGreaterThan(0);
    expect(exactPairedInterval(0, 0, 50)).toEqual([0, 0]);
  });
});
