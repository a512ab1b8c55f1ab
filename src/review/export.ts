/**
 * People's labels in the layout of the paper's classification_validation.csv: one row
 * per labelled check, the stimulus, the question, the response, then one
 * `<rater>_classification` column per judge and per reviewer. `unsure` is written as an
 * empty cell (not a label), as the paper's annotators left unlabelled rows empty. The
 * file reads back with `careprobe judge validate --labels FILE`.
 */

import type { CollectedResponsesRun } from "../experiments/responses/collect.js";
import { csvLine } from "../report/format.js";

const FIXED = [
  "key",
  "condition",
  "transcript_index",
  "interjection",
  "verification_in_context",
  "verification_prompt",
  "verification_options",
  "verification_correct",
  "message_number",
  "model_response",
  "classification_prompt",
];

export function exportValidationCsv(runs: CollectedResponsesRun[]): string {
  const labelled = runs.flatMap((run) =>
    run.items.filter((item) => item.labels.length > 0).map((item) => ({ run, item })),
  );
  const judges = [...new Set(labelled.flatMap(({ item }) => item.judges.map((j) => j.judge)))];
  const people = [...new Set(labelled.flatMap(({ item }) => item.labels.map((l) => l.rater)))];
  const raters = [...judges, ...people.filter((p) => !judges.includes(p))];
  const lines = [csvLine([...FIXED, ...raters.map((r) => `${r}_classification`)])];
  for (const { run, item } of labelled) {
    const stimulus = run.suite.items.find((s) => s.id === item.stimulus_id);
    for (const check of [...new Set(item.labels.map((l) => l.check))].sort()) {
      const question = stimulus?.checks[check];
      const sampleTag = item.sample === 0 ? "" : `#${item.sample}`;
      const checkTag = (stimulus?.checks.length ?? 1) > 1 ? `/check${check}` : "";
      const answers = raters.map((rater) => {
        const judged = item.judges.find((j) => j.judge === rater && j.check === check);
        if (judged) return judged.answer ?? "";
        const label = item.labels.find((l) => l.rater === rater && l.check === check)?.label;
        return label === undefined || label === "unsure" ? "" : label;
      });
      lines.push(
        csvLine([
          `${run.run.target}/${run.run.arm}/${item.item_id}${sampleTag}${checkTag}`,
          item.condition,
          item.transcript ?? "",
          item.stimulus,
          "[]",
          question?.question ?? "",
          "['yes', 'no']",
          question?.appropriate ?? "",
          item.position,
          item.judged_output ?? "",
          "",
          ...answers,
        ]),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
