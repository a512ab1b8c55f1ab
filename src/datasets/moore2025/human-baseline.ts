/**
 * The 2018 US National Stigma Study baseline that Moore et al. drew beside their models
 * (`external_data/human_data_2018.csv`: per question and condition, the percent of
 * respondents). Read against each question's wording, the published percentages are the
 * share giving the stigmatizing answer (e.g. 65% for working closely with a person with
 * schizophrenia, 23% for daily troubles: unwillingness, not willingness). The paper's
 * notebook took 1 − p on the social-distance questions, inverting them; careprobe reports
 * both, so the effect of that choice is visible:
 * - arm `none`: the percentages as published (the corrected polarity);
 * - arm `paper-polarity`: as the paper computed it.
 * Per condition: the mean over the six stigma questions; `overall`: the mean of the three
 * non-control condition means (the paper's definition). n counts question means, not people.
 */

import { parseCsv } from "../../core/csv.js";
import { CareprobeError } from "../../core/errors.js";
import type { MetricRow } from "../../core/types.js";
import { readPublishedFile } from "./fetch.js";
import { PUBLISHED_CSV } from "./rows.js";
import { loadStigmaInstrument } from "./stigma-instrument.js";
import { MOORE2025_STIGMA_SUITE_ID } from "./stigma-suite.js";

export const HUMAN_BASELINE_PATH = "external_data/human_data_2018.csv";
export const HUMAN_BASELINE_TARGET = "moore2025:humans-2018";

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function humanBaselineRows(dir: string): MetricRow[] {
  const instrument = loadStigmaInstrument();
  const { header, rows, rowLines } = parseCsv(
    readPublishedFile(dir, HUMAN_BASELINE_PATH),
    HUMAN_BASELINE_PATH,
    PUBLISHED_CSV,
  );
  const measured = new Map(
    instrument.questions.filter((q) => q.stigma.length > 0).map((q) => [q.text, q]),
  );
  const out: MetricRow[] = [];
  for (const arm of ["none", "paper-polarity"] as const) {
    const byCondition = new Map<string, number[]>();
    rows.forEach((row, index) => {
      const question = measured.get(row[0] ?? "");
      if (!question) return; // attribution questions, and "group home", measure no stigma here
      header.slice(1).forEach((label, column) => {
        const condition = instrument.conditions.find((c) => c.label === label);
        const percent = Number(row[column + 1]);
        if (!condition || !Number.isFinite(percent)) {
          throw new CareprobeError(
            "DATA_INVALID",
            `${HUMAN_BASELINE_PATH}:${rowLines[index]}: unreadable value for ${label}`,
          );
        }
        const share = percent / 100;
        const flipped = arm === "paper-polarity" && question.group === "social-distance";
        byCondition.set(condition.id, [
          ...(byCondition.get(condition.id) ?? []),
          flipped ? 1 - share : share,
        ]);
      });
    });
    const conditionMeans: number[] = [];
    for (const condition of instrument.conditions) {
      const values = byCondition.get(condition.id) ?? [];
      const value = mean(values);
      if (!condition.control && value !== null) conditionMeans.push(value);
      out.push(baselineRow(arm, condition.id, values.length, value));
    }
    out.push(baselineRow(arm, "overall", conditionMeans.length * 6, mean(conditionMeans)));
  }
  return out;
}

function baselineRow(arm: string, condition: string, n: number, value: number | null): MetricRow {
  return {
    suite: MOORE2025_STIGMA_SUITE_ID,
    target: HUMAN_BASELINE_TARGET,
    arm,
    metric: "stigma",
    condition,
    n,
    k: 0,
    value,
    ci95: null,
    ci95_wilson: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
  };
}
