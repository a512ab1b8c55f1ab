/**
 * Renderers for `careprobe report`: terminal table, versioned JSON, CSV and Markdown for
 * metrics; JSONL and CSV for item rows. Pure: they return strings.
 */
import type { DemographicContrast } from "../analysis/demographic.js";
import type { PairedContrast } from "../analysis/paired-stigma.js";
import { CONTRAST_RESAMPLES } from "../analysis/stigma-rigor.js";
import type { MetricRow } from "../core/types.js";
import type { ItemRow } from "../experiments/multiple-choice/collect.js";
import type { ResponseItemRow } from "../experiments/responses/collect.js";
import type { Coverage } from "../standard/coverage.js";
import { agreementMarkdown, agreementTable } from "./agreement-render.js";
import { COMPACT_NOTE, compactTable } from "./compact.js";
import { isPaired, type ReportComparison } from "./comparisons.js";
import {
  csvLine,
  interval,
  isAgreement,
  markdownCell,
  percent,
  raterLabel,
  terminalCell,
  textTable,
} from "./format.js";
import {
  coverageLines,
  coverageMarkdown,
  featureRowLines,
  featureRowMarkdown,
  withoutFeatureRows,
} from "./standard-rows.js";

export const REPORT_FORMAT = "careprobe-report";
export const REPORT_VERSION = 1;

export interface RunSummaryRow {
  id: string;
  suite: string;
  /** The target as reported (with what tells it apart from another run of the same label). */
  target: string;
  /** What else identifies the target: its server URL, its model file's sha256, its config's hash. */
  target_identity?: string;
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
  /** Conversations suites: the simulated client, and a note when careprobe chose it. */
  client?: string;
  client_note?: string;
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
  comparisons: ReportComparison[];
  /** Which features of the standard of care the runs tested, and how they did. */
  coverage?: Coverage;
  /** Older runs left out because a newer run of the same suite, target and settings replaced them. */
  superseded?: SupersededRun[];
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
  "feature",
  /** Agreement rows: the raters compared (`a vs b`, or `panel: a, b, c`). */
  "raters",
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
      ...(data.coverage ? { coverage: data.coverage } : {}),
      ...(data.superseded ? { superseded: data.superseded } : {}),
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
        m.feature,
        raterLabel(m.raters),
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
  // Per-feature rows and agreement rows have their own sections (they need more columns).
  const rows = mainRows(data.metrics).map((m) => [
    m.suite,
    m.target,
    m.arm,
    // A mark on every row that carries a warning; the warnings are listed below the table.
    `${metricLabel(m)}${m.warnings && m.warnings.length > 0 ? WARNING_MARK : ""}`,
    m.condition,
    String(m.n),
    m.unit === "turn"
      ? turnValue(m.value, m.n)
      : m.metric === "judge_position_odds_ratio"
        ? (m.value?.toFixed(2) ?? "–")
        : percent(m.value),
    interval(m.metric === "stigma_bounds" ? (m.bounds ?? null) : (m.ci95_crossed ?? null)),
    m.unit === "turn"
      ? turnInterval(m.ci95)
      : m.metric === "judge_position_odds_ratio" && m.ci95
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

/** The rows of the main table: neither per-feature rows nor agreement rows. */
function mainRows(metrics: readonly MetricRow[]): MetricRow[] {
  return withoutFeatureRows(metrics).filter((m) => !isAgreement(m));
}

/** A median turn (first_failure_turn): "turn 3", or "not reached" when fewer than half failed. */
function turnValue(value: number | null, n: number): string {
  if (value !== null) return `turn ${value}`;
  return n === 0 ? "—" : "not reached";
}

function turnInterval(ci: [number, number] | null): string {
  return ci === null ? "—" : `[${ci[0]}, ${ci[1]}]`;
}

/** What each interval and p-value of a comparison line is. */
export const COMPARISONS_TITLE =
  "Pairwise differences (two-proportion z-test and its score interval, which excludes 0 exactly when p < 0.05; Holm's and Bonferroni's p adjusted over the family, the paper's Bonferroni with the interval at its level; conversations: paired by persona, a cluster bootstrap interval and a permutation test)";

function comparisonLine(c: ReportComparison): string {
  const cell = `${c.suite} · ${c.arm} · ${c.metric} · ${c.condition}: ${c.a} − ${c.b}`;
  const adjusted = `over ${c.family_size} comparison(s): Holm p = ${c.p_holm.toPrecision(3)}, Bonferroni p = ${c.p_bonferroni.toPrecision(3)}`;
  if (isPaired(c)) {
    const diff =
      c.unit === "turn"
        ? `${c.diff.toFixed(1)} turns, 95% CI ${turnInterval(c.ci95)}`
        : `${(c.diff * 100).toFixed(1)} points, 95% CI ${interval(c.ci95)}`;
    return `${cell} = ${diff} and p = ${c.p.toPrecision(3)} unadjusted, paired by persona (${c.pairs}); ${adjusted}`;
  }
  return `${cell} = ${(c.diff * 100).toFixed(1)} points, 95% CI ${interval(c.ci95)} and p = ${c.p.toPrecision(3)} unadjusted; ${adjusted} with CI ${interval(c.ci95_bonferroni)}`;
}

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
  return data.comparisons.map(comparisonLine);
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
    const where =
      r.target_identity &&
      /^https?:\/\//.test(r.target_identity) &&
      !r.target.includes(r.target_identity)
        ? ` (${r.target_identity})`
        : "";
    const client = r.client
      ? `; client ${r.client}${r.client_note ? ` (${r.client_note})` : ""}`
      : "";
    return `${r.suite} · ${r.target}${where} · ${r.arm}: ${r.answered}/${r.planned} answered, ${r.errors} errors, ${r.pending} not yet run${client}${judges}`;
  });
}

/** Says which older runs a newer run of the same suite, target and settings replaced. */
export function supersededLines(data: ReportData): string[] {
  const superseded = data.superseded ?? [];
  if (superseded.length === 0) return [];
  return [
    `Not shown: ${superseded.length} older run(s) replaced by a newer run of the same suite, target and settings (\`careprobe runs\` lists them; \`careprobe report --run ID\` reports one).`,
  ];
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
    compared.length > 0 ? `\n${COMPARISONS_TITLE}:\n${compared.join("\n")}\n` : "";
  const table = all
    ? longTable(data)
    : `${compactTable(withoutFeatureRows(data.metrics))}\n${COMPACT_NOTE}`;
  // Per-feature rows in the full table only; the coverage section always.
  const features = all ? featureRowLines(data.metrics) : [];
  const featuresText = features.length > 0 ? `\n${features.join("\n")}\n` : "";
  const agreement = all ? agreementTable(data.metrics) : "";
  const coverage = data.coverage ? `\n${coverageLines(data.coverage).join("\n")}\n` : "";
  return `${table}\n\n${[...runLines(data), ...supersededLines(data)]
    .map((l) => terminalCell(l, 400))
    .join("\n")}\n${rigorNotes(data)}${comparisonsText}${agreement}${featuresText}${coverage}`;
}

/** Which interval is the headline, and the warnings of marked rows (terminal table). */
function rigorNotes(data: ReportData): string {
  const warned = warningLines(data);
  const warningsText =
    warned.length > 0
      ? `\nWarnings (rows marked${WARNING_MARK}):\n${warned.map((w) => `  ${terminalCell(w, 400)}`).join("\n")}\n`
      : "";
  const headline = data.metrics.some((m) => m.ci95_crossed)
    ? `\nIntervals: ${HEADLINE_NOTE} bootstrap over answers and Wilson beside it.\n`
    : "";
  return `${headline}${warningsText}`;
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
    ...[...runLines(data), ...supersededLines(data)].map((line) => `- ${markdownCell(line)}`),
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
          `## ${COMPARISONS_TITLE}`,
          "",
          ...comparisonLines(data).map((line) => `- ${markdownCell(line)}`),
          "",
        ]
      : []),
    ...agreementMarkdown(data.metrics),
    ...featureRowMarkdown(data.metrics),
    ...(data.coverage ? coverageMarkdown(data.coverage) : []),
  ];
  return lines.join("\n");
}

export { renderConversationItems } from "../experiments/conversations/items.js";
export { renderItemsCsv, renderItemsJsonl } from "../experiments/multiple-choice/items.js";
export {
  renderResponseItemsCsv,
  renderResponseItemsJsonl,
} from "../experiments/responses/items.js";

import type { SupersededRun } from "./select-runs.js";
