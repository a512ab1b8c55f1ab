/** Builds a report from the store: which runs, their items, and their metrics. */

import { abstentionRows } from "../analysis/abstention.js";
import { responseMetrics } from "../analysis/appropriate.js";
import { demographicContrasts } from "../analysis/demographic.js";
import { pairedStigmaContrasts } from "../analysis/paired-stigma.js";
import { positionBiasRows } from "../analysis/position-bias.js";
import { stigmaMetrics } from "../analysis/stigma.js";
import {
  boundsRows,
  letterRows,
  withCrossedIntervals,
  withWarnings,
} from "../analysis/stigma-rigor.js";
import type { RunRecord, Store } from "../store/store.js";
import { agreementRows } from "./agreement-rows.js";
import { type CollectedRun, collectRun, type ItemRow, type Recipe } from "./collect.js";
import {
  type CollectedResponsesRun,
  collectResponsesRun,
  type ResponseItemRow,
} from "./collect-responses.js";
import { comparisons } from "./comparisons.js";
import { judgeAgreements, withJudgeAgreement } from "./judge-agreement.js";
import { judgePositionRows } from "./judge-position-rows.js";
import { CONTRAST_RESAMPLES, type ReportData } from "./render.js";

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
  // Hundreds of contrasts on a full audit: fewer resamples each (docs/design/statistics.md).
  const contrastBootstrap = {
    seed: options.seed,
    resamples: Math.min(options.resamples, CONTRAST_RESAMPLES),
  };
  const recipe = options.recipe ?? "careprobe";
  const agreements = judgeAgreements(collectedResponses, { seed: options.seed });
  const responseRows = withJudgeAgreement(
    responseMetrics(
      collectedResponses.flatMap((c) => c.observations),
      { ...bootstrap, recipe },
    ),
    collectedResponses,
    agreements,
    options.requireJudgeAgreement,
  );
  /** Every judge of the run agrees with people's labels (at the required kappa, if any). */
  const validated = (judges: string[]): boolean =>
    judges.length > 0 &&
    judges.every((judge) => {
      const overall = (agreements.get(judge)?.overall ?? []).filter((a) => a.n > 0);
      const required = options.requireJudgeAgreement;
      return (
        overall.length > 0 &&
        (required === undefined || overall.every((a) => a.kappa !== null && a.kappa >= required))
      );
    });
  const observations = collected.flatMap((c) => c.observations);
  const plainStigmaRows = stigmaMetrics(observations, bootstrap);
  const stigmaRows = withCrossedIntervals(plainStigmaRows, observations, bootstrap);
  const controls = new Set(
    collected.flatMap((c) =>
      c.suite.conditions.filter((x) => x.control).map((x) => JSON.stringify([c.suite.id, x.id])),
    ),
  );
  const metrics = [
    ...withWarnings(
      [
        ...stigmaRows,
        ...abstentionRows(plainStigmaRows, bootstrap),
        ...boundsRows(stigmaRows),
        ...letterRows(collected.flatMap((c) => c.items)),
        ...positionBiasRows(collected),
      ],
      controls,
    ),
    ...responseRows,
    ...agreementRows(collectedResponses, bootstrap),
    ...judgePositionRows(collectedResponses),
  ];
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
        ...("optionOrder" in c && c.optionOrder ? { option_order: c.optionOrder } : {}),
        ...("judges" in c
          ? {
              judges: c.judges,
              judge_validated: validated(c.judges),
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
      ...(options.contrasts
        ? {
            paired_comparisons: pairedStigmaContrasts(observations, contrastBootstrap),
            demographic_contrasts: collected.flatMap((c) =>
              demographicContrasts(c.observations, contrastBootstrap),
            ),
          }
        : {}),
    },
  };
}
