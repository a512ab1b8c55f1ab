/**
 * Agreement between raters who put items into nominal categories (a judge and human
 * annotators, say). Labels are strings; `null` means the rater did not label the item.
 * Pure functions. See docs/design/judge-validation.md for which items enter each
 * coefficient and why.
 *
 * Undefined coefficients are NaN, never a made-up number: a chance-corrected coefficient
 * divides by the disagreement expected by chance, which is zero when every label in the
 * data is the same category (or when no item can be compared). Callers report null there
 * and show percent agreement, which is still defined.
 */
import { type CareprobeError, internalError } from "../core/errors.js";
import type { BootstrapOptions } from "./intervals.js";
import { quantile } from "./intervals.js";
import { createRng, randomInt } from "./random.js";

/** A nominal label, or null when the rater left the item unlabelled. */
export type Label = string | null;

/** The callers are careprobe's own code: a value out of range is a bug (INTERNAL, exit 70). */
function badArgument(message: string): CareprobeError {
  return internalError(message);
}

function checkSameLength(a: readonly Label[], b: readonly Label[]): void {
  if (a.length !== b.length) {
    throw badArgument(`Two raters must label the same items: got ${a.length} and ${b.length}.`);
  }
}

/** Positions where both raters gave a label. */
function bothLabelled(a: readonly Label[], b: readonly Label[]): number[] {
  checkSameLength(a, b);
  const positions: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] != null && b[i] != null) positions.push(i);
  return positions;
}

/** Counts of each value in a map, in one pass. */
function tally(map: Map<string, number>, value: string, by = 1): void {
  map.set(value, (map.get(value) ?? 0) + by);
}

/**
 * Share of items with the same label from both raters, over the items both labelled.
 * NaN when no item was labelled by both.
 */
export function percentAgreement(a: readonly Label[], b: readonly Label[]): number {
  const positions = bothLabelled(a, b);
  let same = 0;
  for (const i of positions) if (a[i] === b[i]) same++;
  return positions.length === 0 ? Number.NaN : same / positions.length;
}

/**
 * Cohen's kappa for two raters over the items both labelled: (p_o − p_e) / (1 − p_e),
 * with p_e = Σ_c p_a(c)·p_b(c) from each rater's own marginal shares. Computed from
 * integer counts, so perfect agreement gives exactly 1. NaN when p_e = 1 (both raters used
 * one and the same category for every item) or when no item was labelled by both.
 */
export function cohenKappa(a: readonly Label[], b: readonly Label[]): number {
  const positions = bothLabelled(a, b);
  const n = positions.length;
  if (n === 0) return Number.NaN;
  const marginalA = new Map<string, number>();
  const marginalB = new Map<string, number>();
  let same = 0;
  for (const i of positions) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) same++;
    tally(marginalA, x);
    tally(marginalB, y);
  }
  let chance = 0; // n² · p_e
  for (const [label, count] of marginalA) chance += count * (marginalB.get(label) ?? 0);
  const denominator = n * n - chance;
  return denominator === 0 ? Number.NaN : (n * same - chance) / denominator;
}

function checkRectangular(ratings: readonly (readonly Label[])[]): number {
  const raters = ratings[0]?.length ?? 0;
  ratings.forEach((row, index) => {
    if (row.length !== raters) {
      throw badArgument(
        `Every item needs one entry per rater (null when unlabelled): item ${index} has ${row.length}, item 0 has ${raters}.`,
      );
    }
  });
  return raters;
}

/**
 * Fleiss' kappa for m ≥ 2 raters; `ratings` is items × raters. Fleiss' formula assumes
 * the same number of ratings for every item, so only items labelled by all raters enter
 * (the others are dropped, not imputed); Krippendorff's alpha is the coefficient that uses
 * incomplete items. NaN when no item is complete or all complete ratings are one category.
 */
export function fleissKappa(ratings: readonly (readonly Label[])[]): number {
  const raters = checkRectangular(ratings);
  if (ratings.length > 0 && raters < 2) throw badArgument("Fleiss' kappa needs at least 2 raters.");
  const totals = new Map<string, number>();
  let items = 0;
  let agreeingPairs = 0; // Σ_i Σ_c n_ic (n_ic − 1): ordered pairs of raters that agree
  for (const row of ratings) {
    if (row.some((label) => label == null)) continue;
    const counts = new Map<string, number>();
    for (const label of row) tally(counts, label as string);
    for (const [label, count] of counts) {
      agreeingPairs += count * (count - 1);
      tally(totals, label, count);
    }
    items++;
  }
  if (items === 0) return Number.NaN;
  const values = items * raters;
  let sumSquares = 0;
  for (const count of totals.values()) sumSquares += count * count;
  const observed = agreeingPairs / (items * raters * (raters - 1)); // P̄
  const chance = sumSquares / (values * values); // P̄_e
  return values * values === sumSquares ? Number.NaN : (observed - chance) / (1 - chance);
}

/**
 * Krippendorff's alpha for nominal labels; `ratings` is items × raters and may hold nulls
 * anywhere (rows may differ in length). Items with fewer than two labels carry no
 * pairable value and are dropped. With n pairable values, n_c of them in category c, and
 * m_u labels on item u: α = 1 − (n − 1) · Σ_u D_u / (n² − Σ_c n_c²), where
 * D_u = (m_u² − Σ_c n_uc²) / (m_u − 1) counts item u's disagreeing ordered pairs
 * (the off-diagonal of the coincidence matrix). NaN when no item has two labels or all
 * pairable values are one category.
 */
export function krippendorffAlpha(ratings: readonly (readonly Label[])[]): number {
  const totals = new Map<string, number>();
  let pairable = 0;
  let disagreement = 0;
  for (const row of ratings) {
    const counts = new Map<string, number>();
    let labels = 0;
    for (const label of row) {
      if (label == null) continue;
      tally(counts, label);
      labels++;
    }
    if (labels < 2) continue;
    let squares = 0;
    for (const [label, count] of counts) {
      squares += count * count;
      tally(totals, label, count);
    }
    disagreement += (labels * labels - squares) / (labels - 1);
    pairable += labels;
  }
  let squares = 0;
  for (const count of totals.values()) squares += count * count;
  const expected = pairable * pairable - squares;
  if (pairable === 0 || expected === 0) return Number.NaN;
  return 1 - ((pairable - 1) * disagreement) / expected;
}

export interface ConfusionMatrix {
  /** Row and column labels, in order. */
  labels: string[];
  /** counts[i][j]: items rater a labelled labels[i] and rater b labelled labels[j]. */
  counts: number[][];
}

/**
 * Cross-tabulation of two raters over the items both labelled: rows are rater a, columns
 * rater b. Labels default to every non-null label either rater used (also on items the
 * other left blank), sorted; pass `labels` to fix the order and shape.
 */
export function confusionMatrix(
  a: readonly Label[],
  b: readonly Label[],
  labels?: readonly string[],
): ConfusionMatrix {
  checkSameLength(a, b);
  const order =
    labels === undefined
      ? [...new Set([...a, ...b].filter((label): label is string => label != null))].sort()
      : [...labels];
  const index = new Map(order.map((label, i) => [label, i]));
  if (index.size !== order.length) throw badArgument("Confusion matrix labels must be distinct.");
  const counts = order.map(() => order.map(() => 0));
  for (const i of bothLabelled(a, b)) {
    const row = index.get(a[i] as string);
    const column = index.get(b[i] as string);
    if (row === undefined || column === undefined) {
      throw badArgument(
        `Label ${JSON.stringify(a[i])} or ${JSON.stringify(b[i])} is not in labels.`,
      );
    }
    (counts[row] as number[])[column] = ((counts[row] as number[])[column] ?? 0) + 1;
  }
  return { labels: order, counts };
}

export interface BootstrapResult {
  /** Percentile interval at the requested level; null when no resample gave a number. */
  interval: [number, number] | null;
  resamples: number;
  /**
   * Resamples whose statistic was undefined (NaN; e.g. a resample with one category
   * only). They are left out of the interval and counted here so a reader can judge it.
   */
  undefinedResamples: number;
}

/**
 * Percentile bootstrap for any statistic of a list of items: draw items.length items with
 * replacement, `resamples` times, from a seeded stream. Resample whole items (all of an
 * item's labels together), because labels of one item by different raters are not
 * independent. The interval depends on the seed and on the items' order. The sample array
 * passed to `statistic` is reused between resamples: read it, do not keep it.
 */
export function bootstrapStatistic<T>(
  items: readonly T[],
  statistic: (sample: readonly T[]) => number,
  options: BootstrapOptions,
): BootstrapResult {
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw badArgument(`resamples must be a positive integer, got ${resamples}.`);
  }
  if (!(level > 0 && level < 1)) {
    throw badArgument(`level must lie strictly between 0 and 1, got ${level}.`);
  }
  if (items.length === 0) throw badArgument("A bootstrap needs at least one item.");
  const random = createRng(options.seed);
  const sample: T[] = items.slice();
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < items.length; i++) sample[i] = items[randomInt(random, items.length)] as T;
    const value = statistic(sample);
    if (!Number.isNaN(value)) values.push(value);
  }
  const undefinedResamples = resamples - values.length;
  if (values.length === 0) return { interval: null, resamples, undefinedResamples };
  const sorted = Float64Array.from(values).sort();
  const tail = (1 - level) / 2;
  return {
    interval: [quantile(sorted, tail), quantile(sorted, 1 - tail)],
    resamples,
    undefinedResamples,
  };
}
