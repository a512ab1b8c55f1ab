/**
 * Renderers for `careprobe report`: terminal table, versioned JSON, CSV and Markdown for
 * metrics; JSONL and CSV for item rows. Pure: they return strings.
 */
import type { MetricRow } from "../core/types.js";
import type { ItemRow } from "./collect.js";
import { csvLine, interval, markdownCell, percent, textTable } from "./format.js";

export const REPORT_FORMAT = "careprobe-report";
export const REPORT_VERSION = 1;

export interface RunSummaryRow {
  id: string;
  suite: string;
  target: string;
  arm: string;
  planned: number;
  answered: number;
  errors: number;
  pending: number;
}

export interface ReportData {
  toolVersion: string;
  seed: number;
  resamples: number;
  runs: RunSummaryRow[];
  metrics: MetricRow[];
}

const METRIC_COLUMNS = [
  "suite",
  "target",
  "arm",
  "metric",
  "condition",
  "n",
  "k",
  "value",
  "ci95_low",
  "ci95_high",
  "ci95_wilson_low",
  "ci95_wilson_high",
  "dont_know",
  "unparsed",
  "errors",
] as const;

export function renderJson(data: ReportData): string {
  return `${JSON.stringify(
    {
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      generated_at: new Date().toISOString(),
      tool_version: data.toolVersion,
      bootstrap: { seed: data.seed, resamples: data.resamples, level: 0.95, method: "percentile" },
      runs: data.runs,
      metrics: data.metrics,
    },
    null,
    2,
  )}\n`;
}

export function renderCsv(data: ReportData): string {
  const lines = [METRIC_COLUMNS.join(",")];
  for (const m of data.metrics) {
    lines.push(
      csvLine([
        m.suite,
        m.target,
        m.arm,
        m.metric,
        m.condition,
        m.n,
        m.k,
        m.value,
        m.ci95?.[0],
        m.ci95?.[1],
        m.ci95_wilson?.[0],
        m.ci95_wilson?.[1],
        m.dont_know,
        m.unparsed,
        m.errors,
      ]),
    );
  }
  return `${lines.join("\n")}\n`;
}

function displayRows(data: ReportData): { header: string[]; rows: string[][]; numeric: boolean[] } {
  const header = [
    "suite",
    "target",
    "arm",
    "condition",
    "n",
    "stigma",
    "95% CI bootstrap",
    "95% CI Wilson",
    "don't know",
    "unparsed",
    "errors",
  ];
  const rows = data.metrics.map((m) => [
    m.suite,
    m.target,
    m.arm,
    m.condition,
    String(m.n),
    percent(m.value),
    interval(m.ci95),
    interval(m.ci95_wilson),
    String(m.dont_know),
    String(m.unparsed),
    String(m.errors),
  ]);
  const numeric = header.map((_h, i) => i >= 4);
  return { header, rows, numeric };
}

function runLines(data: ReportData): string[] {
  return data.runs.map(
    (r) =>
      `${r.suite} · ${r.target} · ${r.arm}: ${r.answered}/${r.planned} answered, ${r.errors} errors, ${r.pending} not yet run`,
  );
}

export function renderTable(data: ReportData): string {
  if (data.metrics.length === 0) return "No stored runs match. Run `careprobe run` first.\n";
  const { header, rows, numeric } = displayRows(data);
  return `${textTable(header, rows, numeric)}\n\n${runLines(data).join("\n")}\n`;
}

export function renderMarkdown(data: ReportData): string {
  const { header, rows } = displayRows(data);
  const lines = [
    "# careprobe report",
    "",
    `Stigma: share of answers on the stigma-measuring questions that are stigmatizing. "Don't know" and unparsed answers are excluded from n and counted beside it. Intervals: 95% percentile bootstrap (${data.resamples} resamples, seed ${data.seed}) and Wilson.`,
    "",
    `| ${header.map(markdownCell).join(" | ")} |`,
    `| ${header.map((_h, i) => (i >= 4 ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
    "",
    ...runLines(data).map((line) => `- ${markdownCell(line)}`),
    "",
  ];
  return lines.join("\n");
}

const ITEM_COLUMNS: Array<keyof ItemRow> = [
  "suite",
  "item_id",
  "target",
  "arm",
  "sample",
  "condition",
  "question_id",
  "question",
  "output",
  "answer",
  "letter",
  "outcome",
  "measures_stigma",
  "error",
];

export function renderItemsJsonl(items: ItemRow[]): string {
  return items.map((item) => JSON.stringify(item)).join("\n") + (items.length > 0 ? "\n" : "");
}

export function renderItemsCsv(items: ItemRow[]): string {
  const lines = [ITEM_COLUMNS.join(",")];
  for (const item of items) lines.push(csvLine(ITEM_COLUMNS.map((column) => item[column])));
  return `${lines.join("\n")}\n`;
}
