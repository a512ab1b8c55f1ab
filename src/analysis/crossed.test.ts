import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import {
  type CrossedCell,
  ci95Crossed,
  crossedBootstrapRates,
  pairedCrossedDifference,
} from "./crossed.js";
import { clusterBootstrapProportion, quantile } from "./intervals.js";
import { createRng, randomInt } from "./random.js";

/**
 * An independent implementation written for the test: list every answer, and for each
 * resample build the resampled data set explicitly (every answer of a drawn vignette ×
 * drawn question, once per draw pair), then take its mean. It uses the same seeded draws
 * in the same order (rows, then columns, over ids sorted ascending), so it must give
 * exactly the same bootstrap distribution as the weighted-sum implementation.
 */
function naiveRates(cells: CrossedCell[], seed: string, resamples: number): number[] {
  const used = cells.filter((c) => c.n > 0);
  const rows = [...new Set(used.map((c) => c.row))].sort();
  const cols = [...new Set(used.map((c) => c.col))].sort();
  const answers: Array<{ row: string; col: string; y: number }> = [];
  for (const c of used) {
    for (let i = 0; i < c.n; i++) answers.push({ row: c.row, col: c.col, y: i < c.k ? 1 : 0 });
  }
  const random = createRng(seed);
  const out: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const drawnRows = rows.map(() => rows[randomInt(random, rows.length)] as string);
    const drawnCols = cols.map(() => cols[randomInt(random, cols.length)] as string);
    const resampled: number[] = [];
    for (const r of drawnRows) {
      for (const q of drawnCols) {
        for (const a of answers) if (a.row === r && a.col === q) resampled.push(a.y);
      }
    }
    if (resampled.length > 0) out.push(resampled.reduce((s, y) => s + y, 0) / resampled.length);
  }
  return out.sort((x, y) => x - y);
}

function grid(
  rows: number,
  cols: number,
  f: (r: number, c: number) => [number, number],
): CrossedCell[] {
  const cells: CrossedCell[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [k, n] = f(r, c);
      cells.push({
        row: `v${String(r).padStart(2, "0")}`,
        col: `q${String(c).padStart(2, "0")}`,
        k,
        n,
      });
    }
  }
  return cells;
}

describe("crossedBootstrapRates", () => {
  it("equals an explicit resampling of the answers (independent implementation)", () => {
    const cells = grid(5, 4, (r, c) => [(r * 3 + c) % 3, 2 + ((r + c) % 2)]);
    cells.push({ row: "v09", col: "q00", k: 0, n: 0 });
    const fast = Array.from(crossedBootstrapRates(cells, { seed: "s", resamples: 300 }));
    const slow = naiveRates(cells, "s", 300);
    expect(fast).toHaveLength(300);
    for (const [i, value] of fast.entries()) expect(value).toBeCloseTo(slow[i] as number, 12);
  });

  it("has the bootstrap distribution computed by hand for a 2 × 2 grid", () => {
    // One event, in cell (v0, q0); every cell has one answer. With w = draws of v0 and
    // u = draws of q0 (each 0, 1, 2 with probability 1/4, 1/2, 1/4), the rate is w·u / 4:
    // P(0) = 1 − (3/4)² = 7/16, P(1/4) = 1/4, P(1/2) = 2·(1/2)(1/4) = 1/4, P(1) = 1/16.
    const cells = grid(2, 2, (r, c) => [r === 0 && c === 0 ? 1 : 0, 1]);
    const rates = crossedBootstrapRates(cells, { seed: 7, resamples: 40_000 });
    const share = (v: number) => rates.filter((x) => Math.abs(x - v) < 1e-12).length / rates.length;
    // Within four Monte Carlo standard errors, sqrt(p(1 − p) / 40,000).
    for (const [value, p] of [
      [0, 7 / 16],
      [0.25, 1 / 4],
      [0.5, 1 / 4],
      [1, 1 / 16],
    ] as const) {
      expect(Math.abs(share(value) - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 40_000));
    }
    expect(rates.length).toBe(40_000);
  });
});

describe("ci95Crossed", () => {
  it("is the percentile interval of its resampled rates, seeded and order-free", () => {
    const cells = grid(6, 5, (r, c) => [(r + 2 * c) % 4, 3]);
    const rates = crossedBootstrapRates(cells, { seed: 1, resamples: 2000 });
    const interval = ci95Crossed(cells, { seed: 1, resamples: 2000 });
    expect(interval).toEqual([quantile(rates, 0.025), quantile(rates, 0.975)]);
    expect(ci95Crossed([...cells].reverse(), { seed: 1, resamples: 2000 })).toEqual(interval);
    expect(ci95Crossed(cells, { seed: 2, resamples: 2000 })).not.toEqual(interval);
  });

  it("is a point when every answer is the same", () => {
    expect(
      ci95Crossed(
        grid(3, 3, () => [2, 2]),
        { seed: 1, resamples: 200 },
      ),
    ).toEqual([1, 1]);
  });

  it("widens far beyond the vignette bootstrap when answers vary by question only", () => {
    // 18 identical vignettes (the paper's demographic variants at temperature 0) and 10
    // questions, half answered stigmatizingly by every vignette.
    const cells = grid(18, 10, (_r, c) => [c < 5 ? 1 : 0, 1]);
    const crossed = ci95Crossed(cells, { seed: 3 });
    const byVignette = clusterBootstrapProportion(
      Array.from({ length: 18 }, () => ({ k: 5, n: 10 })),
      { seed: 3 },
    );
    expect(byVignette).toEqual([0.5, 0.5]);
    expect(crossed[0]).toBeLessThan(0.25);
    expect(crossed[1]).toBeGreaterThan(0.75);
  });

  it("rejects bad cells and an empty grid", () => {
    expect(() => ci95Crossed([{ row: "a", col: "b", k: 3, n: 2 }], { seed: 1 })).toThrow(
      CareprobeError,
    );
    expect(() => ci95Crossed([{ row: "a", col: "b", k: 0, n: 0 }], { seed: 1 })).toThrow(
      CareprobeError,
    );
    expect(() =>
      ci95Crossed(
        grid(2, 2, () => [1, 2]),
        { seed: 1, level: 1 },
      ),
    ).toThrow(CareprobeError);
  });
});

describe("pairedCrossedDifference", () => {
  it("uses only matched cells and computes the difference by hand", () => {
    const result = pairedCrossedDifference(
      [
        { row: "v1", col: "q1", k1: 2, n1: 2, k2: 0, n2: 2 },
        { row: "v1", col: "q2", k1: 1, n1: 2, k2: 1, n2: 1 },
        { row: "v2", col: "q1", k1: 1, n1: 1, k2: 0, n2: 0 }, // unmatched: left out
      ],
      { seed: 1, resamples: 500 },
    );
    // Side 1: 3 of 4; side 2: 1 of 3.
    expect(result?.diff).toBeCloseTo(3 / 4 - 1 / 3, 12);
    expect(result).toMatchObject({ cells: 2, n1: 4, n2: 3 });
  });

  it("is exactly zero for identical sides, where two independent intervals overlap widely", () => {
    const cells = grid(8, 6, (r, c) => [(r + c) % 3 === 0 ? 1 : 0, 1]).map((c) => ({
      row: c.row,
      col: c.col,
      k1: c.k,
      n1: c.n,
      k2: c.k,
      n2: c.n,
    }));
    expect(pairedCrossedDifference(cells, { seed: 5, resamples: 500 })).toMatchObject({
      diff: 0,
      ci95: [0, 0],
    });
  });

  it("shares the weights: a constant shift on every item gives a narrow interval", () => {
    // Side 1 says yes on questions 0-4, side 2 on questions 1-4: always 1 item of 10 apart
    // within each vignette, while each side's rate alone varies widely by question.
    const cells = grid(10, 10, (_r, c) => [c < 5 ? 1 : 0, 1]).map((c, i) => ({
      row: c.row,
      col: c.col,
      k1: c.k,
      n1: 1,
      k2: i % 10 === 0 ? 0 : c.k,
      n2: 1,
    }));
    const result = pairedCrossedDifference(cells, { seed: 9 });
    expect(result?.diff).toBeCloseTo(0.1, 12);
    const [low, high] = result?.ci95 ?? [Number.NaN, Number.NaN];
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThanOrEqual(0.31);
    expect(high - low).toBeLessThan(
      ci95Crossed(
        grid(10, 10, (_r, c) => [c < 5 ? 1 : 0, 1]),
        { seed: 9 },
      )[1],
    );
  });

  it("returns null when no cell is answered on both sides", () => {
    expect(
      pairedCrossedDifference([{ row: "a", col: "b", k1: 0, n1: 1, k2: 0, n2: 0 }], { seed: 1 }),
    ).toBeNull();
  });
});
