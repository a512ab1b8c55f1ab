/**
 * Cluster bootstrap of any statistic, and comparisons of two targets paired by cluster
 * (the same personas under both). Pure and seeded: the same data and seed always give the
 * same interval and p-value. See docs/design/conversations.md.
 */
import { internalError } from "../core/errors.js";
import type { BootstrapOptions } from "./intervals.js";
import { createRng, randomInt } from "./random.js";

/**
 * A statistic of a resample of clusters. Return `Infinity` for "beyond the data" (a median
 * not reached), null when the statistic is undefined for that resample.
 */
export type ClusterStatistic<T> = (clusters: readonly T[]) => number | null;

function settings(options: BootstrapOptions): { resamples: number; level: number } {
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw internalError(`resamples must be a positive integer, got ${resamples}.`);
  }
  if (!(level > 0 && level < 1)) {
    throw internalError(`level must lie strictly between 0 and 1, got ${level}.`);
  }
  return { resamples, level };
}

/** Type-7 quantile of ascending values that may include ±Infinity (no NaN from ∞ − ∞). */
export function extendedQuantile(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const fraction = position - below;
  if (fraction === 0 || below + 1 >= sorted.length) return low;
  const high = sorted[below + 1] as number;
  if (!Number.isFinite(low) || !Number.isFinite(high)) return low === high ? low : high;
  return low + fraction * (high - low);
}

export interface ClusterInterval {
  /** The bounds; null where the bound lies beyond the data (e.g. a median not reached). */
  bounds: [number | null, number | null];
  /** Resamples for which the statistic was undefined and that were left out. */
  undefinedResamples: number;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Percentile interval of the statistic over `resamples` draws of whole clusters. */
export function clusterBootstrapStatistic<T>(
  clusters: readonly T[],
  statistic: ClusterStatistic<T>,
  options: BootstrapOptions,
): ClusterInterval {
  const { resamples, level } = settings(options);
  if (clusters.length === 0) {
    throw internalError("A cluster bootstrap needs at least one cluster.");
  }
  const random = createRng(options.seed);
  const values: number[] = [];
  const draw: T[] = new Array(clusters.length);
  for (let b = 0; b < resamples; b++) {
    for (let c = 0; c < clusters.length; c++) {
      draw[c] = clusters[randomInt(random, clusters.length)] as T;
    }
    const value = statistic(draw);
    if (value !== null && !Number.isNaN(value)) values.push(value);
  }
  if (values.length === 0) return { bounds: [null, null], undefinedResamples: resamples };
  values.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    bounds: [
      finiteOrNull(extendedQuantile(values, tail)),
      finiteOrNull(extendedQuantile(values, 1 - tail)),
    ],
    undefinedResamples: resamples - values.length,
  };
}

export interface PairedComparison {
  /** Clusters present under both targets. */
  pairs: number;
  /** statistic(a) − statistic(b) over the paired clusters; null when undefined. */
  diff: number | null;
  /** Paired cluster bootstrap percentile interval of the difference. */
  ci95: [number, number] | null;
  /**
   * Two-sided p-value of a paired permutation test: within each cluster the two targets'
   * data are swapped at random; p = (1 + #{|diff*| ≥ |diff|}) / (1 + permutations).
   */
  p: number | null;
}

export interface PairedOptions extends BootstrapOptions {
  /** Random sign flips for the p-value; default 10,000. */
  permutations?: number;
}

function differenceOf<T>(
  statistic: ClusterStatistic<T>,
  a: readonly T[],
  b: readonly T[],
): number | null {
  const sa = statistic(a);
  const sb = statistic(b);
  if (sa === null || sb === null || !Number.isFinite(sa) || !Number.isFinite(sb)) return null;
  return sa - sb;
}

/**
 * Compares two targets on the same clusters (personas): the bootstrap resamples clusters
 * and keeps each cluster's two halves together, so differences between clusters cancel
 * and only the targets' difference remains. Resamples where the statistic is undefined
 * are left out.
 */
export function pairedClusterComparison<T>(
  pairs: ReadonlyArray<{ a: T; b: T }>,
  statistic: ClusterStatistic<T>,
  options: PairedOptions,
): PairedComparison {
  const { resamples, level } = settings(options);
  const as = pairs.map((pair) => pair.a);
  const bs = pairs.map((pair) => pair.b);
  const diff = pairs.length === 0 ? null : differenceOf(statistic, as, bs);
  if (diff === null) return { pairs: pairs.length, diff: null, ci95: null, p: null };
  const random = createRng(options.seed);
  const drawA: T[] = new Array(pairs.length);
  const drawB: T[] = new Array(pairs.length);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let c = 0; c < pairs.length; c++) {
      const pick = randomInt(random, pairs.length);
      drawA[c] = as[pick] as T;
      drawB[c] = bs[pick] as T;
    }
    const value = differenceOf(statistic, drawA, drawB);
    if (value !== null) values.push(value);
  }
  values.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  const ci95: [number, number] | null =
    values.length === 0
      ? null
      : [extendedQuantile(values, tail), extendedQuantile(values, 1 - tail)];
  const permutations = options.permutations ?? 10_000;
  const flip = createRng(`${String(options.seed)}/permutation`);
  let extreme = 0;
  for (let r = 0; r < permutations; r++) {
    for (let c = 0; c < pairs.length; c++) {
      const swap = flip() < 0.5;
      drawA[c] = (swap ? bs[c] : as[c]) as T;
      drawB[c] = (swap ? as[c] : bs[c]) as T;
    }
    const value = differenceOf(statistic, drawA, drawB);
    // A tolerance, so that ties computed in a different order still count as ties.
    if (value !== null && Math.abs(value) >= Math.abs(diff) - 1e-12) extreme++;
  }
  return { pairs: pairs.length, diff, ci95, p: (1 + extreme) / (1 + permutations) };
}
