/** What a report says about the standard of care: per-feature rows and coverage. */
import type { MetricRow } from "../core/types.js";
import type { CollectedRun } from "../experiments/multiple-choice/collect.js";
import type { CollectedResponsesRun } from "../experiments/responses/collect.js";
import { type Coverage, coverageOf } from "../standard/coverage.js";
import { type FeatureRowOptions, featureRows } from "../standard/feature-rows.js";
import { choiceFeatureObservations, responseFeatureObservations } from "./standard-observations.js";

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
