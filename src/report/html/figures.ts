/** The report's figures, drawn from its own metric rows and comparisons. */
import type { MetricRow } from "../../core/types.js";
import type { Comparison } from "../comparisons.js";
import { curveFigure } from "./curve.js";
import { forestFigure } from "./forest.js";
import { heatmapFigure } from "./heatmap.js";
import { stigmaFigure } from "./stigma-figure.js";
import type { Figure } from "./svg.js";

export function reportFigures(data: {
  metrics: readonly MetricRow[];
  comparisons: readonly Comparison[];
}): Figure[] {
  return [
    stigmaFigure(data.metrics),
    heatmapFigure(data.metrics),
    forestFigure(data.comparisons),
    curveFigure(data.metrics),
  ].filter((f): f is Figure => f !== undefined);
}
