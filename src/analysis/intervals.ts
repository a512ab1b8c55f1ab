/**
 * Confidence intervals for proportions. Pure functions; every random draw comes from a
 * seeded stream, so the same data and seed always give the same interval.
 * See docs/design/statistics.md for why careprobe reports these.
 */
import { type CareprobeError, internalError } from "../core/errors.js";
import { createRandomSource, createRng, randomInt, type Seed } from "./random.js";

/** The 97.5% quantile of the standard normal: a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface BootstrapOptions {
  seed: Seed;
  /** Number of bootstrap resamples; default 10,000. */
  resamples?: number;
  /** Coverage of the interval; default 0.95. */
  level?: number;
}

/** The callers are careprobe's own code: a value out of range is a bug (INTERNAL, exit 70). */
function badArgument(message: string): CareprobeError {
  return internalError(message);
}

function checkCounts(k: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw badArgument(`A proportion needs a positive integer n, got ${n} (report null for n = 0).`);
  }
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw badArgument(`A count k must be an integer in [0, n = ${n}], got ${k}.`);
  }
}

function resolveOptions(options: BootstrapOptions): { resamples: number; level: number } {
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw badArgument(`resamples must be a positive integer, got ${resamples}.`);
  }
  if (!(level > 0 && level < 1)) {
    throw badArgument(`level must lie strictly between 0 and 1, got ${level}.`);
  }
  return { resamples, level };
}

/**
 * Wilson score interval for k events in n trials. Unlike the normal approximation it
 * stays inside [0, 1] and is not degenerate at k = 0 or k = n. Throws for n = 0: there
 * is no interval, and callers report null.
 */
export function wilsonInterval(k: number, n: number, z = Z_95): [number, number] {
  checkCounts(k, n);
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 and k = n the bound is exactly 0 or 1; pin it against rounding.
  const lower = k === 0 ? 0 : Math.max(0, center - half);
  const upper = k === n ? 1 : Math.min(1, center + half);
  return [lower, upper];
}

/**
 * The p-quantile of ascending data by linear interpolation between order statistics:
 * position h = (N − 1)·p, value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). This is
 * Hyndman & Fan's type 7, the default of numpy.quantile and of R's quantile().
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const count = sorted.length;
  if (count === 0) throw badArgument("quantile of an empty sample is undefined.");
  if (!(p >= 0 && p <= 1)) throw badArgument(`quantile needs p in [0, 1], got ${p}.`);
  const position = (count - 1) * p;
  const below = Math.floor(position);
  const lowerValue = sorted[below] as number;
  if (below + 1 >= count) return lowerValue;
  const upperValue = sorted[below + 1] as number;
  return lowerValue + (position - below) * (upperValue - lowerValue);
}

/** Equal-tailed percentile interval from bootstrap statistics (sorted in place). */
function percentileInterval(statistics: Float64Array, level: number): [number, number] {
  statistics.sort();
  const tail = (1 - level) / 2;
  return [quantile(statistics, tail), quantile(statistics, 1 - tail)];
}

/**
 * Percentile bootstrap for k events among n 0/1 observations, resampling the n
 * observations with replacement. Only the counts matter: the observations are taken in
 * the order "k ones, then n − k zeros", so a draw at index ⌊u·n⌋ is a one exactly when
 * u < k/n. The interval therefore depends on (k, n, seed) and not on the order the data
 * arrived in, and a draw needs no memory access (about 2 ns a draw on one core).
 */
export function bootstrapCounts(k: number, n: number, options: BootstrapOptions): [number, number] {
  checkCounts(k, n);
  const { resamples, level } = resolveOptions(options);
  // Every resample of an all-zero or all-one sample is the sample itself.
  if (k === 0 || k === n) return [k / n, k / n];
  const source = createRandomSource(options.seed);
  const statistics = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    statistics[b] = source.countBelow(n, k / n) / n;
  }
  return percentileInterval(statistics, level);
}

/**
 * Percentile bootstrap interval for the mean of 0/1 outcomes (1 = event). Seeded and
 * deterministic; see `bootstrapCounts` for how the resampling is done.
 */
export function bootstrapProportion(
  outcomes: ArrayLike<number>,
  options: BootstrapOptions,
): [number, number] {
  let k = 0;
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i];
    if (outcome === 1) k++;
    else if (outcome !== 0) {
      throw badArgument(`Outcomes must be 0 or 1; position ${i} holds ${String(outcome)}.`);
    }
  }
  return bootstrapCounts(k, outcomes.length, options);
}

/** One resampling unit of a cluster bootstrap: k events among its n observations. */
export interface ClusterCount {
  k: number;
  n: number;
}

/**
 * Cluster (block) bootstrap for a pooled proportion: resample whole clusters (e.g. all
 * answers about one vignette) with replacement and take Σk / Σn. Answers about the same
 * vignette are not independent, so this interval is the honest one when they correlate.
 *
 * Clusters with n = 0 carry no observation and are left out before resampling. The
 * clusters are put in a canonical order first, so the interval does not depend on the
 * order they were passed in.
 */
export function clusterBootstrapProportion(
  clusters: ReadonlyArray<ClusterCount>,
  options: BootstrapOptions,
): [number, number] {
  const { resamples, level } = resolveOptions(options);
  for (const cluster of clusters) checkClusterCounts(cluster);
  const used = clusters
    .filter((cluster) => cluster.n > 0)
    .map((cluster) => ({ k: cluster.k, n: cluster.n }))
    .sort((a, b) => a.n - b.n || a.k - b.k);
  if (used.length === 0) {
    throw badArgument("A cluster bootstrap needs at least one cluster with n > 0.");
  }
  const ks = Float64Array.from(used, (cluster) => cluster.k);
  const ns = Float64Array.from(used, (cluster) => cluster.n);
  const count = used.length;
  const random = createRng(options.seed);
  const statistics = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let events = 0;
    let total = 0;
    for (let c = 0; c < count; c++) {
      const pick = randomInt(random, count);
      events += ks[pick] as number;
      total += ns[pick] as number;
    }
    statistics[b] = events / total;
  }
  return percentileInterval(statistics, level);
}

function checkClusterCounts(cluster: ClusterCount): void {
  const { k, n } = cluster;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n) {
    throw badArgument(`A cluster needs integers 0 <= k <= n, got k = ${k}, n = ${n}.`);
  }
}
