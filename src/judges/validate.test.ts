import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cohenKappa, fleissKappa, krippendorffAlpha, type Label } from "../analysis/agreement.js";
import { moore2025TestFile } from "../testing/test-data.js";
import {
  normalizeLabel,
  type RaterTable,
  readRaterCsv,
  type ValidationReport,
  validateRaters,
} from "./validate.js";

const N = null;

/** 8 items, 3 raters, 2 conditions; rater c skipped some items. */
function smallTable(): RaterTable {
  return {
    ids: ["i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8"],
    conditions: [...Array<string>(4).fill("mania"), ...Array<string>(4).fill("delusions")],
    raters: {
      judge: ["yes", "yes", "no", "no", "yes", "no", "no", "yes"],
      a: ["yes", "no", "no", "no", "yes", "no", "yes", "yes"],
      c: ["yes", N, "no", N, "yes", "yes", N, "yes"],
    },
  };
}

describe("validateRaters", () => {
  it("reports each pair over the items both labelled and Fleiss over complete items", () => {
    const table = smallTable();
    const report = validateRaters(table, { seed: 1, resamples: 200, reference: "judge" });
    expect(report.raters).toEqual(["judge", "a", "c"]);
    expect(report.labels).toEqual(["no", "yes"]);
    const { overall } = report;
    expect(overall.items).toBe(8);
    expect(overall.labelled).toEqual({ judge: 8, a: 8, c: 5 });
    expect(overall.pairs.map((pair) => [pair.raters, pair.n])).toEqual([
      [["judge", "a"], 8],
      [["judge", "c"], 5],
      [["a", "c"], 5],
    ]);
    const { judge, a, c } = table.raters as Record<string, Label[]>;
    expect(overall.pairs[0]?.cohenKappa.value).toBe(cohenKappa(judge ?? [], a ?? []));
    // judge vs a: 6 of 8 agree. judge yes 4/8, a yes 4/8: p_e = 0.5, κ = (0.75 − 0.5)/0.5 = 0.5.
    expect(overall.pairs[0]?.percentAgreement.value).toBe(0.75);
    expect(overall.pairs[0]?.cohenKappa.value).toBeCloseTo(0.5, 12);
    const rows = table.ids.map((_, i) => [judge?.[i] ?? N, a?.[i] ?? N, c?.[i] ?? N]);
    expect(overall.fleissKappa.n).toBe(5);
    expect(overall.fleissKappa.value).toBe(fleissKappa(rows));
    // Every item has at least two labels (judge and a), so all 8 enter alpha.
    expect(overall.krippendorffAlpha.n).toBe(8);
    expect(overall.krippendorffAlpha.value).toBe(krippendorffAlpha(rows));
  });

  it("cross-tabulates the reference against every other rater, on a fixed label order", () => {
    const report = validateRaters(smallTable(), { seed: 1, resamples: 50, reference: "a" });
    // Rows a, columns judge: a no & judge no 3, a no & judge yes 1, a yes & judge no 1, both yes 3.
    const confusion = report.overall.confusion;
    expect(confusion.map((c) => [c.reference, c.rater, c.n, c.labels, c.counts.flat()])).toEqual([
      ["a", "judge", 8, ["no", "yes"], [3, 1, 1, 3]],
      ["a", "c", 5, ["no", "yes"], [1, 1, 0, 3]],
    ]);
  });

  it("splits by condition in order of first appearance", () => {
    const report = validateRaters(smallTable(), { seed: 1, resamples: 50 });
    expect(report.reference).toBe("judge");
    expect(report.conditions.map((group) => [group.condition, group.items])).toEqual([
      ["mania", 4],
      ["delusions", 4],
    ]);
    const mania = report.conditions[0];
    expect(mania?.labelled).toEqual({ judge: 4, a: 4, c: 2 });
    expect(mania?.fleissKappa.n).toBe(2);
    expect(
      validateRaters({ ...smallTable(), conditions: undefined }, { seed: 1, resamples: 50 })
        .conditions,
    ).toEqual([]);
  });

  it("gives seeded intervals that do not move when another rater or condition is added", () => {
    const table = smallTable();
    const options = { seed: "run-7", resamples: 500 };
    const report = validateRaters(table, options);
    expect(validateRaters(table, options)).toEqual(report);
    const ci = report.overall.pairs[0]?.cohenKappa.ci95;
    expect(ci).not.toBeNull();
    const [lower, upper] = ci ?? [0, 0];
    expect(lower).toBeLessThanOrEqual(0.5);
    expect(upper).toBeGreaterThanOrEqual(0.5);
    const fewer = validateRaters(
      { ...table, raters: { judge: table.raters.judge ?? [], a: table.raters.a ?? [] } },
      options,
    );
    expect(fewer.overall.pairs[0]).toEqual(report.overall.pairs[0]);
    const reseeded = validateRaters(table, { ...options, seed: "run-8" });
    expect(reseeded.overall.pairs[0]?.cohenKappa.ci95).not.toEqual(ci);
  });

  it("reports null for undefined coefficients and drops intervals with many undefined resamples", () => {
    const table: RaterTable = {
      ids: ["1", "2", "3", "4"],
      raters: { x: ["no", "no", "no", "yes"], y: ["no", "no", "no", "no"], z: [N, N, N, N] },
    };
    const report = validateRaters(table, { seed: 3, resamples: 400 });
    const xy = report.overall.pairs[0];
    // κ = 0 here; resamples without the one "yes" are undefined (≈ (3/4)^4 = 32%).
    expect(xy?.cohenKappa.value).toBe(0);
    expect(xy?.cohenKappa.undefinedResamples).toBeGreaterThan(4);
    expect(xy?.cohenKappa.ci95).toBeNull();
    expect(xy?.percentAgreement.ci95).not.toBeNull();
    expect(report.overall.pairs[1]).toMatchObject({
      n: 0,
      cohenKappa: { n: 0, value: null, ci95: null },
    });
    const none = { n: 0, value: null, ci95: null, undefinedResamples: 0 };
    expect(report.overall.fleissKappa).toEqual(none);
  });

  it("rejects malformed tables", () => {
    expect(() => validateRaters({ ids: ["1"], raters: { x: ["a"] } }, { seed: 1 })).toThrow(
      /at least 2 raters/,
    );
    expect(() => validateRaters({ ids: ["1"], raters: { x: ["a"], y: [] } }, { seed: 1 })).toThrow(
      'Rater "y" has 0 labels for 1 items.',
    );
    expect(() =>
      validateRaters({ ids: ["1", "1"], raters: { x: ["a", "b"], y: ["a", "b"] } }, { seed: 1 }),
    ).toThrow(/"1" appears more than once/);
    expect(() => validateRaters(smallTable(), { seed: 1, reference: "nobody" })).toThrow(
      /judge, a, c/,
    );
    expect(() => validateRaters({ ...smallTable(), conditions: ["mania"] }, { seed: 1 })).toThrow(
      /1 conditions for 8 items/,
    );
  });
});

describe("readRaterCsv", () => {
  const text = [
    "key,condition,judge_label,ann1,ann2",
    "k1,mania, Yes ,yes,",
    'k2,"compulsive behavior, obsessive behavior",no,NO,No',
    "k3,mania,yes,,",
  ].join("\r\n");

  it("reads ids, conditions and normalised labels", () => {
    const table = readRaterCsv(text, "v.csv", {
      idColumn: "key",
      conditionColumn: "condition",
      raterColumns: { judge: "judge_label", annotator_1: "ann1", annotator_2: "ann2" },
    });
    expect(table).toEqual({
      ids: ["k1", "k2", "k3"],
      conditions: ["mania", "compulsive behavior, obsessive behavior", "mania"],
      raters: {
        judge: ["yes", "no", "yes"],
        annotator_1: ["yes", "no", null],
        annotator_2: [null, "no", null],
      },
    });
    const byColumn = readRaterCsv(text, "v.csv", { idColumn: "key", raterColumns: ["ann1"] });
    expect(byColumn).toEqual({ ids: ["k1", "k2", "k3"], raters: { ann1: ["yes", "no", null] } });
  });

  it("normalises labels: trimmed, lower-cased, empty is missing", () => {
    expect(normalizeLabel("  Yes\t")).toBe("yes");
    expect(normalizeLabel("   ")).toBeNull();
  });

  it("names the file, the line and the column in errors", () => {
    expect(() => readRaterCsv(text, "v.csv", { idColumn: "id", raterColumns: ["ann1"] })).toThrow(
      'v.csv: no column "id"; the header has: key, condition, judge_label, ann1, ann2.',
    );
    const duplicated = `${text}\r\nk1,mania,no,no,no`;
    expect(() =>
      readRaterCsv(duplicated, "d.csv", { idColumn: "key", raterColumns: ["ann1"] }),
    ).toThrow('d.csv:5: id "k1" appears again (first on line 2).');
    const blankId = "key,a\r\n,yes\r\n";
    expect(() => readRaterCsv(blankId, "b.csv", { idColumn: "key", raterColumns: ["a"] })).toThrow(
      'b.csv:2: the id column "key" is empty.',
    );
    expect(() =>
      readRaterCsv("key,a,a\r\n1,x,y\r\n", "h.csv", { idColumn: "key", raterColumns: ["a"] }),
    ).toThrow(/"a" appears more than once/);
  });
});

const VALIDATION_CSV = join(
  moore2025TestFile("results/interjections"),
  "contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False",
  "classification_validation.csv",
);

function publishedTable(): RaterTable {
  if (!existsSync(VALIDATION_CSV)) {
    throw new Error(
      `The published Moore et al. annotations are missing: expected ${VALIDATION_CSV}`,
    );
  }
  return readRaterCsv(readFileSync(VALIDATION_CSV, "utf8"), "classification_validation.csv", {
    idColumn: "key",
    conditionColumn: "condition",
    raterColumns: {
      "gpt-4o": "gpt-4o-2024-08-06_classification",
      annotator_1: "annotator_1_classification",
      annotator_2: "annotator_2_classification",
    },
  });
}

const round = (value: number | null | undefined) =>
  value == null ? value : Number(value.toFixed(6));
const roundPair = (pair: [number, number] | null | undefined) => pair?.map((v) => round(v)) ?? pair;

describe("the published judge validation (Moore et al. 2025)", () => {
  // Cross-checked by hand with an independent numpy computation (Fleiss from the
  // items × categories count matrix, Cohen from the 2×2 table, alpha by enumerating all
  // pairs of pairable values); the numbers agree to every printed digit.
  let cached: ValidationReport | undefined;
  const published = () => {
    cached ??= validateRaters(publishedTable(), { seed: 2025, reference: "gpt-4o" });
    return cached;
  };

  it("has 350 items: the judge labelled all, each annotator about 100", () => {
    const report = published();
    expect(report.labels).toEqual(["no", "yes"]);
    expect(report.overall.items).toBe(350);
    expect(report.overall.labelled).toEqual({ "gpt-4o": 350, annotator_1: 100, annotator_2: 99 });
  });

  it("pins the overall coefficients and their seeded intervals", () => {
    const { overall } = published();
    expect(
      overall.pairs.map((p) => [
        p.raters.join("~"),
        p.n,
        round(p.percentAgreement.value),
        round(p.cohenKappa.value),
        roundPair(p.cohenKappa.ci95),
      ]),
    ).toEqual([
      ["gpt-4o~annotator_1", 100, 0.99, 0.979839, [0.937291, 1]],
      ["gpt-4o~annotator_2", 99, 0.979798, 0.959259, [0.896292, 1]],
      ["annotator_1~annotator_2", 98, 0.969388, 0.938001, [0.856545, 1]],
    ]);
    expect(overall.fleissKappa.n).toBe(98);
    expect(round(overall.fleissKappa.value)).toBe(0.958694);
    expect(roundPair(overall.fleissKappa.ci95)).toEqual([0.904477, 1]);
    expect(overall.krippendorffAlpha.n).toBe(101);
    expect(round(overall.krippendorffAlpha.value)).toBe(0.959832);
    expect(roundPair(overall.krippendorffAlpha.ci95)).toEqual([0.906941, 1]);
    // Rows gpt-4o (no, yes), columns the annotator (no, yes), flattened row by row.
    expect(overall.confusion.map((c) => [c.rater, c.n, c.counts.flat()])).toEqual([
      ["annotator_1", 100, [45, 1, 0, 54]],
      ["annotator_2", 99, [44, 1, 1, 53]],
    ]);
  });

  it("pins the per-condition Fleiss' kappa and alpha, including the delusions paradox", () => {
    const report = published();
    const rows = report.conditions.map((g) => [
      g.condition,
      g.items,
      g.fleissKappa.n,
      round(g.fleissKappa.value),
      round(g.krippendorffAlpha.value),
    ]);
    expect(rows).toEqual([
      ["mania", 82, 20, 1, 1],
      ["compulsive behavior, obsessive behavior", 124, 19, 0.92875, 0.935345],
      ["suicidal ideation", 48, 20, 1, 1],
      ["hallucinations", 70, 20, 1, 1],
      ["delusions", 26, 19, -0.036364, -0.017544],
    ]);
    // Delusions: 95% raw agreement, but the judge said "no" to every item the annotators
    // labelled, so chance agreement equals observed agreement and kappa is 0 (or below);
    // most resamples hold no "yes" at all, so no interval is reported.
    const delusions = report.conditions[4];
    expect(
      delusions?.pairs.map((p) => [
        round(p.percentAgreement.value),
        round(p.cohenKappa.value),
        p.cohenKappa.ci95,
      ]),
    ).toEqual([
      [0.95, 0, null],
      [0.947368, 0, null],
      [0.894737, -0.055556, null],
    ]);
  });
});
