/**
 * Pairwise differences between targets on the overall appropriate-response rate, within
 * each (suite, arm): two-proportion z-tests with Holm's correction across all pairs.
 */
import { holm, twoProportionTest } from "../analysis/compare.js";
import type { MetricRow } from "../core/types.js";

export interface Comparison {
  suite: string;
  arm: string;
  metric: string;
  a: string;
  b: string;
  /** value(a) - value(b) */
  diff: number;
  ci95: [number, number];
  z: number;
  p: number;
  p_holm: number;
}

export function comparisons(rows: MetricRow[]): Comparison[] {
  const overall = rows.filter(
    (r) => r.metric === "appropriate" && r.condition === "overall" && r.n > 0,
  );
  const raw: Omit<Comparison, "p_holm">[] = [];
  for (let i = 0; i < overall.length; i++) {
    for (let j = i + 1; j < overall.length; j++) {
      const a = overall[i];
      const b = overall[j];
      if (!a || !b || a.suite !== b.suite || a.arm !== b.arm) continue;
      const test = twoProportionTest(a.k, a.n, b.k, b.n);
      raw.push({
        suite: a.suite,
        arm: a.arm,
        metric: "appropriate",
        a: a.target,
        b: b.target,
        ...test,
      });
    }
  }
  const adjusted = holm(raw.map((c) => c.p));
  return raw.map((c, index) => ({ ...c, p_holm: adjusted[index] ?? 1 }));
}
