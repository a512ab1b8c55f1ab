/**
 * `careprobe standard` renderers: the mapping review as a terminal table, versioned JSON,
 * CSV (one row per feature and per sub-item) and Markdown. Pure: they return strings.
 */

import type { MappingReview, ReviewFeature, ReviewSubItem } from "../standard/review.js";
import { csvLine, markdownCell, textTable } from "./format.js";

export const STANDARD_FORMAT = "careprobe-standard";
export const STANDARD_VERSION = 1;

const SOURCE =
  "the mapping review of Moore et al. (FAccT 2025), data/annotations.csv of their published data";

interface Line {
  id: string;
  label: string;
  named: string;
  numbers: string;
  testable: string;
  guidelines: string[];
  count: number;
  of: number;
  feature: string;
  subItem: string;
}

/** Guidelines by their 1-based number in the file, so a row fits on a line. */
function numbersOf(review: MappingReview, guidelines: string[]): string {
  return guidelines.map((g) => String(review.guidelines.indexOf(g) + 1)).join(" ");
}

function lines(review: MappingReview): Line[] {
  const of = review.guidelines.length;
  const line = (
    feature: ReviewFeature,
    item: ReviewFeature | ReviewSubItem,
    testable: boolean,
    subItem?: ReviewSubItem,
  ): Line => ({
    id: subItem ? `${feature.id}/${subItem.id}` : feature.id,
    label: item.label,
    named: `${item.count} of ${of}`,
    numbers: numbersOf(review, item.guidelines),
    testable: testable ? "yes" : "no",
    guidelines: item.guidelines,
    count: item.count,
    of,
    feature: feature.id,
    subItem: subItem?.id ?? "",
  });
  return review.features.flatMap((feature) => [
    line(feature, feature, feature.textTestable),
    ...feature.subItems.map((s) => line(feature, s, s.textTestable, s)),
  ]);
}

function legend(review: MappingReview): string[] {
  return review.guidelines.map((g, i) => `${String(i + 1).padStart(2)}  ${g}`);
}

export function renderStandardTable(review: MappingReview): string {
  const header = ["id", "feature", "named by", "guidelines", "text-testable"];
  const rows = lines(review).map((l) => [
    l.subItem ? `  ${l.id}` : l.id,
    l.subItem ? `  ${l.label}` : l.label,
    l.named,
    l.numbers,
    l.testable,
  ]);
  const table = textTable(header, rows, [false, false, true, false, false]);
  return `The standard of care: ${review.features.length} features from ${SOURCE}\n\n${table}\n\nGuidelines:\n${legend(review).join("\n")}\n`;
}

export function renderStandardJson(review: MappingReview): string {
  return `${JSON.stringify(
    {
      format: STANDARD_FORMAT,
      version: STANDARD_VERSION,
      source: SOURCE,
      guidelines: review.guidelines,
      features: review.features.map((f) => ({
        id: f.id,
        label: f.label,
        count: f.count,
        of: f.of,
        guidelines: f.guidelines,
        text_testable: f.textTestable,
        why: f.why,
        sub_items: f.subItems.map((s) => ({
          id: s.id,
          label: s.label,
          count: s.count,
          guidelines: s.guidelines,
          text_testable: s.textTestable,
        })),
      })),
    },
    null,
    2,
  )}\n`;
}

export function renderStandardCsv(review: MappingReview): string {
  const out = [
    csvLine(["feature", "sub_item", "label", "count", "of", "guidelines", "text_testable"]),
  ];
  for (const l of lines(review)) {
    out.push(
      csvLine([l.feature, l.subItem, l.label, l.count, l.of, l.guidelines.join(";"), l.testable]),
    );
  }
  return `${out.join("\n")}\n`;
}

export function renderStandardMarkdown(review: MappingReview): string {
  const rows = lines(review).map(
    (l) =>
      `| ${markdownCell(l.id)} | ${l.subItem ? "↳ " : ""}${markdownCell(l.label)} | ${l.named} | ${l.numbers} | ${l.testable} |`,
  );
  return [
    "# The standard of care",
    "",
    `${review.features.length} features from ${markdownCell(SOURCE)}.`,
    "",
    "| id | feature | named by | guidelines | text-testable |",
    "| --- | --- | ---: | --- | --- |",
    ...rows,
    "",
    "Guidelines:",
    "",
    ...review.guidelines.map((g, i) => `${i + 1}. ${markdownCell(g)}`),
    "",
  ].join("\n");
}
