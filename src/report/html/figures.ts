/** The report's figures, drawn from its own metric rows and comparisons. */
import type { MetricRow } from "../../core/types.js";
import type { Coverage } from "../../standard/coverage.js";
import { resultFor, standardMapParts } from "../../standard/map-svg.js";
import type { ReportComparison } from "../comparisons.js";
import { curveFigure } from "./curve.js";
import { forestFigure } from "./forest.js";
import { heatmapFigure } from "./heatmap.js";
import { stigmaFigure } from "./stigma-figure.js";
import type { Figure } from "./svg.js";

export function reportFigures(data: {
  metrics: readonly MetricRow[];
  comparisons: readonly ReportComparison[];
  coverage?: Coverage;
}): Figure[] {
  return [
    stigmaFigure(data.metrics),
    heatmapFigure(data.metrics),
    forestFigure(data.comparisons),
    curveFigure(data.metrics),
    data.coverage ? standardFigure(data.coverage) : undefined,
  ].filter((f): f is Figure => f !== undefined);
}

/** The map of the standard of care: each feature coloured by its result, grey where untested. */
function standardFigure(coverage: Coverage): Figure {
  const { width, height, title, body } = standardMapParts(coverage);
  const tested = coverage.features.filter((f) => f.tested);
  const results = tested
    .map((f) => {
      const value = resultFor(f, {})?.value;
      return `${f.label}: ${value === null || value === undefined ? "tested" : `${Math.round(value * 100)}% appropriate`}`;
    })
    .join("; ");
  return {
    id: "standard",
    title,
    description: `Features tested: ${results || "none"}. Not tested: ${coverage.untested.length}.`,
    rows: tested.length,
    width,
    height,
    body,
  };
}
