/** Builds a report from the store: which runs, their items, and their metrics. */

import { byExperiment, experimentFor } from "../catalog/experiments.js";
import { DEFAULT_RECIPE, type Recipe } from "../core/recipe.js";
import type { Collected, Experiment, MetricSections, Metrics } from "../experiments/experiment.js";
import {
  type CollectedRun,
  choiceRuns,
  type ItemRow,
} from "../experiments/multiple-choice/collect.js";
import {
  type CollectedResponsesRun,
  type ResponseItemRow,
  responsesRuns,
} from "../experiments/responses/collect.js";
import type { Store } from "../store/store.js";
import { comparisons } from "./comparisons.js";
import type { ReportData } from "./render.js";
import { type ReportFilter, selectRuns } from "./select-runs.js";
import { featureReport } from "./standard.js";

export type { ReportFilter, SupersededRun } from "./select-runs.js";

export interface BuiltReport {
  data: ReportData;
  /** Every collected run with its experiment, in registry order (absent: none). */
  kinds?: Array<{ experiment: Experiment; collected: Collected[] }>;
  items: ItemRow[];
  responseItems: ResponseItemRow[];
  collected: CollectedRun[];
  collectedResponses: CollectedResponsesRun[];
}

/**
 * The report of the selected runs (report/select-runs.ts): of runs that differ only in the
 * suite's version the newest, since mixing the two would mix instruments; runs that
 * measure different things under one target label, all of them, told apart.
 */
export function buildReport(
  store: Store,
  filter: ReportFilter,
  options: {
    seed: number;
    resamples: number;
    toolVersion: string;
    recipe?: Recipe;
    /** Also the paired and demographic stigma contrasts (`report --contrasts`). */
    contrasts?: boolean;
    /** Marks judged rates whose judge's kappa with people's labels is below this. */
    requireJudgeAgreement?: number;
  },
): BuiltReport {
  const recipe = options.recipe ?? DEFAULT_RECIPE;
  const all: Array<{ experiment: Experiment; collected: Collected }> = [];
  const selected = selectRuns(store, filter);
  for (const run of selected.runs) {
    const stored = store.loadSuite(run.suiteHash);
    if (!stored) continue;
    const experiment = experimentFor(stored.suite);
    all.push({ experiment, collected: experiment.collect(store, run, stored.suite, recipe) });
  }
  const kinds = byExperiment(all);
  const metricOptions = {
    seed: options.seed,
    resamples: options.resamples,
    recipe,
    contrasts: options.contrasts ?? false,
    ...(options.requireJudgeAgreement === undefined
      ? {}
      : { requireJudgeAgreement: options.requireJudgeAgreement }),
  };
  const metrics = kinds.map(({ experiment, collected }) =>
    experiment.metrics(collected, metricOptions),
  );
  const collected = kinds.flatMap((k) => k.collected);
  // Run-list fields a kind computes over all its runs (judge_validated) override runFields'.
  const runsFields = new Map(metrics.flatMap((m) => Object.entries(m.runs ?? {})));
  // Rows per feature of the standard of care come last: they add rows, never change one.
  const standard = featureReport(choiceRuns(collected), responsesRuns(collected), {
    ...metricOptions,
  });
  return {
    kinds,
    collected: choiceRuns(collected),
    collectedResponses: responsesRuns(collected),
    items: choiceRuns(collected).flatMap((c) => c.items),
    responseItems: responsesRuns(collected).flatMap((c) => c.items),
    data: {
      toolVersion: options.toolVersion,
      recipe: recipe.name,
      seed: options.seed,
      resamples: options.resamples,
      runs: kinds.flatMap(({ experiment, collected }) =>
        collected.map((c) => ({
          id: c.run.id,
          suite: c.run.suiteId,
          target: c.run.target,
          target_identity: c.run.targetIdentity,
          arm: c.run.arm,
          ...(c.counts as { planned: number; answered: number; errors: number; pending: number }),
          ...experiment.runFields(c),
          ...runsFields.get(c.run.id),
        })),
      ),
      metrics: [...metrics.flatMap((m) => m.rows), ...standard.rows],
      comparisons: [
        ...comparisons(metrics.flatMap((m) => m.compared)),
        ...metrics.flatMap((m) => m.comparisons ?? []),
      ],
      coverage: standard.coverage,
      ...(selected.superseded.length > 0 ? { superseded: selected.superseded } : {}),
      ...sectionsOf(metrics),
    },
  };
}

/** The report sections the kinds add beside their rows (`report --contrasts`). */
function sectionsOf(metrics: readonly Metrics[]): MetricSections {
  const sections: MetricSections = {};
  for (const m of metrics) Object.assign(sections, m.sections);
  return sections;
}
