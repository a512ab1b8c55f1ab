import { describe, expect, it } from "vitest";
import { coverageOf } from "../../standard/coverage.js";
import { FEATURES } from "../../standard/features.js";
import type { FeatureObservation } from "../../standard/observation.js";
import { reportFigures } from "./figures.js";
import { svgElement } from "./svg.js";

function obs(feature: string, outcome: "appropriate" | "inappropriate", item: string) {
  return {
    suite: "s",
    target: "<script>alert(1)</script>",
    arm: "none",
    feature,
    featureIndex: FEATURES.findIndex((f) => f.id === feature),
    subItems: [],
    item,
    cluster: item,
    outcome,
  } satisfies FeatureObservation;
}

describe("the map of the standard among the report's figures", () => {
  it("is drawn when the report has coverage, one row per tested feature, coloured by result", () => {
    const coverage = coverageOf([
      obs("redirect-client", "appropriate", "a"),
      obs("redirect-client", "inappropriate", "b"),
      obs("dont-stigmatize", "appropriate", "c"),
    ]);
    const figure = reportFigures({ metrics: [], comparisons: [], coverage }).find(
      (f) => f.id === "standard",
    );
    expect(figure?.rows).toBe(2);
    expect(figure?.title).toBe(`The standard of care: 2 of ${FEATURES.length} features tested`);
    expect(figure?.description).toContain("50% appropriate");
    expect(figure?.description).toContain("100% appropriate");
    const svg = svgElement(figure as NonNullable<typeof figure>);
    expect(svg).toContain('data-figure="standard"');
    expect(svg).not.toContain("<script>");
  });

  it("is left out when the report has no coverage", () => {
    expect(reportFigures({ metrics: [], comparisons: [] }).map((f) => f.id)).not.toContain(
      "standard",
    );
  });
});
