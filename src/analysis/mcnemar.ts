/**
 * Paired binary outcomes (one item, two versions of a bot): McNemar's exact test on the
 * discordant pairs, and a seeded percentile bootstrap interval for the difference in
 * proportions, resampling pairs.
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
