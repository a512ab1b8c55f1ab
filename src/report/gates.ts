/**
 * Release gates for CI: rules such as `appropriate>=0.9` or `stigma:overall<=0.2`, judged
 * against a report's metric rows. By default a rule is judged on the 95% bound least
 * favourable to the bot (the lower bound for `>=`/`>`, the upper bound for `<=`/`<`), so a
 * small sample cannot pass by luck; `on: "value"` judges the point estimate. Pure: the CLI
 * (and the project file's `fail_under` list) call these and decide the exit code.
 */
import { CareprobeError } from "../core/errors.js";
import type { MetricRow } from "../core/types.js";
import { HUMAN_BASELINE_TARGET } from "../datasets/moore2025/human-baseline.js";

export type GateOp = ">=" | "<=" | ">" | "<";
/** `ci`: the least favourable bound of `ci95` (default); `value`: the point estimate. */
export type GateOn = "ci" | "value";

export interface GateRule {
  /** The rule as written. */
  text: string;
  metric: string;
  /** The condition the rule reads; `overall` when the rule names none. */
  condition: string;
  op: GateOp;
  threshold: number;
}

export interface GateResult {
  rule: GateRule;
  row: MetricRow;
  on: GateOn;
  /** The number the rule was judged on; null when the row has no value (n = 0). */
  judged: number | null;
  pass: boolean;
}

export interface GateReport {
  results: GateResult[];
  failed: GateResult[];
  passed: boolean;
}

export const GATE_SYNTAX =
  "metric[:condition](>=|<=|>|<)threshold, e.g. appropriate>=0.9, appropriate_critical>=1, stigma:overall<=0.2, critical_failure<=0 (a threshold may be written as 90%)";

const RULE =
  /^\s*([A-Za-z][\w]*)(?::([\w][\w.-]*))?\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(%?)\s*$/i;

/** Parses one rule; a malformed rule is bad input whose message shows the syntax. */
export function parseGateRule(text: string): GateRule {
  const match = RULE.exec(text);
  if (!match) {
    throw new CareprobeError("BAD_ARGUMENT", `--fail-under \`${text}\` is not a rule.`, {
      hint: `A rule is ${GATE_SYNTAX}.`,
    });
  }
  const [, metric = "", condition, op = ">=", number = "", pct] = match;
  const threshold = Number(number) / (pct ? 100 : 1);
  return {
    text: text.trim(),
    metric,
    condition: condition ?? "overall",
    op: op as GateOp,
    threshold,
  };
}

export function parseGateRules(texts: readonly string[]): GateRule[] {
  return texts.map(parseGateRule);
}

function holds(x: number, op: GateOp, threshold: number): boolean {
  switch (op) {
    case ">=":
      return x >= threshold;
    case ">":
      return x > threshold;
    case "<=":
      return x <= threshold;
    case "<":
      return x < threshold;
  }
}

/** The number a rule is judged on: the bound least favourable to the bot, or the value. */
export function judgedNumber(row: MetricRow, op: GateOp, on: GateOn): number | null {
  if (row.value === null) return null;
  if (on === "value" || !row.ci95) return row.value;
  return op === ">=" || op === ">" ? row.ci95[0] : row.ci95[1];
}

/**
 * Judges every rule on every row it names (each suite, target and arm; reference rows
 * such as the 2018 human baseline are not gated). A rule that names no row is bad input:
 * a typo must not pass a release.
 */
export function evaluateGates(
  rules: readonly GateRule[],
  metrics: readonly MetricRow[],
  on: GateOn = "ci",
): GateReport {
  const gated = metrics.filter((m) => m.target !== HUMAN_BASELINE_TARGET);
  const results: GateResult[] = [];
  for (const rule of rules) {
    const rows = gated.filter((m) => m.metric === rule.metric && m.condition === rule.condition);
    if (rows.length === 0) throw noRows(rule, gated);
    for (const row of rows) {
      const judged = judgedNumber(row, rule.op, on);
      results.push({
        rule,
        row,
        on,
        judged,
        pass: judged !== null && holds(judged, rule.op, rule.threshold),
      });
    }
  }
  const failed = results.filter((r) => !r.pass);
  return { results, failed, passed: failed.length === 0 };
}

function noRows(rule: GateRule, rows: readonly MetricRow[]): CareprobeError {
  const metrics = [...new Set(rows.map((m) => m.metric))];
  const conditions = [
    ...new Set(rows.filter((m) => m.metric === rule.metric).map((m) => m.condition)),
  ];
  const known = metrics.includes(rule.metric)
    ? `\`${rule.metric}\` has the conditions: ${conditions.join(", ")}.`
    : `The report has the metrics: ${metrics.join(", ") || "(none: no stored runs match)"}.`;
  return new CareprobeError(
    "BAD_ARGUMENT",
    `--fail-under \`${rule.text}\` matches no metric row (metric \`${rule.metric}\`, condition \`${rule.condition}\`).`,
    { hint: `${known}\nA rule is ${GATE_SYNTAX}.` },
  );
}

function fixed(x: number | null): string {
  return x === null ? "—" : x.toFixed(3);
}

/** One line per result: the rule, the row, its value and interval, what was judged. */
export function describeGate(result: GateResult): string {
  const { rule, row } = result;
  const ci = row.ci95 ? `[${fixed(row.ci95[0])}, ${fixed(row.ci95[1])}]` : "no interval";
  const what =
    result.judged === null
      ? `no value (n = ${row.n})`
      : result.on === "value" || !row.ci95
        ? `value ${fixed(result.judged)}`
        : `${rule.op === ">=" || rule.op === ">" ? "lower" : "upper"} 95% bound ${fixed(result.judged)}`;
  return `${result.pass ? "pass" : "FAIL"} ${rule.text}: ${row.suite} · ${row.target} · ${row.arm} · ${row.metric}:${row.condition} = ${fixed(row.value)} ${ci} (n = ${row.n}); judged on ${what}, threshold ${rule.op} ${rule.threshold}`;
}

/** The gates' verdict as text lines (failures first), for stderr or a log. */
export function describeGates(report: GateReport): string {
  const ordered = [...report.failed, ...report.results.filter((r) => r.pass)];
  const head = report.passed
    ? `gates: all ${report.results.length} check(s) hold`
    : `gates: ${report.failed.length} of ${report.results.length} check(s) failed`;
  return `${[head, ...ordered.map(describeGate)].join("\n")}\n`;
}
