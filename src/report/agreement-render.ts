/**
 * Agreement rows (kappa, alpha, percent agreement) in the terminal table and Markdown: a
 * section of their own, each row naming the raters it compares, coefficients printed as
 * coefficients and percent agreement as a percentage.
 */
import type { MetricRow } from "../core/types.js";
import {
  isAgreement,
  markdownCell,
  raterLabel,
  shownInterval,
  shownValue,
  textTable,
} from "./format.js";

const AGREEMENT_HEADER = [
  "suite",
  "target",
  "arm",
  "metric",
  "raters",
  "condition",
  "n",
  "value",
  "95% CI bootstrap",
];
const AGREEMENT_NOTE =
  "Agreement between raters: kappa and alpha as coefficients (1 = perfect, 0 = chance), percent agreement as a share.";

/** Agreement rows, each naming the raters it compares. */
function agreementCells(metrics: readonly MetricRow[]): string[][] {
  return metrics
    .filter(isAgreement)
    .map((m) => [
      m.suite,
      m.target,
      m.arm,
      m.metric,
      raterLabel(m.raters),
      m.condition,
      String(m.n),
      shownValue(m),
      shownInterval(m),
    ]);
}

export function agreementTable(metrics: readonly MetricRow[]): string {
  const rows = agreementCells(metrics);
  if (rows.length === 0) return "";
  const numeric = AGREEMENT_HEADER.map((_h, i) => i >= 6);
  return `\n${AGREEMENT_NOTE}\n${textTable(AGREEMENT_HEADER, rows, numeric)}\n`;
}

export function agreementMarkdown(metrics: readonly MetricRow[]): string[] {
  const rows = agreementCells(metrics);
  if (rows.length === 0) return [];
  return [
    "## Agreement between raters",
    "",
    AGREEMENT_NOTE,
    "",
    `| ${AGREEMENT_HEADER.map(markdownCell).join(" | ")} |`,
    `| ${AGREEMENT_HEADER.map((_h, i) => (i >= 6 ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
    "",
  ];
}
