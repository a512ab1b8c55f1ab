/**
 * The terminal table for many runs: filters on metric rows, and the compact default of
 * one line per suite × target × arm with each metric's overall value and interval.
 */
import type { MetricRow } from "../core/types.js";
import { interval, NOT_RATES, percent, textTable } from "./format.js";

export interface MetricFilter {
  conditions?: string[];
  metrics?: string[];
}

/** Metric rows (and comparisons) narrowed to the named conditions and metrics. */
export function filterReport<
  D extends { metrics: MetricRow[]; comparisons: Array<{ metric: string; condition: string }> },
>(data: D, filter: MetricFilter): D {
  const keep = (row: { metric: string; condition: string }) =>
    (!filter.conditions || filter.conditions.includes(row.condition)) &&
    (!filter.metrics || filter.metrics.includes(row.metric));
  return {
    ...data,
    metrics: data.metrics.filter(keep),
    comparisons: data.comparisons.filter(keep),
  };
}

/** Rows of the compact table: the pooled rows that are not agreement coefficients. */
function compactRows(metrics: readonly MetricRow[]): MetricRow[] {
  return metrics.filter((m) => m.condition === "overall" && m.raters === undefined);
}

export function compactTable(metrics: readonly MetricRow[]): string {
  const rows = compactRows(metrics);
  const columns = [...new Set(rows.map((m) => m.metric))];
  const lines = new Map<string, { key: string[]; cells: Map<string, MetricRow> }>();
  for (const m of rows) {
    const id = JSON.stringify([m.suite, m.target, m.arm]);
    const line = lines.get(id) ?? { key: [m.suite, m.target, m.arm], cells: new Map() };
    line.cells.set(m.metric, m);
    lines.set(id, line);
  }
  const header = ["suite", "target", "arm", ...columns];
  const body = [...lines.values()].map((line) => [
    ...line.key,
    ...columns.map((c) => {
      const m = line.cells.get(c);
      if (!m) return "";
      // Rows that carry warnings are marked; the warnings are listed below the table.
      const mark = m.warnings && m.warnings.length > 0 ? " (!)" : "";
      if (NOT_RATES.has(m.metric) || m.metric === "judge_position_odds_ratio") {
        const digits = m.metric === "judge_position_odds_ratio" ? 2 : 1;
        const ci = m.ci95 ? ` [${m.ci95[0].toFixed(digits)}, ${m.ci95[1].toFixed(digits)}]` : "";
        return `${m.value === null ? "—" : m.value.toFixed(digits)}${ci} n=${m.n}${mark}`;
      }
      // The headline interval: crossed for stigma, the bounds for stigma_bounds.
      const ci = m.metric === "stigma_bounds" ? (m.bounds ?? null) : (m.ci95_crossed ?? m.ci95);
      return `${percent(m.value)} ${interval(ci)} n=${m.n}${mark}`;
    }),
  ]);
  return textTable(
    header,
    body,
    header.map((_h, i) => i >= 3),
  );
}

export const COMPACT_NOTE =
  "Pooled (overall) rows, one line per suite × target × arm (value, 95% interval: crossed for stigma, else bootstrap; n). --all for every row; --condition and --metric to filter.";
