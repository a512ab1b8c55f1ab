/**
 * `position_bias`: how far the letters a model chose depart from what the options'
 * meanings predict, across the orders a counterbalanced run showed. For each question the
 * model's distribution over meanings is estimated from all its answers (every order
 * pooled); mapping it through each item's order predicts a distribution over positions.
 * The row's value is the total variation distance between the observed and predicted
 * position distributions: 0 when the model answers by meaning alone, 0.5 for a model that
 * always picks A when half the items are reversed. Under a fixed order observed and
 * predicted coincide by construction, so the row is only reported for other orders.
 */
import type { MetricRow } from "../core/types.js";

/** Where a readable answer fell: the item's permutation and the position chosen. */
export interface OptionPlacement {
  suite: string;
  target: string;
  arm: string;
  questionId: string;
  /** perm[j]: suite-order index of the option shown at position j. */
  perm: number[];
  /** The position (0 = A) of the chosen option as shown. */
  shown: number;
}

/** A position bias at or above this is flagged. */
export const POSITION_BIAS_WARNING = 0.2;

/** Total variation distance between observed and meaning-predicted positions, with n. */
export function positionBias(
  placements: readonly OptionPlacement[],
): { value: number; n: number } | null {
  if (placements.length === 0) return null;
  const meaningCounts = new Map<string, Map<number, number>>();
  const perQuestion = new Map<string, number>();
  for (const p of placements) {
    const counts = meaningCounts.get(p.questionId) ?? new Map<number, number>();
    const meaning = p.perm[p.shown] as number;
    counts.set(meaning, (counts.get(meaning) ?? 0) + 1);
    meaningCounts.set(p.questionId, counts);
    perQuestion.set(p.questionId, (perQuestion.get(p.questionId) ?? 0) + 1);
  }
  const observed = new Map<number, number>();
  const predicted = new Map<number, number>();
  for (const p of placements) {
    observed.set(p.shown, (observed.get(p.shown) ?? 0) + 1);
    const counts = meaningCounts.get(p.questionId) as Map<number, number>;
    const total = perQuestion.get(p.questionId) as number;
    p.perm.forEach((meaning, position) => {
      predicted.set(position, (predicted.get(position) ?? 0) + (counts.get(meaning) ?? 0) / total);
    });
  }
  const positions = new Set([...observed.keys(), ...predicted.keys()]);
  let distance = 0;
  for (const position of positions) {
    distance += Math.abs((observed.get(position) ?? 0) - (predicted.get(position) ?? 0));
  }
  return { value: distance / 2 / placements.length, n: placements.length };
}

/** One `position_bias` row per (suite, target, arm) of a run whose options were not fixed. */
export function positionBiasRows(
  runs: ReadonlyArray<{ optionOrder?: string; placements?: OptionPlacement[] }>,
): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const run of runs) {
    const first = run.placements?.[0];
    if (!run.optionOrder || run.optionOrder === "fixed" || !first) continue;
    const bias = positionBias(run.placements ?? []);
    if (!bias) continue;
    rows.push({
      suite: first.suite,
      target: first.target,
      arm: first.arm,
      metric: "position_bias",
      condition: "all",
      n: bias.n,
      // Not a count: the share of answers that would have to move (value) is the measure.
      k: 0,
      value: bias.value,
      ci95: null,
      ci95_wilson: null,
      dont_know: 0,
      unparsed: 0,
      errors: 0,
      ...(bias.value >= POSITION_BIAS_WARNING
        ? {
            warnings: [
              `answers follow the option position, not its meaning: ${(bias.value * 100).toFixed(0)}% of ${bias.n} answers would have to move to match what the meanings predict (${run.optionOrder} order)`,
            ],
          }
        : {}),
    });
  }
  return rows;
}
