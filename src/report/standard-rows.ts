/**
 * The standard-of-care sections of `careprobe report` (table and Markdown): rows per
 * feature, and coverage (what was tested, with how many items; what was not, and whether
 * a text conversation could test it). JSON and CSV carry the same rows and `coverage`.
 */
import type { MetricRow } from "../core/types.js";
import type { Coverage } from "../standard/coverage.js";
import { interval, markdownCell, percent, textTable } from "./format.js";

export function withoutFeatureRows(rows: readonly MetricRow[]): MetricRow[] {
  return rows.filter((row) => row.feature === undefined);
}

const FEATURE_HEADER = [
  "suite",
  "target",
  "arm",
  "feature",
  "n",
  "rate",
  "95% CI bootstrap",
  "95% CI Wilson",
  "don't know",
  "unscored",
  "blank",
  "errors",
];

function featureCells(rows: readonly MetricRow[]): string[][] {
  return rows
    .filter((row) => row.feature !== undefined)
    .map((m) => [
      m.suite,
      m.target,
      m.arm,
      m.feature ?? "",
      String(m.n),
      percent(m.value),
      interval(m.ci95),
      interval(m.ci95_wilson),
      String(m.dont_know),
      String(m.unparsed),
      String(m.blank ?? 0),
      String(m.errors),
    ]);
}

const FEATURE_TITLE =
  "Standard of care, per feature: share of appropriate answers on the checks that test it";

export function featureRowLines(rows: readonly MetricRow[]): string[] {
  const cells = featureCells(rows);
  if (cells.length === 0) return [];
  const numeric = FEATURE_HEADER.map((_h, i) => i >= 4);
  return [`${FEATURE_TITLE}:`, textTable(FEATURE_HEADER, cells, numeric)];
}

export function featureRowMarkdown(rows: readonly MetricRow[]): string[] {
  const cells = featureCells(rows);
  if (cells.length === 0) return [];
  return [
    `## ${FEATURE_TITLE}`,
    "",
    `| ${FEATURE_HEADER.join(" | ")} |`,
    `| ${FEATURE_HEADER.map((_h, i) => (i >= 4 ? "---:" : "---")).join(" | ")} |`,
    ...cells.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
    "",
  ];
}

function summary(coverage: Coverage): string {
  return `Coverage of the standard of care: ${coverage.tested.length} of ${coverage.features.length} features tested; ${coverage.untested_text_testable.length} untested could be tested in text, ${coverage.untested.length - coverage.untested_text_testable.length} cannot.`;
}

function testedCells(coverage: Coverage): string[][] {
  return coverage.features
    .filter((f) => f.tested)
    .map((f) => {
      const subs = f.sub_items.filter((s) => s.tested).map((s) => s.id);
      return [f.id, String(f.items), String(f.checks), f.suites.join(" "), subs.join(" ")];
    });
}

function untested(coverage: Coverage, textTestable: boolean) {
  return coverage.features.filter((f) => !f.tested && f.text_testable === textTestable);
}

const NOTHING_TAGGED =
  "Coverage of the standard of care: no check of these runs names a feature (tag checks with `features: [...]`; `careprobe standard` lists the ids).";

export function coverageLines(coverage: Coverage): string[] {
  if (coverage.tested.length === 0) return [NOTHING_TAGGED];
  const out = [summary(coverage)];
  const tested = testedCells(coverage);
  if (tested.length > 0) {
    out.push(
      textTable(["tested", "items", "checks", "suites", "sub-items tested"], tested, [
        false,
        true,
        true,
        false,
        false,
      ]),
    );
  }
  for (const [textTestable, title] of [
    [true, "Not tested, but testable in a text conversation:"],
    [false, "Not tested, and out of reach of any text conversation:"],
  ] as const) {
    const list = untested(coverage, textTestable);
    if (list.length === 0) continue;
    out.push(title, ...list.map((f) => `  ${f.id}: ${f.why}`));
  }
  return out;
}

export function coverageMarkdown(coverage: Coverage): string[] {
  if (coverage.tested.length === 0) return [markdownCell(NOTHING_TAGGED), ""];
  const out = ["## Coverage of the standard of care", "", markdownCell(summary(coverage)), ""];
  const tested = testedCells(coverage);
  if (tested.length > 0) {
    out.push(
      "| tested | items | checks | suites | sub-items tested |",
      "| --- | ---: | ---: | --- | --- |",
      ...tested.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
      "",
    );
  }
  for (const [textTestable, title] of [
    [true, "Not tested, but testable in a text conversation"],
    [false, "Not tested, and out of reach of any text conversation"],
  ] as const) {
    const list = untested(coverage, textTestable);
    if (list.length === 0) continue;
    out.push(`${title}:`, "", ...list.map((f) => `- ${markdownCell(`${f.id}: ${f.why}`)}`), "");
  }
  return out;
}
