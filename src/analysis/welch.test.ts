import { describe, expect, it } from "vitest";
import { incompleteBeta, studentTwoSidedP, welchTest } from "./welch.js";

describe("Student t and Welch's test", () => {
  it("matches known values of the incomplete beta and t distribution", () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a.
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.5, 3, 1)).toBeCloseTo(0.125, 12);
    // t with 1 df is Cauchy: P(|T| > 1) = 1/2.
    expect(studentTwoSidedP(1, 1)).toBeCloseTo(0.5, 10);
    // Tables: t = 2.228 with 10 df is the two-sided 5% point; t = 2.0, 10 df -> 0.0734.
    expect(studentTwoSidedP(2.228138851986, 10)).toBeCloseTo(0.05, 8);
    expect(studentTwoSidedP(2, 10)).toBeCloseTo(0.07338803, 7);
    // Large df approaches the normal: t = 1.959964 -> 0.05.
    expect(studentTwoSidedP(1.959963984540054, 1e7)).toBeCloseTo(0.05, 5);
  });

  it("computes Welch's t on 0/1 data from counts", () => {
    // Group 1: 30 of 50 (mean .6, var .6*.4*50/49); group 2: 20 of 50.
    const { t, df, p } = welchTest(30, 50, 20, 50);
    const v = (0.6 * 0.4 * 50) / 49;
    expect(t).toBeCloseTo(0.2 / Math.sqrt((2 * v) / 50), 10);
    expect(df).toBeCloseTo(98, 6);
    expect(p).toBeGreaterThan(0.04);
    expect(p).toBeLessThan(0.05);
    expect(welchTest(5, 5, 5, 5)).toMatchObject({ t: 0, p: 1 });
    expect(welchTest(5, 5, 0, 5).p).toBe(0);
  });
});
