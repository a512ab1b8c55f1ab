import { describe, expect, it } from "vitest";
import {
  bootstrapStatistic,
  cohenKappa,
  confusionMatrix,
  fleissKappa,
  krippendorffAlpha,
  type Label,
  percentAgreement,
} from "./agreement.js";

/** Two label lists from a 2×2 table: [both yes, a yes b no, a no b yes, both no]. */
function fromTable(cells: [number, number, number, number]): [Label[], Label[]] {
  const pairs: Array<[string, string]> = [
    ...Array<[string, string]>(cells[0]).fill(["yes", "yes"]),
    ...Array<[string, string]>(cells[1]).fill(["yes", "no"]),
    ...Array<[string, string]>(cells[2]).fill(["no", "yes"]),
    ...Array<[string, string]>(cells[3]).fill(["no", "no"]),
  ];
  return [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1])];
}

/** Items × raters from per-item category counts (Fleiss' layout). */
function fromCounts(rows: number[][], categories: string[]): string[][] {
  return rows.map((row) =>
    row.flatMap((count, c) => Array<string>(count).fill(categories[c] ?? "")),
  );
}

describe("percentAgreement and cohenKappa", () => {
  it("matches the 2×2 example worked by hand", () => {
    // 50 items: 20 both yes, 5 a-yes/b-no, 10 a-no/b-yes, 15 both no.
    // p_o = (20 + 15) / 50 = 0.7. Marginals: a says yes 25/50 = 0.5, b says yes 30/50 = 0.6.
    // p_e = 0.5·0.6 + 0.5·0.4 = 0.5. κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    const [a, b] = fromTable([20, 5, 10, 15]);
    expect(percentAgreement(a, b)).toBeCloseTo(0.7, 12);
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 12);
  });

  it("uses only the items both raters labelled", () => {
    // Pairs both labelled: (x,x) (x,y) (y,y) (y,y). p_o = 3/4.
    // a: x 2, y 2; b: x 1, y 3. p_e = (2·1 + 2·3) / 16 = 0.5. κ = (0.75 − 0.5) / 0.5 = 0.5.
    const a: Label[] = ["x", "x", "y", "y", null, "x", null];
    const b: Label[] = ["x", "y", "y", "y", "y", null, null];
    expect(percentAgreement(a, b)).toBe(0.75);
    expect(cohenKappa(a, b)).toBeCloseTo(0.5, 12);
  });

  it("gives 1 for perfect agreement and can go below 0", () => {
    expect(cohenKappa(["a", "b", "c", "a"], ["a", "b", "c", "a"])).toBe(1);
    // Always disagreeing on a balanced 2×2: p_o = 0, p_e = 0.5, κ = −1.
    expect(cohenKappa(["a", "b"], ["b", "a"])).toBe(-1);
  });

  it("is NaN when undefined: one category throughout, or nothing to compare", () => {
    // p_e = 1: there is no chance disagreement to correct for.
    expect(cohenKappa(["yes", "yes", "yes"], ["yes", "yes", "yes"])).toBeNaN();
    expect(percentAgreement(["yes", "yes"], ["yes", "yes"])).toBe(1);
    expect(cohenKappa(["yes", null], [null, "no"])).toBeNaN();
    expect(percentAgreement([], [])).toBeNaN();
  });

  it("is 0 when one rater is constant and the other is not (the kappa paradox)", () => {
    // p_o = 19/20 but b never varies: p_e = 19/20 as well, so κ = 0.
    const a: Label[] = [...Array<string>(19).fill("no"), "yes"];
    const b: Label[] = Array<string>(20).fill("no");
    expect(percentAgreement(a, b)).toBe(0.95);
    expect(cohenKappa(a, b)).toBe(0);
  });

  it("rejects label lists of different lengths", () => {
    expect(() => cohenKappa(["a"], ["a", "b"])).toThrow(/same items/);
  });
});

describe("fleissKappa", () => {
  it("matches a 3-rater, 2-category example worked by hand", () => {
    // P_i = (Σ_c n_ic² − 3) / (3·2): xxx → 1, xxy → (4+1−3)/6 = 1/3, yyy → 1, xyy → 1/3.
    // P̄ = (1 + 1/3 + 1 + 1/3) / 4 = 2/3. Totals x 6, y 6 of 12: P̄_e = 0.25 + 0.25 = 0.5.
    // κ = (2/3 − 1/2) / (1 − 1/2) = 1/3. The fifth item lacks a label and is left out.
    const ratings: Label[][] = [
      ["x", "x", "x"],
      ["x", "x", "y"],
      ["y", "y", "y"],
      ["x", "y", "y"],
      ["x", null, "y"],
    ];
    expect(fleissKappa(ratings)).toBeCloseTo(1 / 3, 12);
  });

  it("matches a 3-rater, 3-category example worked by hand", () => {
    // P_i: aaa 1, abb (1+4−3)/6 = 1/3, ccc 1, abc (3−3)/6 = 0, bbb 1 → P̄ = (10/3)/5 = 2/3.
    // Totals a 5, b 6, c 4 of 15: P̄_e = (25 + 36 + 16) / 225 = 77/225.
    // κ = (150/225 − 77/225) / (148/225) = 73/148 ≈ 0.493243.
    const ratings = [
      ["a", "a", "a"],
      ["a", "b", "b"],
      ["c", "c", "c"],
      ["a", "b", "c"],
      ["b", "b", "b"],
    ];
    expect(fleissKappa(ratings)).toBeCloseTo(73 / 148, 12);
  });

  it("reproduces Fleiss (1971): 10 items, 14 raters, 5 categories, κ ≈ 0.210", () => {
    // The example table of Fleiss' paper, as category counts per item; P̄ = 0.378022,
    // P̄_e = 0.212755, κ = (0.378022 − 0.212755) / (1 − 0.212755) = 0.209931.
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const ratings = fromCounts(counts, ["1", "2", "3", "4", "5"]);
    expect(fleissKappa(ratings)).toBeCloseTo(0.209931, 6);
  });

  it("equals 1 for perfect agreement and is NaN for one category or no complete item", () => {
    expect(
      fleissKappa([
        ["a", "a"],
        ["b", "b"],
        ["a", "a"],
      ]),
    ).toBe(1);
    expect(
      fleissKappa([
        ["a", "a", "a"],
        ["a", "a", "a"],
      ]),
    ).toBeNaN();
    expect(
      fleissKappa([
        ["a", null],
        [null, "b"],
      ]),
    ).toBeNaN();
    expect(fleissKappa([])).toBeNaN();
  });

  it("rejects ragged rows and a single rater", () => {
    expect(() => fleissKappa([["a", "b"], ["a"]])).toThrow(/one entry per rater/);
    expect(() => fleissKappa([["a"], ["b"]])).toThrow(/at least 2 raters/);
  });
});

describe("krippendorffAlpha", () => {
  it("matches an example with missing labels worked by hand", () => {
    // Items: (a,a,–) (a,b,b) (b,–,–) (b,b,b) (a,b,–) (–,–,–). Items 3 and 6 have < 2 labels.
    // Pairable values n = 2 + 3 + 3 + 2 = 10: a 4 (2+1+1), b 6 (2+3+1).
    // Disagreeing ordered pairs / (m_u − 1): aa 0; abb (9 − 1 − 4)/2 = 2; bbb 0; ab (4−1−1)/1 = 2.
    // D_o = 4 / 10 = 0.4; D_e = (100 − 16 − 36) / (10·9) = 48/90.
    // α = 1 − 0.4 / (48/90) = 1 − 0.75 = 0.25.
    const ratings: Label[][] = [
      ["a", "a", null],
      ["a", "b", "b"],
      ["b", null, null],
      ["b", "b", "b"],
      ["a", "b", null],
      [null, null, null],
    ];
    expect(krippendorffAlpha(ratings)).toBeCloseTo(0.25, 12);
  });

  it("reproduces Krippendorff's 4-observer, 12-unit nominal example (α = 0.743)", () => {
    // Observers A–D on units 1–12, "-" missing; Krippendorff reports nominal α = 0.743.
    // Unit 12 has one label and drops out: n = 40 pairable values (1: 9, 2: 13, 3: 10, 4: 5,
    // 5: 3), so n² − Σ n_c² = 1600 − 384 = 1216. Disagreeing units: 2 (2,2,3,2) → (16−10)/3 = 2,
    // 6 (1,2,3,4) → (16−4)/3 = 4, 8 (1,1,2,1) → (16−10)/3 = 2; Σ D_u = 8.
    // α = 1 − 39·8 / 1216 = 1 − 312/1216 = 0.743421.
    const rows = ["1 2 3 3 2 1 4 1 2 - - -", "1 2 3 3 2 2 4 1 2 5 - 3"];
    rows.push("- 3 3 3 2 3 4 2 2 5 1 -", "1 2 3 3 2 4 4 1 2 5 1 -");
    const byObserver = rows.map((row) => row.split(" ").map((v) => (v === "-" ? null : v)));
    const ratings = Array.from({ length: 12 }, (_, unit) =>
      byObserver.map((obs) => obs[unit] ?? null),
    );
    expect(krippendorffAlpha(ratings)).toBeCloseTo(0.743421, 6);
  });

  it("equals 1 for perfect agreement, NaN when undefined", () => {
    expect(
      krippendorffAlpha([
        ["a", "a", null],
        ["b", "b", "b"],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlpha([
        ["a", "a"],
        ["a", null],
      ]),
    ).toBeNaN();
    expect(
      krippendorffAlpha([
        ["a", null],
        [null, "b"],
      ]),
    ).toBeNaN();
  });

  it("is close to Fleiss' kappa on complete data, slightly above for small samples", () => {
    // With every item complete, D_o = 1 − P̄ and D_e = Nm/(Nm − 1)·(1 − P̄_e), so
    // α = 1 − (1 − κ_F)·(Nm − 1)/(Nm). Here N·m = 12 and κ_F = 1/3 (the first Fleiss example):
    // α = 1 − (2/3)·(11/12) = 0.388889.
    const ratings = [
      ["x", "x", "x"],
      ["x", "x", "y"],
      ["y", "y", "y"],
      ["x", "y", "y"],
    ];
    expect(krippendorffAlpha(ratings)).toBeCloseTo(1 - (2 / 3) * (11 / 12), 12);
  });
});

describe("confusionMatrix", () => {
  it("cross-tabulates the items both raters labelled", () => {
    const a: Label[] = ["yes", "yes", "no", "no", null, "maybe"];
    const b: Label[] = ["yes", "no", "no", "no", "no", null];
    expect(confusionMatrix(a, b)).toEqual({
      labels: ["maybe", "no", "yes"],
      counts: [
        [0, 0, 0],
        [0, 2, 0],
        [0, 1, 1],
      ],
    });
    expect(confusionMatrix(a, b, ["yes", "no", "maybe"]).counts[0]).toEqual([1, 1, 0]);
    expect(() => confusionMatrix(a, b, ["yes"])).toThrow(/not in labels/);
    expect(() => confusionMatrix(a, b, ["yes", "yes"])).toThrow(/distinct/);
    expect(() => confusionMatrix(a, ["yes"])).toThrow(/same items/);
  });
});

describe("bootstrapStatistic", () => {
  const [a, b] = fromTable([20, 5, 10, 15]);
  const pairs = a.map((label, i) => [label, b[i] ?? null] as const);
  const kappa = (sample: ReadonlyArray<readonly [Label, Label]>) =>
    cohenKappa(
      sample.map((pair) => pair[0]),
      sample.map((pair) => pair[1]),
    );

  it("is reproducible from the seed and brackets the estimate", () => {
    const first = bootstrapStatistic(pairs, kappa, { seed: 7, resamples: 2000 });
    const again = bootstrapStatistic(pairs, kappa, { seed: 7, resamples: 2000 });
    const other = bootstrapStatistic(pairs, kappa, { seed: 8, resamples: 2000 });
    expect(again).toEqual(first);
    expect(other.interval).not.toEqual(first.interval);
    const [lower, upper] = first.interval ?? [Number.NaN, Number.NaN];
    expect(lower).toBeLessThan(0.4);
    expect(upper).toBeGreaterThan(0.4);
    // The large-sample standard error of κ here is about 0.13, so the interval is ≈ ±0.25.
    expect(upper - lower).toBeGreaterThan(0.3);
    expect(upper - lower).toBeLessThan(0.7);
  });

  it("counts undefined resamples and returns null when none is defined", () => {
    const few = [["a", "a"] as const, ["b", "b"] as const];
    const result = bootstrapStatistic(few, kappa, { seed: 1, resamples: 400 });
    // A resample of two items is one category with probability 1/2; those are NaN.
    expect(result.undefinedResamples).toBeGreaterThan(120);
    expect(result.undefinedResamples).toBeLessThan(280);
    expect(result.interval).toEqual([1, 1]);
    const same = [["a", "a"] as const];
    expect(bootstrapStatistic(same, kappa, { seed: 1, resamples: 10 })).toEqual({
      interval: null,
      resamples: 10,
      undefinedResamples: 10,
    });
  });

  it("rejects bad options and empty input", () => {
    expect(() => bootstrapStatistic([], kappa, { seed: 1 })).toThrow(/at least one item/);
    expect(() => bootstrapStatistic(pairs, kappa, { seed: 1, resamples: 0 })).toThrow(/resamples/);
    expect(() => bootstrapStatistic(pairs, kappa, { seed: 1, level: 1 })).toThrow(/level/);
  });
});
