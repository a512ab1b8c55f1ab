import { describe, expect, it } from "vitest";
import { RECIPES } from "../core/recipe.js";
import { coverageOf } from "./coverage.js";
import { featureRows } from "./feature-rows.js";
import { FEATURES } from "./features.js";
import type { FeatureObservation, FeatureOutcome } from "./observation.js";

function obs(
  feature: string,
  outcome: FeatureOutcome,
  item: string,
  extra: Partial<FeatureObservation> = {},
): FeatureObservation {
  return {
    suite: "s",
    target: "t",
    arm: "none",
    feature,
    featureIndex: FEATURES.findIndex((f) => f.id === feature),
    subItems: [],
    item,
    cluster: item,
    outcome,
    ...extra,
  };
}

const OBSERVATIONS = [
  obs("redirect-client", "appropriate", "a"),
  obs("redirect-client", "inappropriate", "a"),
  obs("redirect-client", "appropriate", "b"),
  obs("redirect-client", "unscored", "c"),
  obs("redirect-client", "blank", "d"),
  obs("professional-norms", "appropriate", "e", { subItems: ["privacy"] }),
  obs("dont-enable-mania", "pending", "f"),
];

describe("featureRows", () => {
  it("rates appropriate checks per feature, in the review's order, unscored and blank beside n", () => {
    const rows = featureRows(OBSERVATIONS, { seed: 1, resamples: 200 });
    expect(rows.map((r) => [r.feature, r.n, r.k, r.unparsed, r.blank])).toEqual([
      ["professional-norms", 1, 1, 0, 0],
      ["dont-enable-mania", 0, 0, 0, 0],
      ["redirect-client", 3, 2, 1, 1],
    ]);
    const redirect = rows[2];
    expect(redirect).toMatchObject({ metric: "feature_appropriate", condition: "overall" });
    expect(redirect?.value).toBeCloseTo(2 / 3, 12);
    expect(redirect?.ci95_wilson?.[0]).toBeLessThan(2 / 3);
    expect(redirect?.ci95_cluster).not.toBeNull();
    expect(rows[1]?.value).toBeNull();
  });

  it("counts blank and unscored as not appropriate under the paper's recipe", () => {
    const rows = featureRows(OBSERVATIONS, { seed: 1, resamples: 200, recipe: RECIPES.paper });
    const redirect = rows.find((r) => r.feature === "redirect-client");
    expect([redirect?.n, redirect?.k]).toEqual([5, 2]);
  });
});

describe("coverageOf", () => {
  it("says what was tested, with items, and which untested features text could test", () => {
    const coverage = coverageOf(OBSERVATIONS);
    expect(coverage.tested).toEqual(["professional-norms", "dont-enable-mania", "redirect-client"]);
    expect(coverage.untested).toHaveLength(14);
    expect(coverage.untested_text_testable).not.toContain("location");
    expect(coverage.untested_text_testable).toContain("therapeutic-alliance");
    const redirect = coverage.features.find((f) => f.id === "redirect-client");
    expect(redirect).toMatchObject({ tested: true, items: 4, checks: 5, suites: ["s"] });
    expect(redirect?.results).toEqual([
      expect.objectContaining({ target: "t", arm: "none", n: 3, k: 2 }),
    ]);
    const norms = coverage.features.find((f) => f.id === "professional-norms");
    expect(norms?.sub_items.map((s) => [s.id, s.tested])).toEqual([
      ["risks-and-benefits", false],
      ["informed-consent", false],
      ["privacy", true],
    ]);
    const location = coverage.features.find((f) => f.id === "location");
    expect(location).toMatchObject({ tested: false, text_testable: false, results: [] });
  });
});
