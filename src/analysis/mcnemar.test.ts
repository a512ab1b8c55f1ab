import { describe, expect, it } from "vitest";
import { mcnemarExact, pairedDifferenceInterval } from "./mcnemar.js";

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
