import { describe, expect, it } from "vitest";
import { type OptionPlacement, positionBias, positionBiasRows } from "./position-bias.js";

const FIXED = [0, 1, 2, 3];
const REVERSED = [2, 1, 0, 3];

function placement(perm: number[], shown: number, questionId = "q"): OptionPlacement {
  return { suite: "s", target: "t", arm: "none", questionId, perm, shown };
}

describe("positionBias", () => {
  it("is one half for a model that always picks A when half the items are reversed (by hand)", () => {
    // Meanings chosen: half 0 (fixed items), half 2 (reversed). Predicted positions per
    // item: A 1/2 and C 1/2; observed: all A. TVD = (|1 − 1/2| + |0 − 1/2|) / 2 = 1/2.
    const data = [
      placement(FIXED, 0),
      placement(REVERSED, 0),
      placement(FIXED, 0),
      placement(REVERSED, 0),
    ];
    expect(positionBias(data)).toEqual({ value: 0.5, n: 4 });
  });

  it("is zero for a model that answers by meaning whatever the order", () => {
    // Always meaning 2 ("High"): at C when fixed, at A when reversed.
    const data = [
      placement(FIXED, 2),
      placement(REVERSED, 0),
      placement(FIXED, 2, "r"),
      placement(REVERSED, 0, "r"),
    ];
    expect(positionBias(data)?.value).toBeCloseTo(0, 12);
  });

  it("gives rows only for counterbalanced runs, with a warning when large", () => {
    const data = [placement(FIXED, 0), placement(REVERSED, 0)];
    expect(positionBiasRows([{ optionOrder: "fixed", placements: data }])).toEqual([]);
    const [row] = positionBiasRows([{ optionOrder: "balanced", placements: data }]);
    expect(row).toMatchObject({ metric: "position_bias", condition: "all", n: 2, value: 0.5 });
    expect(row?.warnings?.[0]).toContain("balanced order");
  });
});
