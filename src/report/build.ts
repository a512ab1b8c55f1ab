/** Builds a report from the store: which runs, their items, and their metrics. */
import { stigmaMetrics } from "../analysis/stigma.js";
import type { Store } from "../store/store.js";
import { type CollectedRun, collectRun, type ItemRow } from "./collect.js";
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
  collected: CollectedRun[];
}

/**
 * The newest run for each (suite, target, arm): a suite edited since an older run is a
 * different suite, and mixing the two would mix instruments.
 */
export function buildReport(
  store: Store,
  filter: ReportFilter,
  options: { seed: number; resamples: number; toolVersion: string },
): BuiltReport {
  const latest = new Map<string, ReturnType<Store["listRuns"]>[number]>();
  for (const run of store.listRuns()) {
    if (filter.runIds && !filter.runIds.includes(run.id)) continue;
    if (filter.suites && !filter.suites.includes(run.suiteId)) continue;
    if (filter.targets && !filter.targets.includes(run.target)) continue;
    if (filter.arms && !filter.arms.includes(run.arm)) continue;
    const key = JSON.stringify([run.suiteId, run.target, run.arm]);
    const current = latest.get(key);
    if (!current || current.updatedAt <= run.updatedAt) latest.set(key, run);
  }
  const collected = [...latest.values()]
    .map((run) => collectRun(store, run))
    .filter((c): c is CollectedRun => c !== undefined);
  const observations = collected.flatMap((c) => c.observations);
  const metrics = stigmaMetrics(observations, { seed: options.seed, resamples: options.resamples });
  return {
    collected,
    items: collected.flatMap((c) => c.items),
    data: {
      toolVersion: options.toolVersion,
      seed: options.seed,
      resamples: options.resamples,
      runs: collected.map((c) => ({
        id: c.run.id,
        suite: c.run.suiteId,
        target: c.run.target,
        arm: c.run.arm,
        ...c.counts,
      })),
      metrics,
    },
  };
}
