/**
 * "Do not know" as a rate of its own. Leaving abstentions out of n is right for the stigma
 * rate, but a model that abstains on half the items is telling us something: this row puts
 * that number beside each stigma row (k = "Do not know", n = answers read).
 */
import type { MetricRow } from "../core/types.js";
import { bootstrapCounts, wilsonInterval } from "./intervals.js";
import { deriveSeed, type Seed } from "./random.js";

export function abstentionRows(
  stigmaRows: readonly MetricRow[],
  options: { seed: Seed; resamples?: number },
): MetricRow[] {
  return stigmaRows
    .filter((row) => row.metric === "stigma")
    .map((row) => {
      const n = row.n + row.dont_know;
      const k = row.dont_know;
      const seed = deriveSeed(
        options.seed,
        "abstention",
        row.suite,
        row.target,
        row.arm,
        row.condition,
      );
      return {
        ...row,
        metric: "abstention",
        n,
        k,
        value: n === 0 ? null : k / n,
        ci95: n === 0 ? null : bootstrapCounts(k, n, { seed, resamples: options.resamples }),
        ci95_wilson: n === 0 ? null : wilsonInterval(k, n),
        ci95_cluster: null,
        dont_know: 0,
      };
    });
}
