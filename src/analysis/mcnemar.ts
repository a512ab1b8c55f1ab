/**
 * Paired binary outcomes (one item, two versions of a bot): McNemar's exact test on the
 * discordant pairs, the exact interval for the difference in proportions that goes with
 * it, and a seeded percentile bootstrap interval resampling pairs.
 */
import { quantile } from "./intervals.js";
import { createRng, type Seed } from "./random.js";

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * Two-sided exact McNemar p-value: with b and c the discordant counts, twice the binomial
 * (b + c, 1/2) probability of a split at least as uneven as the one seen, capped at 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const low = Math.min(b, c);
  const logHalf = n * Math.log(0.5);
  let tail = 0;
  for (let i = 0; i <= low; i++) tail += Math.exp(logChoose(n, i) + logHalf);
  return Math.min(1, 2 * tail);
}

/** P(X ≤ k) for X ~ binomial(m, π), summed in log space. */
function binomialAtMost(k: number, m: number, pi: number): number {
  if (k < 0) return 0;
  if (k >= m || pi <= 0) return 1;
  if (pi >= 1) return 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(logChoose(m, i) + i * Math.log(pi) + (m - i) * Math.log(1 - pi));
  }
  return Math.min(1, sum);
}

/** The π in [0, 1] where the decreasing function f(π) crosses `target`, by bisection. */
function solve(f: (pi: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let step = 0; step < 200 && hi - lo > 1e-15; step++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The 95% interval for (c − b) / n that goes with McNemar's exact test: given the
 * m = b + c pairs that changed, the Clopper–Pearson interval for the share π = c / m that
 * went from no event to event, mapped to the difference (m / n)(2π − 1). It excludes 0
 * exactly when mcnemarExact(b, c) < 0.05 (π = 1/2 is outside it exactly when one binomial
 * tail at 1/2 is below 0.025), which a bootstrap over pairs beside that test does not
 * (5 pairs changed, all one way, of 100: bootstrap [−9, −1] points beside p = 0.0625).
 */
export function exactPairedInterval(b: number, c: number, n: number): [number, number] {
  const m = b + c;
  if (n === 0 || m === 0) return [0, 0];
  // Lower: P(X ≥ c | π) = 0.025, i.e. P(X ≤ c − 1 | π) = 0.975; upper: P(X ≤ c | π) = 0.025.
  const lower = c === 0 ? 0 : solve((pi) => binomialAtMost(c - 1, m, pi), 0.975);
  const upper = c === m ? 1 : solve((pi) => binomialAtMost(c, m, pi), 0.025);
  return [(m / n) * (2 * lower - 1), (m / n) * (2 * upper - 1)];
}

/**
 * 95% percentile bootstrap of (c − b) / n over n pairs, where b pairs went from event to
 * no event and c from no event to event; concordant pairs add nothing but weight.
 */
export function pairedDifferenceInterval(
  b: number,
  c: number,
  n: number,
  options: { seed: Seed; resamples?: number },
): [number, number] {
  if (n === 0) return [0, 0];
  const random = createRng(options.seed);
  const resamples = options.resamples ?? 10_000;
  const pb = b / n;
  const pc = (b + c) / n;
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let db = 0;
    let dc = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      if (u < pb) db++;
      else if (u < pc) dc++;
    }
    diffs[r] = (dc - db) / n;
  }
  diffs.sort();
  return [quantile(diffs, 0.025), quantile(diffs, 0.975)];
}
