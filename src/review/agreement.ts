/**
 * Live agreement between the judges and the reviewers of a suite's responses, as labels
 * arrive: Cohen's kappa with a bootstrap interval for every judge–reviewer pair, overall
 * and per condition (and reviewer–reviewer pairs where two people labelled the same
 * responses). `unsure` is not a label of the check: it counts as not labelled.
 */
import type { Label } from "../analysis/agreement.js";
import { raterTable } from "../experiments/responses/agreement-rows.js";
import type { CollectedResponsesRun } from "../experiments/responses/collect.js";
import { type Estimate, type RaterTable, validateRaters } from "../judges/validate.js";

export interface AgreementPairRow {
  condition: string;
  raters: [string, string];
  n: number;
  percentAgreement: number | null;
  kappa: Estimate;
}

export interface LiveAgreement {
  suite: string;
  judges: string[];
  reviewers: string[];
  /** Labelled checks (any reviewer, unsure included). */
  labelled: number;
  rows: AgreementPairRow[];
}

/** The suite's labelled checks of every run in one table (raters absent from a run: null). */
function suiteTable(runs: CollectedResponsesRun[]): { table: RaterTable; judges: string[] } {
  const table: RaterTable = { ids: [], conditions: [], raters: {} };
  const judges = new Set<string>();
  for (const run of runs) {
    const part = raterTable(run, true);
    if (!part) continue;
    for (const judge of run.judges) judges.add(judge);
    const before = table.ids.length;
    for (const name of Object.keys(part.raters)) {
      if (!table.raters[name]) table.raters[name] = new Array<Label>(before).fill(null);
    }
    table.ids.push(...part.ids.map((id) => `${run.run.id}#${id}`));
    table.conditions?.push(...(part.conditions ?? []));
    for (const [name, labels] of Object.entries(table.raters)) {
      const own = part.raters[name];
      labels.push(...(own ?? new Array<Label>(part.ids.length).fill(null)));
    }
  }
  for (const labels of Object.values(table.raters)) {
    labels.forEach((label, i) => {
      if (label === "unsure") labels[i] = null;
    });
  }
  return { table, judges: [...judges] };
}

export function liveAgreement(
  suiteId: string,
  runs: CollectedResponsesRun[],
  options: { seed: number; resamples: number },
): LiveAgreement {
  const { table, judges } = suiteTable(runs);
  const names = Object.keys(table.raters);
  const reviewers = names.filter((name) => !judges.includes(name));
  const result: LiveAgreement = {
    suite: suiteId,
    judges,
    reviewers,
    labelled: table.ids.length,
    rows: [],
  };
  if (names.length < 2 || table.ids.length === 0) return result;
  const report = validateRaters(table, { ...options, reference: names[0] as string });
  for (const group of [report.overall, ...report.conditions]) {
    for (const pair of group.pairs) {
      // Judge against judge is not what a reviewer validates.
      if (judges.includes(pair.raters[0]) && judges.includes(pair.raters[1])) continue;
      result.rows.push({
        condition: group.condition,
        raters: pair.raters,
        n: pair.n,
        percentAgreement: pair.percentAgreement.value,
        kappa: pair.cohenKappa,
      });
    }
  }
  return result;
}
