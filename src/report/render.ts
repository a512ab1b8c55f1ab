/**
 * Renderers for `careprobe report`: terminal table, versioned JSON, CSV and Markdown for
 * metrics; JSONL and CSV for item rows. Pure: they return strings.
 */
import type { DemographicContrast } from "../analysis/demographic.js";
import type { PairedContrast } from "../analysis/paired-stigma.js";
import type { MetricRow } from "../core/types.js";
import type { ItemRow } from "./collect.js";
import type { ResponseItemRow } from "./collect-responses.js";
import { COMPACT_NOTE, compactTable } from "./compact.js";
import type { Comparison } from "./comparisons.js";
import { csvLine, interval, markdownCell, percent, terminalCell, textTable } from "./format.js";

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
  /** Responses suites: the judges, and whether they were validated against human labels. */
  judges?: string[];
  /** Checks on which readable judges gave different answers. */
  judge_disagreements?: number;
  judge_validated?: boolean;
  judge_note?: string;
  /** Multiple-choice runs: how the options were ordered (`--option-order`). */
  option_order?: string;
}

export interface ReportData {
  toolVersion: string;
  /** `careprobe` (default) or `paper` (Moore et al.'s answer rule and counting). */
  recipe?: string;
  seed: number;
  resamples: number;
  runs: RunSummaryRow[];
  metrics: MetricRow[];
  /** Pairwise differences between targets (responses suites). */
  comparisons: Comparison[];
  /** Stigma: paired, item-matched differences between targets and between arms. */
  paired_comparisons?: PairedContrast[];
  /** Stigma: differences between the levels of gender, race and education, matched. */
  demographic_contrasts?: DemographicContrast[];
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
  "blank",
  "ci95_cluster_low",
  "ci95_cluster_high",
  "ci95_crossed_low",
  "ci95_crossed_high",
  "bounds_low",
  "bounds_high",
  "letter",
  "judge",
  "p",
  "warnings",
] as const;

export function renderJson(data: ReportData): string {
  return `${JSON.stringify(
    {
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      generated_at: new Date().toISOString(),
      tool_version: data.toolVersion,
      recipe: data.recipe ?? "careprobe",
      bootstrap: {
        seed: data.seed,
        resamples: data.resamples,
        level: 0.95,
        method: "percentile",
        contrast_resamples: Math.min(data.resamples, CONTRAST_RESAMPLES),
      },
      runs: data.runs,
      metrics: data.metrics,
      comparisons: data.comparisons,
      ...(data.paired_comparisons ? { paired_comparisons: data.paired_comparisons } : {}),
      ...(data.demographic_contrasts ? { demographic_contrasts: data.demographic_contrasts } : {}),
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
        m.blank,
        m.ci95_cluster?.[0],
        m.ci95_cluster?.[1],
        m.ci95_crossed?.[0],
        m.ci95_crossed?.[1],
        m.bounds?.[0],
        m.bounds?.[1],
        m.letter,
        m.judge,
        m.p,
        m.warnings?.join("; "),
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
    "metric",
    "condition",
    "n",
    "rate",
    "95% CI crossed",
    "95% CI bootstrap",
    "95% CI Wilson",
    "don't know",
    "unparsed",
    "blank",
    "errors",
  ];
  const rows = data.metrics.map((m) => [
    m.suite,
    m.target,
    m.arm,
    // A mark on every row that carries a warning; the warnings are listed below the table.
    `${metricLabel(m)}${m.warnings && m.warnings.length > 0 ? WARNING_MARK : ""}`,
    m.condition,
    String(m.n),
    m.metric === "judge_position_odds_ratio" ? (m.value?.toFixed(2) ?? "–") : percent(m.value),
    interval(m.metric === "stigma_bounds" ? (m.bounds ?? null) : (m.ci95_crossed ?? null)),
    m.metric === "judge_position_odds_ratio" && m.ci95
      ? `[${m.ci95[0].toFixed(2)}, ${m.ci95[1].toFixed(2)}]`
      : interval(m.ci95),
    interval(m.ci95_wilson),
    String(m.dont_know),
    String(m.unparsed),
    String(m.blank ?? 0),
    String(m.errors),
  ]);
  const numeric = header.map((_h, i) => i >= 5);
  return { header, rows, numeric };
}

/** The most resamples a paired or demographic contrast's interval uses. */
export const CONTRAST_RESAMPLES = 2000;

/** Which interval to read first, said in every human-readable report. */
export const HEADLINE_NOTE =
  'for stigma the headline is the crossed interval (vignettes and questions both resampled: the rate generalises over both, and answers vary mostly by question); stigma_bounds shows the rate if no and if every "Do not know" were stigmatizing;';

/** Marks a row with warnings in the table and Markdown renderers. */
export const WARNING_MARK = " (!)";

/** The metric, with the letter or judge the row is about. */
function metricLabel(m: MetricRow): string {
  if (m.letter !== undefined) return `${m.metric} ${m.letter}`;
  if (m.judge !== undefined) return `${m.metric} (${m.judge})`;
  return m.metric;
}

/** Each distinct warning once per (suite, target, arm). */
export function warningLines(data: ReportData): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const m of data.metrics) {
    for (const warning of m.warnings ?? []) {
      const line = `${m.suite} · ${m.target} · ${m.arm}: ${warning}`;
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
    }
  }
  return lines;
}

function comparisonLines(data: ReportData): string[] {
  return data.comparisons.map(
    (c) =>
      `${c.suite} · ${c.arm} · ${c.metric} · ${c.condition}: ${c.a} − ${c.b} = ${(c.diff * 100).toFixed(1)} points ${interval(c.ci95)}, p = ${c.p.toPrecision(3)}, Holm ${c.p_holm.toPrecision(3)}, Bonferroni ${c.p_bonferroni.toPrecision(3)}`,
  );
}

function runLines(data: ReportData): string[] {
  return data.runs.map((r) => {
    const disagreements =
      r.judges && r.judges.length > 1
        ? `, ${r.judge_disagreements ?? 0} check(s) where judges disagreed`
        : "";
    const judges = r.judges
      ? `; judged by ${r.judges.join(", ")}${r.judge_note ? ` (${r.judge_note})` : ""}${disagreements}`
      : "";
    return `${r.suite} · ${r.target} · ${r.arm}: ${r.answered}/${r.planned} answered, ${r.errors} errors, ${r.pending} not yet run${judges}`;
  });
}

/**
 * The terminal table. By default compact (overall rows, one line per suite × target ×
 * arm, overall comparisons only); `all` lists every metric row and comparison.
 */
export function renderTable(data: ReportData, options: { all?: boolean } = {}): string {
  if (data.metrics.length === 0) return "No stored runs match. Run `careprobe run` first.\n";
  const all = options.all ?? false;
  const compared = comparisonLines(
    all
      ? data
      : { ...data, comparisons: data.comparisons.filter((c) => c.condition === "overall") },
  );
  const comparisonsText =
    compared.length > 0
      ? `\nPairwise differences (two-proportion z-test; adjusted p: Holm, and Bonferroni as the paper):\n${compared.join("\n")}\n`
      : "";
  const warned = warningLines(data);
  const warningsText =
    warned.length > 0
      ? `\nWarnings (rows marked${WARNING_MARK}):\n${warned.map((w) => `  ${terminalCell(w, 400)}`).join("\n")}\n`
      : "";
  const headline = data.metrics.some((m) => m.ci95_crossed)
    ? `\nIntervals: ${HEADLINE_NOTE} bootstrap over answers and Wilson beside it.\n`
    : "";
  const table = all ? longTable(data) : `${compactTable(data.metrics)}\n${COMPACT_NOTE}`;
  return `${table}\n\n${runLines(data)
    .map((l) => terminalCell(l, 400))
    .join("\n")}\n${headline}${warningsText}${comparisonsText}`;
}

function longTable(data: ReportData): string {
  const { header, rows, numeric } = displayRows(data);
  return textTable(header, rows, numeric);
}

export function renderMarkdown(data: ReportData): string {
  const { header, rows } = displayRows(data);
  const lines = [
    "# careprobe report",
    "",
    `stigma: share of answers on the stigma-measuring questions that are stigmatizing. appropriate: share of judged responses the judges found appropriate (appropriate_critical: critical stimuli only); over_reaction: share of benign controls that got a crisis response. "Don't know", unparsed or unscored, blank and failed answers are excluded from n and counted beside it. Intervals: ${HEADLINE_NOTE} 95% percentile bootstrap over answers (${data.resamples} resamples, seed ${data.seed}) and Wilson beside it.`,
    "",
    `| ${header.map(markdownCell).join(" | ")} |`,
    `| ${header.map((_h, i) => (i >= 4 ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
    "",
    ...runLines(data).map((line) => `- ${markdownCell(line)}`),
    "",
    ...(warningLines(data).length > 0
      ? [
          `## Warnings (rows marked${WARNING_MARK})`,
          "",
          ...warningLines(data).map((line) => `- ${markdownCell(line)}`),
          "",
        ]
      : []),
    ...(data.comparisons.length > 0
      ? [
          "## Pairwise differences (two-proportion z-test; adjusted p: Holm, and Bonferroni as the paper)",
          "",
          ...comparisonLines(data).map((line) => `- ${markdownCell(line)}`),
          "",
        ]
      : []),
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

export function renderResponseItemsJsonl(items: ResponseItemRow[]): string {
  return items.map((item) => JSON.stringify(item)).join("\n") + (items.length > 0 ? "\n" : "");
}

export function renderItemsJsonl(items: ItemRow[]): string {
  return items.map((item) => JSON.stringify(item)).join("\n") + (items.length > 0 ? "\n" : "");
}

export function renderItemsCsv(items: ItemRow[]): string {
  const lines = [ITEM_COLUMNS.join(",")];
  for (const item of items) lines.push(csvLine(ITEM_COLUMNS.map((column) => item[column])));
  return `${lines.join("\n")}\n`;
}

const RESPONSE_COLUMNS: Array<keyof ResponseItemRow> = [
  "suite",
  "item_id",
  "stimulus_id",
  "target",
  "arm",
  "sample",
  "condition",
  "severity",
  "benign",
  "transcript",
  "position",
  "stimulus",
  "bridge",
  "conversation",
  "output",
  "judged_output",
  "judges",
  "labels",
  "verdicts",
  "outcome",
  "error",
];

export function renderResponseItemsCsv(items: ResponseItemRow[]): string {
  const lines = [RESPONSE_COLUMNS.join(",")];
  for (const item of items) {
    lines.push(
      csvLine(
        RESPONSE_COLUMNS.map((column) => {
          const value = item[column];
          return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
        }),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
