/**
 * Pairwise differences between targets, within each suite, arm and metric: pooled
 * two-proportion z-tests for every condition. p-values are adjusted in two families, as
 * Moore et al. grouped them: the overall pairs, and all per-condition pairs together.
 * careprobe reports Holm's adjustment (uniformly more powerful, same error control)
 * beside the paper's Bonferroni, and for stigma also the paper's own test (Welch's t on
 * the 0/1 answers, Bonferroni-adjusted).
 */
import { bonferroni, holm, twoProportionTest } from "../analysis/compare.js";
import { welchTest } from "../analysis/welch.js";
import type { MetricRow } from "../core/types.js";

export interface Comparison {
  suite: string;
  arm: string;
  metric: string;
  condition: string;
  a: string;
  b: string;
  /** value(a) - value(b) */
  diff: number;
  ci95: [number, number];
  /** The z statistic of the two-proportion test; absent for paired permutation tests. */
  z?: number;
  p: number;
  p_holm: number;
  p_bonferroni: number;
  /**
   * Stigma only: Welch's t-test on the 0/1 answers, the test the paper used, with its
   * Bonferroni adjustment over the same family.
   */
  welch_t?: number;
  /** How p was computed, when not by the pooled two-proportion z-test. */
  test?: "paired-permutation";
  /** Paired tests: the personas present under both targets. */
  pairs?: number;
  /** `turn` when the metric is a turn number (differences are in turns, not points). */
  unit?: "turn";
  p_welch?: number;
  p_welch_bonferroni?: number;
}

const COMPARED = new Set(["stigma", "appropriate", "appropriate_no_context"]);

export function comparisons(rows: MetricRow[]): Comparison[] {
  const families = new Map<string, Omit<Comparison, "p_holm" | "p_bonferroni">[]>();
  const usable = rows.filter((r) => COMPARED.has(r.metric) && r.n > 0);
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) {
      const a = usable[i];
      const b = usable[j];
      if (!a || !b) continue;
      if (
        a.suite !== b.suite ||
        a.arm !== b.arm ||
        a.metric !== b.metric ||
        a.condition !== b.condition
      )
        continue;
      if (a.target === b.target) continue;
      const family = JSON.stringify([a.suite, a.arm, a.metric, a.condition === "overall"]);
      const test = twoProportionTest(a.k, a.n, b.k, b.n);
      const welch = a.metric === "stigma" ? welchTest(a.k, a.n, b.k, b.n) : undefined;
      const list = families.get(family) ?? [];
      list.push({
        suite: a.suite,
        arm: a.arm,
        metric: a.metric,
        condition: a.condition,
        a: a.target,
        b: b.target,
        ...test,
        ...(welch ? { welch_t: welch.t, p_welch: welch.p } : {}),
      });
      families.set(family, list);
    }
  }
  const out: Comparison[] = [];
  for (const list of families.values()) {
    const p = list.map((c) => c.p);
    const byHolm = holm(p);
    const byBonferroni = bonferroni(p);
    const welch = list.every((c) => c.p_welch !== undefined)
      ? bonferroni(list.map((c) => c.p_welch ?? 1))
      : undefined;
    list.forEach((c, index) => {
      out.push({
        ...c,
        p_holm: byHolm[index] ?? 1,
        p_bonferroni: byBonferroni[index] ?? 1,
        ...(welch ? { p_welch_bonferroni: welch[index] ?? 1 } : {}),
      });
    });
  }
  return out;
}
