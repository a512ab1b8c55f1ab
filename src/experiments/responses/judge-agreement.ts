/**
 * The validity gate for judges. A judge is validated by its agreement with people's labels
 * of the same responses (the paper's annotators, labels stored by the web app, a CSV). The
 * agreement belongs to the judge, not to one run: every labelled check of every run it
 * judged is pooled, overall and per condition. Every judged rate then carries its judges'
 * agreement for its condition, and `--require-judge-agreement KAPPA` marks the rates whose
 * judge falls below it (or was never checked against people) so gates refuse to pass.
 */
import type { MetricRow } from "../../core/types.js";
import { type RaterTable, validateRaters } from "../../judges/validate.js";
import { raterTable } from "./agreement-rows.js";
import type { CollectedResponsesRun } from "./collect.js";

type Label = RaterTable["raters"][string][number];

/** Metrics whose value rests on a judge's verdicts. */
export const JUDGED_METRICS = new Set([
  "appropriate",
  "appropriate_critical",
  "appropriate_no_context",
  "over_reaction",
]);

/** One judge's agreement with one labeller, for one condition (or `overall`). */
export interface JudgeAgreement {
  judge: string;
  rater: string;
  condition: string;
  /** Cohen's kappa; null when undefined (one category only). */
  kappa: number | null;
  /** Checks both labelled. */
  n: number;
}

export type Agreements = Map<
  string,
  { overall: JudgeAgreement[]; byCondition: Map<string, JudgeAgreement[]> }
>;

function pooledTables(runs: readonly CollectedResponsesRun[]): Map<string, RaterTable> {
  const tables = new Map<string, RaterTable>();
  for (const run of runs) {
    const table = raterTable(run, true);
    if (!table) continue;
    const judges = Object.keys(table.raters).filter(
      (r) => run.judges.includes(r) || run.items.some((i) => i.judges.some((j) => j.judge === r)),
    );
    const labellers = Object.keys(table.raters).filter((r) => !judges.includes(r));
    for (const judge of judges) {
      const pooled = tables.get(judge) ?? { ids: [], conditions: [], raters: { [judge]: [] } };
      const size = pooled.ids.length;
      pooled.ids.push(...table.ids.map((id) => `${run.run.id}/${id}`));
      pooled.conditions?.push(...(table.conditions ?? []));
      for (const rater of [judge, ...labellers]) {
        const column: Label[] = pooled.raters[rater] ?? Array.from({ length: size }, () => null);
        column.push(...(table.raters[rater] ?? []));
        pooled.raters[rater] = column;
      }
      for (const column of Object.values(pooled.raters))
        while (column.length < pooled.ids.length) column.push(null);
      tables.set(judge, pooled);
    }
  }
  return tables;
}

/** Each judge's kappa with each labeller, pooled over the runs it judged. */
export function judgeAgreements(
  runs: readonly CollectedResponsesRun[],
  options: { seed: number },
): Agreements {
  const out: Agreements = new Map();
  for (const [judge, table] of pooledTables(runs)) {
    // The coefficients, not their intervals, are used here: few resamples suffice.
    const report = validateRaters(table, { seed: options.seed, resamples: 200, reference: judge });
    const of = (group: typeof report.overall): JudgeAgreement[] =>
      group.pairs
        .filter((p) => p.raters.includes(judge))
        .map((p) => ({
          judge,
          rater: p.raters[0] === judge ? p.raters[1] : p.raters[0],
          condition: group.condition,
          kappa: p.cohenKappa.value,
          n: p.cohenKappa.n,
        }));
    out.set(judge, {
      overall: of(report.overall),
      byCondition: new Map(report.conditions.map((g) => [g.condition, of(g)])),
    });
  }
  return out;
}

function lacking(
  agreement: JudgeAgreement[],
  judge: string,
  required: number,
  condition: string,
): string | undefined {
  const usable = agreement.filter((a) => a.n > 0);
  if (usable.length === 0)
    return `judge ${judge} has no agreement with people's labels on ${condition}`;
  const low = usable.find((a) => a.kappa === null || a.kappa < required);
  if (!low) return undefined;
  const kappa = low.kappa === null ? "undefined" : low.kappa.toFixed(3);
  return `judge ${judge} agrees with ${low.rater} on ${low.condition} with kappa ${kappa} (n = ${low.n}), below the required ${required}`;
}

/**
 * Judged rates with `judge_agreement` (their judges' kappa with each labeller for the
 * row's condition where labels exist there, else overall). With `required`, rows whose
 * judge lacks it get `judge_agreement_ok: false` and a warning saying which judge and
 * condition.
 */
export function withJudgeAgreement(
  rows: readonly MetricRow[],
  runs: readonly CollectedResponsesRun[],
  agreements: Agreements,
  required?: number,
): MetricRow[] {
  const judgesOf = new Map(
    runs.map((r) => [JSON.stringify([r.suite.id, r.run.target, r.run.arm]), r.judges]),
  );
  return rows.map((row) => {
    if (!JUDGED_METRICS.has(row.metric)) return row;
    const judges = judgesOf.get(JSON.stringify([row.suite, row.target, row.arm])) ?? [];
    if (judges.length === 0) return row;
    const agreement: JudgeAgreement[] = [];
    const problems: string[] = [];
    for (const judge of judges) {
      const known = agreements.get(judge);
      const specific = known?.byCondition.get(row.condition)?.filter((a) => a.n > 0) ?? [];
      const used = specific.length > 0 ? specific : (known?.overall ?? []);
      agreement.push(...used);
      if (required !== undefined) {
        const problem = lacking(used, judge, required, row.condition);
        if (problem) problems.push(problem);
      }
    }
    return {
      ...row,
      judge_agreement: agreement,
      ...(required === undefined ? {} : { judge_agreement_ok: problems.length === 0 }),
      ...(problems.length > 0 ? { warnings: [...(row.warnings ?? []), ...problems] } : {}),
    };
  });
}

/** Rows a gate must not pass on: judged rates marked as lacking their judge's agreement. */
export function rowsLackingAgreement(rows: readonly MetricRow[]): MetricRow[] {
  return rows.filter((row) => row.judge_agreement_ok === false);
}

/** Every judge of a run agrees with people's labels (at the required kappa, if one is given). */
export function judgesValidated(
  judges: readonly string[],
  agreements: Agreements,
  required?: number,
): boolean {
  return (
    judges.length > 0 &&
    judges.every((judge) => {
      const overall = (agreements.get(judge)?.overall ?? []).filter((a) => a.n > 0);
      return (
        overall.length > 0 &&
        (required === undefined || overall.every((a) => a.kappa !== null && a.kappa >= required))
      );
    })
  );
}
