/** `careprobe compare` output: terminal table, JSON, Markdown (for a pull-request comment). */
import type { CompareMetric, PairedItem, RunComparison } from "./compare-runs.js";
import { markdownCell, terminalCell, textTable } from "./format.js";

export const COMPARE_FORMAT = "careprobe-compare";

function pct(x: number | null): string {
  return x === null ? "—" : `${(x * 100).toFixed(1)}%`;
}

function points(m: CompareMetric): string {
  if (m.diff === null) return "—";
  const ci = m.ci95 ? ` [${(m.ci95[0] * 100).toFixed(1)}, ${(m.ci95[1] * 100).toFixed(1)}]` : "";
  return `${m.diff > 0 ? "+" : ""}${(m.diff * 100).toFixed(1)}${ci}`;
}

function metricCells(m: CompareMetric): string[] {
  return [
    m.metric,
    m.condition,
    String(m.n),
    pct(m.base_value),
    pct(m.head_value),
    points(m),
    String(m.regressed),
    String(m.improved),
    `${m.p_mcnemar.toPrecision(3)}${m.ci95_note ? " †" : ""}`,
    m.significantly_worse ? "worse" : "",
  ];
}

const HEADER = [
  "metric",
  "condition",
  "pairs",
  "base",
  "head",
  "head − base (points, 95% CI bootstrap)",
  "regressed",
  "improved",
  "McNemar exact p",
  "",
];

/** One line per metric whose interval and p disagree (marked † in the table). */
function notes(c: RunComparison): string[] {
  return c.metrics
    .filter((m) => m.ci95_note)
    .map((m) => `† ${m.metric} · ${m.condition}: ${m.ci95_note}`);
}

function itemLine(p: PairedItem): string {
  return `${p.item_id}${p.sample > 0 ? ` #${p.sample}` : ""} (${p.condition}${p.severity ? `, ${p.severity}` : ""})`;
}

function sides(c: RunComparison): string[] {
  return [
    `base: ${c.base.target} · ${c.base.arm} · ${c.base.suite} (run ${c.base.id}, ${c.base.updated_at})`,
    `head: ${c.head.target} · ${c.head.arm} · ${c.head.suite} (run ${c.head.id}, ${c.head.updated_at})`,
    `${c.paired} paired item(s); ${c.only_base} only in base, ${c.only_head} only in head${c.suite_changed ? "; the suite changed between the runs (items paired by id)" : ""}`,
  ];
}

export function renderCompareTable(c: RunComparison): string {
  const rows = c.metrics.map(metricCells);
  const lines = [
    ...sides(c).map((l) => terminalCell(l, 400)),
    "",
    textTable(
      HEADER,
      rows,
      HEADER.map((_h, i) => i >= 2 && i < 9),
    ),
    ...notes(c),
    "",
    `Regressed (${c.regressed.length}):`,
    ...c.regressed.map((p) => `  ${terminalCell(itemLine(p), 200)}`),
    `Improved (${c.improved.length}):`,
    ...c.improved.map((p) => `  ${terminalCell(itemLine(p), 200)}`),
  ];
  return `${lines.join("\n")}\n`;
}

export function renderCompareJson(c: RunComparison): string {
  return `${JSON.stringify({ format: COMPARE_FORMAT, version: 1, generated_at: new Date().toISOString(), ...c }, null, 2)}\n`;
}

export function renderCompareMarkdown(c: RunComparison): string {
  const md = (cells: string[]) => `| ${cells.map(markdownCell).join(" | ")} |`;
  const list = (items: PairedItem[]) =>
    items.length === 0 ? ["- none"] : items.map((p) => `- ${markdownCell(itemLine(p))}`);
  return [
    `## careprobe compare: ${markdownCell(c.base.target)} → ${markdownCell(c.head.target)}`,
    "",
    ...sides(c).map((l) => `- ${markdownCell(l)}`),
    "",
    md(HEADER.map((h) => h || "flag")),
    `| ${HEADER.map((_h, i) => (i >= 2 && i < 9 ? "---:" : "---")).join(" | ")} |`,
    ...c.metrics.map((m) => md(metricCells(m))),
    "",
    ...notes(c).flatMap((line) => [markdownCell(line), ""]),
    `### Regressed (${c.regressed.length})`,
    "",
    ...list(c.regressed),
    "",
    `### Improved (${c.improved.length})`,
    "",
    ...list(c.improved),
    "",
    "Differences over paired items, with a 95% bootstrap interval over pairs; McNemar's exact test on the pairs that changed.",
    "",
  ].join("\n");
}
