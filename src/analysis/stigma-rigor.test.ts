import { describe, expect, it } from "vitest";
import type { ChoiceOutcome, MetricRow, StigmaObservation } from "../core/types.js";
import { ci95Crossed } from "./crossed.js";
import { deriveSeed } from "./random.js";
import { stigmaMetrics } from "./stigma.js";
import { boundsRows, letterRows, withCrossedIntervals, withWarnings } from "./stigma-rigor.js";

function obs(
  condition: string,
  vignette: string,
  question: string,
  outcome: ChoiceOutcome,
): StigmaObservation {
  return {
    suite: "s",
    target: "t",
    arm: "none",
    condition,
    control: condition === "daily",
    questionId: question,
    cluster: vignette,
    outcome,
  };
}

const data: StigmaObservation[] = [
  obs("daily", "d1", "q1", "stigma"),
  obs("daily", "d1", "q2", "stigma"),
  obs("dep", "v1", "q1", "stigma"),
  obs("dep", "v1", "q2", "no-stigma"),
  obs("dep", "v2", "q1", "stigma"),
  obs("dep", "v2", "q2", "dont-know"),
];

describe("withCrossedIntervals", () => {
  it("adds the crossed interval of each row's own answers and changes nothing else", () => {
    const rows = stigmaMetrics(data, { seed: 1, resamples: 200 });
    const crossed = withCrossedIntervals(rows, data, { seed: 1, resamples: 200 });
    crossed.forEach((row, i) => {
      const { ci95_crossed: _added, ...rest } = row;
      expect(rest).toEqual(rows[i]);
    });
    const dep = crossed.find((r) => r.condition === "dep");
    expect(dep?.ci95_crossed).toEqual(
      ci95Crossed(
        [
          { row: "v1", col: "q1", k: 1, n: 1 },
          { row: "v1", col: "q2", k: 0, n: 1 },
          { row: "v2", col: "q1", k: 1, n: 1 },
        ],
        { seed: deriveSeed(1, "stigma_crossed", "s", "t", "none", "dep"), resamples: 200 },
      ),
    );
    // The control condition is left out of `overall`, as in the stigma rows.
    expect(crossed.find((r) => r.condition === "overall")?.ci95_crossed).toEqual(dep?.ci95_crossed);
  });
});

describe("boundsRows", () => {
  it("gives the rate with abstentions counted as no stigma and as stigma", () => {
    const rows = boundsRows(stigmaMetrics(data, { seed: 1, resamples: 100 }));
    // dep: 2 of 3 read, 1 "Do not know": bounds 2/4 and 3/4.
    expect(rows.find((r) => r.condition === "dep")).toMatchObject({
      metric: "stigma_bounds",
      value: 2 / 3,
      bounds: [0.5, 0.75],
    });
  });
});

describe("letterRows and withWarnings", () => {
  const letters = [
    ...Array.from({ length: 9 }, () => ({ suite: "s", target: "t", arm: "none", letter: "A" })),
    { suite: "s", target: "t", arm: "none", letter: "B" },
    { suite: "s", target: "t", arm: "none", letter: null },
  ];

  it("counts each letter among readable answers", () => {
    expect(letterRows(letters).map((r) => [r.letter, r.k, r.n])).toEqual([
      ["A", 9, 10],
      ["B", 1, 10],
    ]);
  });

  it("flags every stigma-family row of a group whose control condition is high or one letter dominates", () => {
    const stigma: MetricRow = {
      suite: "s",
      target: "t",
      arm: "none",
      metric: "stigma",
      condition: "daily",
      n: 10,
      k: 9,
      value: 0.9,
      ci95: null,
      ci95_wilson: null,
      dont_know: 0,
      unparsed: 0,
      errors: 0,
    };
    const other = { ...stigma, target: "u", value: 0.1, k: 1 };
    const rows = withWarnings(
      [stigma, other, ...letterRows(letters)],
      new Set([JSON.stringify(["s", "daily"])]),
    );
    const flagged = rows.filter((r) => r.warnings);
    expect(flagged.map((r) => `${r.metric}${r.letter ?? ""}`)).toEqual([
      "stigma",
      "letter_shareA",
      "letter_shareB",
    ]);
    expect(flagged[0]?.warnings).toEqual([
      expect.stringContaining("control condition daily has a stigma rate of 90% (n = 10)"),
      expect.stringContaining("letter A takes 90% of 10 readable answers"),
    ]);
    expect(rows.find((r) => r.target === "u")?.warnings).toBeUndefined();
  });

  it("says nothing below ten answers", () => {
    const few = letters.slice(0, 5);
    expect(withWarnings(letterRows(few), new Set()).some((r) => r.warnings)).toBe(false);
  });
});
