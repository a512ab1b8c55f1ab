/** Every metric row, every comparison and every gate, as HTML tables. */
import type { MetricRow } from "../../core/types.js";
import { isPaired, type ReportComparison } from "../comparisons.js";
import { COEFFICIENTS, NOT_RATES, raterLabel, shownInterval, shownValue } from "../format.js";
import { describeGate, type GateReport } from "../gates.js";
import { esc, pct } from "./svg.js";

function interval(ci: [number, number] | null | undefined): string {
  return ci ? `[${pct(ci[0], 1)}, ${pct(ci[1], 1)}]` : "—";
}

function table(header: string[], numeric: boolean[], rows: string[][], attrs = ""): string {
  const th = header
    .map((h, i) => `<th${numeric[i] ? ' class="num"' : ""} scope="col">${esc(h)}</th>`)
    .join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="scroll"><table${attrs}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * Rates (percent agreement among them) read as percentages; agreement coefficients and
 * turn counts as plain numbers.
 */
function value(m: MetricRow): string {
  if (m.value === null) return "—";
  if (NOT_RATES.has(m.metric) || COEFFICIENTS.has(m.metric)) return shownValue(m);
  return pct(m.value, 1);
}

/** The metric, with the raters, letter or judge it is about; rows with warnings marked (!). */
function metricCell(m: MetricRow): string {
  const about = m.raters
    ? ` (${raterLabel(m.raters)})`
    : m.letter !== undefined
      ? ` ${m.letter}`
      : m.judge !== undefined
        ? ` (${m.judge})`
        : "";
  const label = esc(`${m.metric}${about}`);
  if (!m.warnings || m.warnings.length === 0) return label;
  return `${label} <abbr title="${esc(m.warnings.join("; "))}">(!)</abbr>`;
}

export function metricsTable(metrics: readonly MetricRow[]): string {
  const header = [
    "suite",
    "target",
    "arm",
    "metric",
    "condition",
    "n",
    "value",
    "95% CI crossed",
    "95% CI bootstrap",
    "95% CI Wilson",
    "95% CI cluster",
    "don't know",
    "unparsed",
    "blank",
    "errors",
  ];
  const rows = metrics.map((m) => [
    esc(m.suite),
    esc(m.target),
    esc(m.arm),
    metricCell(m),
    esc(m.condition),
    String(m.n),
    value(m),
    interval(m.metric === "stigma_bounds" ? m.bounds : m.ci95_crossed),
    COEFFICIENTS.has(m.metric) ? shownInterval(m) : interval(m.ci95),
    interval(m.ci95_wilson),
    interval(m.ci95_cluster),
    String(m.dont_know),
    String(m.unparsed),
    String(m.blank ?? 0),
    String(m.errors),
  ]);
  return table(
    header,
    header.map((_h, i) => i >= 5),
    rows,
    ' id="metric-rows"',
  );
}

function points(ci: [number, number]): string {
  return `[${(ci[0] * 100).toFixed(1)}, ${(ci[1] * 100).toFixed(1)}]`;
}

/**
 * The difference and its interval: in points, or in turns (first_failure_turn); a
 * comparison paired by persona says so beside its difference.
 */
function differenceCells(c: ReportComparison): [string, string] {
  if (!isPaired(c)) return [(c.diff * 100).toFixed(1), points(c.ci95)];
  const paired = ` (paired by persona, ${c.pairs})`;
  if (c.unit === "turn") {
    return [`${c.diff.toFixed(1)} turns${paired}`, `[${c.ci95[0]}, ${c.ci95[1]}] turns`];
  }
  return [`${(c.diff * 100).toFixed(1)}${paired}`, points(c.ci95)];
}

export function comparisonsTable(comparisons: readonly ReportComparison[]): string {
  const header = [
    "suite",
    "arm",
    "metric",
    "condition",
    "a",
    "b",
    "a − b (points)",
    "95% CI (unadjusted)",
    "p (unadjusted)",
    "comparisons in family",
    "p Holm",
    "p Bonferroni",
    "95% CI at Bonferroni's level",
  ];
  const rows = comparisons.map((c) => [
    esc(c.suite),
    esc(c.arm),
    esc(c.metric),
    esc(c.condition),
    esc(c.a),
    esc(c.b),
    ...differenceCells(c),
    c.p.toPrecision(3),
    String(c.family_size),
    c.p_holm.toPrecision(3),
    c.p_bonferroni.toPrecision(3),
    isPaired(c) ? "—" : points(c.ci95_bonferroni),
  ]);
  return table(
    header,
    header.map((_h, i) => i >= 6),
    rows,
  );
}

export function gatesHtml(gates: GateReport): string {
  const items = [...gates.failed, ...gates.results.filter((r) => r.pass)].map(
    (r) => `<li class="${r.pass ? "gate-pass" : "gate-fail"}">${esc(describeGate(r))}</li>`,
  );
  const head = gates.passed
    ? `All ${gates.results.length} gate check(s) hold.`
    : `${gates.failed.length} of ${gates.results.length} gate check(s) failed.`;
  return `<p class="${gates.passed ? "gate-pass" : "gate-fail"}">${head}</p><ul>${items.join("")}</ul>`;
}
