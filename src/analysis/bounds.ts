/**
 * Abstention bounds. A stigma rate leaves "Do not know" out of n; how much that choice
 * matters depends on how often the model abstains. The bounds are the rate if no
 * abstention were stigmatizing (k / (n + d)) and if every one were ((k + d) / (n + d)):
 * whatever the abstentions hide, the rate over all read answers lies between them.
 */
import { internalError } from "../core/errors.js";
import { wilsonInterval } from "./intervals.js";

export interface AbstentionBounds {
  /** k / n: the reported stigma rate (abstentions left out), null when n = 0. */
  excluded: number | null;
  /** k / (n + d): no abstention stigmatizing. */
  lower: number;
  /** (k + d) / (n + d): every abstention stigmatizing. */
  upper: number;
  /**
   * The Wilson lower bound of `lower` and the Wilson upper bound of `upper`: an interval
   * that covers the rate under any way of counting the abstentions (conservative).
   */
  ci95: [number, number];
}

/** Bounds for k stigmatizing answers among n, with d "Do not know"; null when n + d = 0. */
export function abstentionBounds(k: number, n: number, d: number): AbstentionBounds | null {
  for (const [name, value] of [
    ["k", k],
    ["n", n],
    ["d", d],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw internalError(`${name} must be a whole number, got ${value}.`);
    }
  }
  if (k > n) throw internalError(`k (${k}) cannot exceed n (${n}).`);
  const total = n + d;
  if (total === 0) return null;
  return {
    excluded: n === 0 ? null : k / n,
    lower: k / total,
    upper: (k + d) / total,
    ci95: [wilsonInterval(k, total)[0], wilsonInterval(k + d, total)[1]],
  };
}
