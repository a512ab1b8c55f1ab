/**
 * Paired exact permutation (sign-flip) test over stimuli. Each stimulus gives one paired
 * difference d_i (say, a model's rate on it minus the therapists' rate on it). Under the
 * null hypothesis that the two groups are exchangeable on every stimulus, each d_i is as
 * likely to be −d_i, so the 2^m sign patterns are equally likely; the p-value is the
 * share of them whose |Σ s_i d_i| reaches the observed |Σ d_i|. It assumes nothing about
 * the distribution of the d_i and treats the stimulus, not the answer, as the unit.
 */
import { internalError } from "../core/errors.js";
import { createRng, type Seed } from "./random.js";

/** Up to this many stimuli every sign pattern is enumerated (2^24 ≈ 17 million steps). */
export const EXACT_LIMIT = 24;

export interface PermutationResult {
  /** Mean paired difference over stimuli. */
  mean: number;
  /** Stimuli that entered (every difference counts, zeros included). */
  m: number;
  /** Two-sided p-value. */
  p: number;
  /** True when every sign pattern was enumerated; false for a seeded Monte Carlo estimate. */
  exact: boolean;
}

/** Relative slack so that a pattern that ties the observed sum counts despite rounding. */
const TIE = 1e-9;

function exactCount(d: readonly number[], observed: number): number {
  // Gray-code walk: each step flips one sign, so the sum updates in O(1).
  const m = d.length;
  const signs = new Int8Array(m).fill(1);
  let sum = d.reduce((s, x) => s + x, 0);
  let hits = 0;
  const total = 2 ** m;
  for (let step = 0; step < total; step++) {
    if (Math.abs(sum) >= observed) hits++;
    if (step + 1 === total) break;
    // The bit that changes between gray(step) and gray(step + 1): the lowest set bit of step + 1.
    const next = step + 1;
    const bit = 31 - Math.clz32(next & -next);
    signs[bit] = -(signs[bit] as number) as 1 | -1;
    sum += 2 * (signs[bit] as number) * (d[bit] as number);
  }
  return hits;
}

/**
 * The test for paired differences `d` (one per stimulus). With more than EXACT_LIMIT
 * stimuli it draws `resamples` random sign patterns from `seed` and reports
 * (hits + 1) / (resamples + 1), which never understates the p-value.
 */
export function pairedPermutationTest(
  d: readonly number[],
  options: { seed?: Seed; resamples?: number } = {},
): PermutationResult {
  if (d.length === 0) throw internalError("A permutation test needs at least one stimulus.");
  d.forEach((x, i) => {
    if (!Number.isFinite(x)) {
      throw internalError(`Difference ${i} is not a finite number (${x}).`);
    }
  });
  const m = d.length;
  const total = d.reduce((s, x) => s + x, 0);
  const scale = d.reduce((s, x) => s + Math.abs(x), 0);
  const observed = Math.abs(total) - TIE * Math.max(scale, 1);
  if (m <= EXACT_LIMIT) {
    return { mean: total / m, m, p: exactCount(d, observed) / 2 ** m, exact: true };
  }
  const resamples = options.resamples ?? 100_000;
  const random = createRng(options.seed ?? "permutation");
  let hits = 0;
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (const x of d) sum += random() < 0.5 ? x : -x;
    if (Math.abs(sum) >= observed) hits++;
  }
  return { mean: total / m, m, p: (hits + 1) / (resamples + 1), exact: false };
}
