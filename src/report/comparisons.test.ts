import { describe, expect, it } from "vitest";
import type { MetricRow } from "../core/types.js";
import { comparisons } from "./comparisons.js";
import { renderMarkdown, renderTable } from "./render.js";

function row(target: string, k: number, n: number, condition = "overall"): MetricRow {
  return {
    suite: "responses",
    target,
    arm: "none",
    metric: "appropriate",
    condition,
    n,
    k,
    value: k / n,
    ci95: null,
    ci95_wilson: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
  };
}

const excludesZero = (ci: [number, number]) => ci[0] > 0 || ci[1] < 0;

describe("comparisons: intervals that agree with their p-values", () => {
  it("never shows an interval excluding 0 beside p > 0.05 (9/52 against 0/8)", () => {
    const [c] = comparisons([row("a", 9, 52), row("b", 0, 8)]);
    if (!c) throw new Error("no comparison");
    // What 0.1 printed: 17.3 points [7.0, 27.6] (Wald) beside p = 0.202.
    expect(c.diff * 100).toBeCloseTo(17.3, 1);
    expect(c.p).toBeCloseTo(0.202, 3);
    expect(c.ci95_wald[0] * 100).toBeCloseTo(7.0, 1);
    expect(excludesZero(c.ci95_wald)).toBe(true);
    // The score interval inverts the same test.
    expect(excludesZero(c.ci95)).toBe(false);
    expect(c.ci95[0]).toBeLessThan(0);
  });

  it("gives the interval at Bonferroni's level beside the adjusted p", () => {
    // Three targets: a against c is significant alone, not after adjusting for three tests.
    const rows = [row("a", 60, 100), row("b", 50, 100), row("c", 45, 100)];
    const list = comparisons(rows);
    expect(list).toHaveLength(3);
    const ac = list.find((c) => c.a === "a" && c.b === "c");
    if (!ac) throw new Error("no a − c comparison");
    expect(ac.family_size).toBe(3);
    expect(ac.p).toBeLessThan(0.05);
    expect(ac.p_bonferroni).toBeGreaterThan(0.05);
    expect(excludesZero(ac.ci95)).toBe(true);
    expect(excludesZero(ac.ci95_bonferroni)).toBe(false);
    for (const c of list) {
      expect(excludesZero(c.ci95)).toBe(c.p < 0.05);
      expect(excludesZero(c.ci95_bonferroni)).toBe(c.p_bonferroni < 0.05);
    }
    // The rows say which interval and which p are adjusted.
    const data = { toolVersion: "0", seed: 0, resamples: 100, runs: [], metrics: rows };
    const line = renderTable({ ...data, comparisons: list })
      .split("\n")
      .find((l) => l.includes(": a − c ="));
    expect(line).toMatch(
      /points, 95% CI \[[-\d.]+, [-\d.]+\] and p = [\d.e-]+ unadjusted; over 3 comparison\(s\): Holm p = [\d.e-]+, Bonferroni p = [\d.e-]+ with CI \[-[\d.]+, [\d.]+\]$/,
    );
    expect(renderMarkdown({ ...data, comparisons: list })).toContain("unadjusted");
  });
});
