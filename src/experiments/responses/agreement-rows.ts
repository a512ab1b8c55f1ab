/**
 * Agreement as metric rows; the unit is one check of one response. Among the stored
 * labels (people's, and any model labels a dataset ships, such as the paper's validation
 * file): Fleiss' kappa and Krippendorff's alpha over all of them, and Cohen's kappa and
 * percent agreement per pair. Between the run's own judges (the verdicts behind its rates)
 * and each labeller: Cohen's kappa and percent agreement.
 */
import type { MetricRow } from "../../core/types.js";
import { type Estimate, type RaterTable, validateRaters } from "../../judges/validate.js";
import type { CollectedResponsesRun } from "./collect.js";

function row(
  run: CollectedResponsesRun,
  metric: string,
  condition: string,
  estimate: Estimate,
  raters: string[],
): MetricRow {
  return {
    suite: run.suite.id,
    target: run.run.target,
    arm: run.run.arm,
    metric,
    condition,
    n: estimate.n,
    k: 0,
    value: estimate.value,
    ci95: estimate.ci95,
    ci95_wilson: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
    raters,
  };
}

/** The labelled checks of a run as a rater table (the run's judges first, then labellers). */
export function raterTable(run: CollectedResponsesRun, withJudges = true): RaterTable | undefined {
  const labelled = run.items.filter((item) => item.labels.length > 0);
  if (labelled.length === 0) return undefined;
  const judges = withJudges
    ? [...new Set(labelled.flatMap((i) => i.judges.map((j) => j.judge)))]
    : [];
  const people = [...new Set(labelled.flatMap((i) => i.labels.map((l) => l.rater)))];
  const table: RaterTable = { ids: [], conditions: [], raters: {} };
  for (const rater of [...judges, ...people]) table.raters[rater] = [];
  for (const item of labelled) {
    const checks = [...new Set(item.labels.map((l) => l.check))];
    for (const check of checks) {
      table.ids.push(`${item.item_id}#${item.sample}#${check}`);
      table.conditions?.push(item.condition);
      for (const judge of judges) {
        const answer =
          item.judges.find((j) => j.judge === judge && j.check === check)?.answer ?? null;
        table.raters[judge]?.push(answer);
      }
      for (const person of people) {
        const label =
          item.labels.find((l) => l.rater === person && l.check === check)?.label ?? null;
        table.raters[person]?.push(label);
      }
    }
  }
  return table;
}

export function agreementRows(
  runs: CollectedResponsesRun[],
  options: { seed: number; resamples: number },
): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const run of runs) {
    const labels = raterTable(run, false);
    if (!labels) continue;
    const labellers = Object.keys(labels.raters);
    if (labellers.length >= 2) {
      const report = validateRaters(labels, options);
      for (const group of [report.overall, ...report.conditions]) {
        rows.push(row(run, "fleiss_kappa", group.condition, group.fleissKappa, report.raters));
        rows.push(
          row(run, "krippendorff_alpha", group.condition, group.krippendorffAlpha, report.raters),
        );
        for (const pair of group.pairs) {
          rows.push(row(run, "cohen_kappa", group.condition, pair.cohenKappa, pair.raters));
          rows.push(
            row(run, "percent_agreement", group.condition, pair.percentAgreement, pair.raters),
          );
        }
      }
    }
    const all = raterTable(run, true);
    if (!all) continue;
    const report = validateRaters(all, options);
    for (const group of [report.overall, ...report.conditions]) {
      for (const pair of group.pairs) {
        // Pairs of labellers were reported above; here each judge against each labeller.
        if (labellers.includes(pair.raters[0])) continue;
        rows.push(row(run, "cohen_kappa", group.condition, pair.cohenKappa, pair.raters));
        rows.push(
          row(run, "percent_agreement", group.condition, pair.percentAgreement, pair.raters),
        );
      }
    }
  }
  return rows;
}
