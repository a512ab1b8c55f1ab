/** Builds a report from the store: which runs, their items, and their metrics. */

import { abstentionRows } from "../analysis/abstention.js";
import { responseMetrics } from "../analysis/appropriate.js";
import { stigmaMetrics } from "../analysis/stigma.js";
import { featureReport } from "../standard/report.js";
import type { RunRecord, Store } from "../store/store.js";
import { agreementRows } from "./agreement-rows.js";
import { type CollectedRun, collectRun, type ItemRow, type Recipe } from "./collect.js";
import {
  type CollectedResponsesRun,
  collectResponsesRun,
  type ResponseItemRow,
} from "./collect-responses.js";
import { comparisons } from "./comparisons.js";
import type { ReportData } from "./render.js";

export interface ReportFilter {
  suites?: string[];
  targets?: string[];
  arms?: string[];
  runIds?: string[];
}

export interface BuiltReport {
  data: ReportData;
  items: ItemRow[];
  responseItems: ResponseItemRow[];
  collected: CollectedRun[];
  collectedResponses: CollectedResponsesRun[];
}

/**
 * The newest run for each (suite, target, arm): a suite edited since an older run is a
 * different suite, and mixing the two would mix instruments.
 */
export function buildReport(
  store: Store,
  filter: ReportFilter,
  options: { seed: number; resamples: number; toolVersion: string; recipe?: Recipe },
): BuiltReport {
  const latest = new Map<string, RunRecord>();
  for (const run of store.listRuns()) {
    if (filter.runIds && !filter.runIds.includes(run.id)) continue;
    if (filter.suites && !filter.suites.includes(run.suiteId)) continue;
    if (filter.targets && !filter.targets.includes(run.target)) continue;
    if (filter.arms && !filter.arms.includes(run.arm)) continue;
    const key = JSON.stringify([run.suiteId, run.target, run.arm]);
    const current = latest.get(key);
    if (!current || current.updatedAt <= run.updatedAt) latest.set(key, run);
  }
  const collected: CollectedRun[] = [];
  const collectedResponses: CollectedResponsesRun[] = [];
  for (const run of latest.values()) {
    const choice = collectRun(store, run, options.recipe ?? "careprobe");
    if (choice) collected.push(choice);
    const responses = choice
      ? undefined
      : collectResponsesRun(store, run, options.recipe ?? "careprobe");
    if (responses) collectedResponses.push(responses);
  }
  const bootstrap = { seed: options.seed, resamples: options.resamples };
  const recipe = options.recipe ?? "careprobe";
  const responseRows = responseMetrics(
    collectedResponses.flatMap((c) => c.observations),
    { ...bootstrap, recipe },
  );
  const stigmaRows = stigmaMetrics(
    collected.flatMap((c) => c.observations),
    bootstrap,
  );
  const metrics = [
    ...stigmaRows,
    ...abstentionRows(stigmaRows, bootstrap),
    ...responseRows,
    ...agreementRows(collectedResponses, bootstrap),
  ];
  // Rows per feature of the standard of care come last: they add rows, never change one.
  const standard = featureReport(collected, collectedResponses, { ...bootstrap, recipe });
  metrics.push(...standard.rows);
  const all = [...collected, ...collectedResponses];
  return {
    collected,
    collectedResponses,
    items: collected.flatMap((c) => c.items),
    responseItems: collectedResponses.flatMap((c) => c.items),
    data: {
      toolVersion: options.toolVersion,
      recipe,
      seed: options.seed,
      resamples: options.resamples,
      runs: all.map((c) => ({
        id: c.run.id,
        suite: c.run.suiteId,
        target: c.run.target,
        arm: c.run.arm,
        ...c.counts,
        ...("judges" in c
          ? {
              judges: c.judges,
              judge_validated: false,
              ...(c.defaultJudge
                ? {
                    judge_note:
                      "default judge chosen by careprobe; not validated against human labels",
                  }
                : {}),
            }
          : {}),
      })),
      metrics,
      comparisons: comparisons([...stigmaRows, ...responseRows]),
      coverage: standard.coverage,
    },
  };
}
