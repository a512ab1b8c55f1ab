/**
 * Agreement between a run's judges and people's stored labels, as metric rows: Fleiss'
 * kappa and Krippendorff's alpha over all raters, Cohen's kappa and percent agreement per
 * pair, overall and per condition. The unit is one check of one response.
 */
import type { MetricRow } from "../core/types.js";
import { type Estimate, type RaterTable, validateRaters } from "../judges/validate.js";
import type { CollectedResponsesRun } from "./collect-responses.js";

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

/** The labelled checks of a run as a rater table (judges first, then people). */
export function raterTable(run: CollectedResponsesRun): RaterTable | undefined {
  const labelled = run.items.filter((item) => item.labels.length > 0);
  if (labelled.length === 0) return undefined;
  const judges = [...new Set(labelled.flatMap((i) => i.judges.map((j) => j.judge)))];
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
    const table = raterTable(run);
    if (!table) continue;
    const report = validateRaters(table, { seed: options.seed, resamples: options.resamples });
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
  return rows;
}
