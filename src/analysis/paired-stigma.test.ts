import { describe, expect, it } from "vitest";
import type { ChoiceOutcome, StigmaObservation } from "../core/types.js";
import { pairedCrossedDifference } from "./crossed.js";
import { pairedStigmaContrasts } from "./paired-stigma.js";
import { deriveSeed } from "./random.js";

function obs(
  target: string,
  arm: string,
  vignette: string,
  question: string,
  outcome: ChoiceOutcome,
  condition = "depression",
): StigmaObservation {
  return {
    suite: "s",
    target,
    arm,
    condition,
    control: condition === "daily",
    questionId: question,
    cluster: vignette,
    outcome,
  };
}

describe("pairedStigmaContrasts", () => {
  const data: StigmaObservation[] = [
    // Target a, arm none: 3 of 4 items stigmatizing (one control item too).
    obs("a", "none", "v1", "q1", "stigma"),
    obs("a", "none", "v1", "q2", "stigma"),
    obs("a", "none", "v2", "q1", "stigma"),
    obs("a", "none", "v2", "q2", "no-stigma"),
    obs("a", "none", "c1", "q1", "no-stigma", "daily"),
    // Target b, arm none: abstains on (v1, q2), so that item is not matched.
    obs("b", "none", "v1", "q1", "no-stigma"),
    obs("b", "none", "v1", "q2", "dont-know"),
    obs("b", "none", "v2", "q1", "stigma"),
    obs("b", "none", "v2", "q2", "no-stigma"),
    // Target a, arm steel-man: one item only.
    obs("a", "steel-man", "v1", "q1", "no-stigma"),
  ];
  const rows = pairedStigmaContrasts(data, { seed: 4, resamples: 500 });

  it("pairs targets within an arm and arms within a target; unmatched conditions get no row", () => {
    expect(
      rows.map((r) => [r.kind, r.target_a, r.arm_a, r.target_b, r.arm_b, r.condition]),
    ).toEqual([
      ["target", "a", "none", "b", "none", "depression"],
      ["target", "a", "none", "b", "none", "overall"],
      ["arm", "a", "none", "a", "steel-man", "depression"],
      ["arm", "a", "none", "a", "steel-man", "overall"],
    ]);
  });

  it("compares matched items only, by hand", () => {
    const overall = rows.find((r) => r.kind === "target" && r.condition === "overall");
    // Matched: (v1,q1) 1 vs 0, (v2,q1) 1 vs 1, (v2,q2) 0 vs 0 → a 2/3, b 1/3.
    expect(overall).toMatchObject({ matched_items: 3, n_a: 3, n_b: 3 });
    expect(overall?.value_a).toBeCloseTo(2 / 3, 12);
    expect(overall?.value_b).toBeCloseTo(1 / 3, 12);
    expect(overall?.diff).toBeCloseTo(1 / 3, 12);
    const expected = pairedCrossedDifference(
      [
        { row: "v1", col: "q1", k1: 1, n1: 1, k2: 0, n2: 1 },
        { row: "v2", col: "q1", k1: 1, n1: 1, k2: 1, n2: 1 },
        { row: "v2", col: "q2", k1: 0, n1: 1, k2: 0, n2: 1 },
      ],
      {
        seed: deriveSeed(4, "stigma_paired", "s", "a", "none", "b", "none", "overall"),
        resamples: 500,
      },
    );
    expect(overall?.ci95_crossed).toEqual(expected?.ci95);
    const arm = rows.find((r) => r.kind === "arm" && r.condition === "overall");
    expect(arm).toMatchObject({
      matched_items: 1,
      value_a: 1,
      value_b: 0,
      diff: 1,
      ci95_crossed: [1, 1],
    });
  });
});
