/** What a report says about the standard of care: per-feature rows and coverage. */
import type { MetricRow } from "../core/types.js";
import type { CollectedRun } from "../report/collect.js";
import type { CollectedResponsesRun } from "../report/collect-responses.js";
import { type Coverage, coverageOf } from "./coverage.js";
import { type FeatureRowOptions, featureRows } from "./feature-rows.js";
import { choiceFeatureObservations, responseFeatureObservations } from "./observations.js";

export interface FeatureReport {
  rows: MetricRow[];
  coverage: Coverage;
}

export function featureReport(
  collected: readonly CollectedRun[],
  collectedResponses: readonly CollectedResponsesRun[],
  options: FeatureRowOptions,
): FeatureReport {
  const observations = [
    ...collected.flatMap(choiceFeatureObservations),
    ...collectedResponses.flatMap(responseFeatureObservations),
  ];
  return {
    rows: featureRows(observations, options),
    coverage: coverageOf(observations, options.recipe ? { recipe: options.recipe } : {}),
  };
}
