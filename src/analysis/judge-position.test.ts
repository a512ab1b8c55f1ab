import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { wilsonInterval } from "./intervals.js";
import { flipRate, type PositionedJudgement, yesByPosition } from "./judge-position.js";

function judgements(yesPosition: 0 | 1, yes: number, no: number): PositionedJudgement[] {
  return [
    ...Array.from({ length: yes }, () => ({ yesPosition, answer: "yes" as const })),
    ...Array.from({ length: no }, () => ({ yesPosition, answer: "no" as const })),
  ];
}

describe("yesByPosition", () => {
  it("matches the odds ratio, Woolf interval and Wald p computed by hand", () => {
    // Reference values from Python's math module: OR = (30·20)/(10·20) = 3,
    // SE(log OR) = sqrt(1/30 + 1/10 + 1/20 + 1/20), p = erfc(|log 3 / SE| / sqrt 2).
    const result = yesByPosition([...judgements(0, 30, 10), ...judgements(1, 20, 20)]);
    expect(result.yesFirst).toEqual({
      k: 30,
      n: 40,
      value: 0.75,
      ci95_wilson: wilsonInterval(30, 40),
    });
    expect(result.yesSecond.value).toBe(0.5);
    expect(result.oddsRatio).toBeCloseTo(3, 12);
    expect(result.ci95?.[0]).toBeCloseTo(1.1639969608711025, 10);
    expect(result.ci95?.[1]).toBeCloseTo(7.7319789505847645, 10);
    expect(result.p).toBeCloseTo(0.02294534101945709, 10);
  });

  it("adds one half to every cell when one is empty", () => {
    // Cells 10, 0, 5, 5 become 10.5, 0.5, 5.5, 5.5: OR = 21 (Python reference values).
    const result = yesByPosition([...judgements(0, 10, 0), ...judgements(1, 5, 5)]);
    expect(result.oddsRatio).toBeCloseTo(21, 10);
    expect(result.ci95?.[0]).toBeCloseTo(0.9715547846195038, 10);
    expect(result.p).toBeCloseTo(0.05219028896154903, 10);
  });

  it("has no odds ratio when one position was never used", () => {
    expect(yesByPosition(judgements(0, 3, 1))).toMatchObject({
      oddsRatio: null,
      p: null,
      yesSecond: { n: 0, value: null },
    });
  });

  it("rejects a position other than 0 or 1", () => {
    expect(() => yesByPosition([{ yesPosition: 2 as 0, answer: "yes" }])).toThrow(CareprobeError);
  });
});

describe("flipRate", () => {
  it("counts disagreements among checks read in both orders", () => {
    const result = flipRate([
      { yesFirst: "yes", yesSecond: "yes" },
      { yesFirst: "yes", yesSecond: "no" },
      { yesFirst: "no", yesSecond: "no" },
      { yesFirst: "no", yesSecond: "yes" },
      { yesFirst: null, yesSecond: "yes" },
    ]);
    expect(result).toEqual({
      k: 2,
      n: 4,
      value: 0.5,
      ci95_wilson: wilsonInterval(2, 4),
      unreadable: 1,
    });
  });
});
