/**
 * Judge position bias. A yes/no judge that prefers the first option answers "yes" more
 * often when "yes" is listed first; a judge asked both orders of the same check and
 * giving different answers has flipped. Pure: judgements in, counts and rates out.
 */
import { internalError } from "../core/errors.js";
import { erfc } from "./compare.js";
import { wilsonInterval, Z_95 } from "./intervals.js";

export type YesNo = "yes" | "no";

/** One scored judgement: where "yes" stood (0: option A) and what the judge answered. */
export interface PositionedJudgement {
  yesPosition: 0 | 1;
  answer: YesNo;
}

export interface ShareRow {
  k: number;
  n: number;
  value: number | null;
  ci95_wilson: [number, number] | null;
}

export interface YesByPosition {
  /** Share of "yes" when yes was option A. */
  yesFirst: ShareRow;
  /** Share of "yes" when yes was option B. */
  yesSecond: ShareRow;
  /**
   * Odds of "yes" when yes is first over the odds when it is second; 1 means no position
   * effect. With an empty cell 0.5 is added to every cell (Haldane–Anscombe).
   */
  oddsRatio: number | null;
  /** Woolf's 95% interval for the odds ratio (on the log scale). */
  ci95: [number, number] | null;
  /** Two-sided p of the Wald test of log odds ratio = 0. */
  p: number | null;
}

function share(k: number, n: number): ShareRow {
  return {
    k,
    n,
    value: n === 0 ? null : k / n,
    ci95_wilson: n === 0 ? null : wilsonInterval(k, n),
  };
}

/** Share of "yes" by where "yes" was listed, and the odds ratio between the two. */
export function yesByPosition(judgements: readonly PositionedJudgement[]): YesByPosition {
  const counts = [
    { yes: 0, no: 0 },
    { yes: 0, no: 0 },
  ];
  for (const j of judgements) {
    if (j.yesPosition !== 0 && j.yesPosition !== 1) {
      throw internalError(`yesPosition must be 0 or 1, got ${String(j.yesPosition)}.`);
    }
    const cell = counts[j.yesPosition] as { yes: number; no: number };
    if (j.answer === "yes") cell.yes++;
    else if (j.answer === "no") cell.no++;
    else throw internalError(`A judgement must be yes or no, got ${String(j.answer)}.`);
  }
  const [first, second] = counts as [{ yes: number; no: number }, { yes: number; no: number }];
  const result: YesByPosition = {
    yesFirst: share(first.yes, first.yes + first.no),
    yesSecond: share(second.yes, second.yes + second.no),
    oddsRatio: null,
    ci95: null,
    p: null,
  };
  if (first.yes + first.no === 0 || second.yes + second.no === 0) return result;
  const cells = [first.yes, first.no, second.yes, second.no];
  const add = cells.some((c) => c === 0) ? 0.5 : 0;
  const [a, b, c, d] = cells.map((x) => x + add) as [number, number, number, number];
  const logOr = Math.log((a * d) / (b * c));
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return {
    ...result,
    oddsRatio: Math.exp(logOr),
    ci95: [Math.exp(logOr - Z_95 * se), Math.exp(logOr + Z_95 * se)],
    p: Math.min(1, erfc(Math.abs(logOr / se) / Math.SQRT2)),
  };
}

/** One check judged in both orders: the answer under each (null when unreadable). */
export interface JudgedBothOrders {
  yesFirst: YesNo | null;
  yesSecond: YesNo | null;
}

/** Flip rate: among checks read in both orders, the share whose two answers differ. */
export function flipRate(pairs: readonly JudgedBothOrders[]): ShareRow & { unreadable: number } {
  let n = 0;
  let k = 0;
  let unreadable = 0;
  for (const pair of pairs) {
    if (pair.yesFirst === null || pair.yesSecond === null) {
      unreadable++;
      continue;
    }
    n++;
    if (pair.yesFirst !== pair.yesSecond) k++;
  }
  return { ...share(k, n), unreadable };
}
