/**
 * Pairwise differences between targets, within each suite, arm and metric: pooled
 * two-proportion z-tests for every condition. p-values are adjusted in two families, as
 * Moore et al. grouped them: the overall pairs, and all per-condition pairs together.
 * careprobe reports Holm's adjustment (uniformly more powerful, same error control)
 * beside the paper's Bonferroni, and for stigma also the paper's own test (Welch's t on
 * the 0/1 answers, Bonferroni-adjusted).
 *
 * The interval goes with the test: `ci95` is the score interval that inverts the same
 * pooled z-test, so it excludes 0 exactly when the unadjusted `p` is below 0.05, and
 * `ci95_bonferroni` (level 1 − 0.05/m over the family's m comparisons) excludes 0 exactly
 * when `p_bonferroni` is. A Wald interval beside a pooled test could contradict it.
 */
import { bonferroni, holm, twoProportionTest } from "../analysis/compare.js";
import type { ConversationComparison } from "../analysis/conversations-compare.js";
import { normalQuantile, scoreInterval } from "../analysis/score-interval.js";
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
  /**
   * 95% score interval of the difference, unadjusted: the differences the same z-test as
   * `p` does not reject (it excludes 0 exactly when p < 0.05).
   */
  ci95: [number, number];
  /** The unpooled Wald interval that careprobe 0.1 reported as `ci95`. */
  ci95_wald: [number, number];
  /** The score interval at the Bonferroni level 1 − 0.05/family_size (pairs with p_bonferroni). */
  ci95_bonferroni: [number, number];
  /** The comparisons in this one's family (what Holm and Bonferroni adjust over). */
  family_size: number;
  /** The pooled two-proportion z statistic, and its two-sided p-value, unadjusted. */
  z: number;
  p: number;
  p_holm: number;
  p_bonferroni: number;
  /**
   * Stigma only: Welch's t-test on the 0/1 answers, the test the paper used, with its
   * Bonferroni adjustment over the same family.
   */
  welch_t?: number;
  p_welch?: number;
  p_welch_bonferroni?: number;
}

/**
 * A comparison in a report: a pooled z-test between rates (above), or one a kind computed
 * itself, paired by cluster (conversations: by persona, `test: "paired-permutation"`).
 */
export type ReportComparison = Comparison | ConversationComparison;

/** Whether a comparison was paired by cluster (a permutation test, no z or Wald interval). */
export const isPaired = (c: ReportComparison): c is ConversationComparison =>
  "test" in c && c.test === "paired-permutation";

const COMPARED = new Set(["stigma", "appropriate", "appropriate_no_context"]);

type Unadjusted = Omit<Comparison, "p_holm" | "p_bonferroni" | "ci95_bonferroni" | "family_size">;

export function comparisons(rows: MetricRow[]): Comparison[] {
  const families = new Map<
    string,
    Array<Unadjusted & { counts: [number, number, number, number] }>
  >();
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
        diff: test.diff,
        ci95: scoreInterval(a.k, a.n, b.k, b.n),
        ci95_wald: test.ci95,
        z: test.z,
        p: test.p,
        counts: [a.k, a.n, b.k, b.n],
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
    // Φ⁻¹(1 − 0.025/m): the two-sided critical value at level 1 − 0.05/m.
    const critical = normalQuantile(1 - 0.025 / list.length);
    list.forEach(({ counts, ...c }, index) => {
      out.push({
        ...c,
        ci95_bonferroni: scoreInterval(...counts, critical),
        family_size: list.length,
        p_holm: byHolm[index] ?? 1,
        p_bonferroni: byBonferroni[index] ?? 1,
        ...(welch ? { p_welch_bonferroni: welch[index] ?? 1 } : {}),
      });
    });
  }
  return out;
}
