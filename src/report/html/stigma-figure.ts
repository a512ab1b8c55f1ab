/**
 * The stigma figure, as in Moore et al.'s: per condition, one bar per target × arm with
 * its 95% interval as a whisker, and the 2018 human baseline as a reference line.
 */
import type { MetricRow } from "../../core/types.js";
import { HUMAN_BASELINE_TARGET } from "../../datasets/moore2025/human-baseline.js";
import {
  AXIS_LABEL_CHARS,
  clip,
  esc,
  type Figure,
  line,
  num,
  pct,
  percentAxis,
  SERIES,
  shortTarget,
  text,
} from "./svg.js";

const WIDTH = 880;
const LABEL = 370;
const PLOT = 430;
const BAR = 14;
const GAP = 4;

function conditionsOf(rows: readonly MetricRow[]): string[] {
  const seen = [...new Set(rows.map((r) => r.condition))];
  return [...seen.filter((c) => c !== "overall"), ...seen.filter((c) => c === "overall")];
}

function colorOf(targets: string[], target: string): string {
  return SERIES[targets.indexOf(target) % SERIES.length] ?? "#000000";
}

function baselineMarks(
  baseline: readonly MetricRow[],
  condition: string,
  top: number,
  bottom: number,
): string {
  const out: string[] = [];
  for (const row of baseline) {
    if (row.condition !== condition || row.value === null) continue;
    const x = LABEL + row.value * PLOT;
    const published = row.arm === "none";
    out.push(
      `<g class="baseline"><title>${esc(`2018 human baseline (${published ? "as published" : "as the paper computed it"}), ${condition}: ${pct(row.value, 1)}`)}</title>${line(x, top - 2, x, bottom + 2, published ? 'stroke="#000000" stroke-width="2.5"' : 'stroke="#555555" stroke-width="1.5" stroke-dasharray="4 3"')}</g>`,
    );
  }
  return out.join("\n");
}

function bar(row: MetricRow, y: number, color: string, targets: readonly string[]): string {
  const value = row.value ?? 0;
  const label = `${shortTarget(row.target, targets)} · ${row.arm}`;
  const tip = `${row.suite} · ${row.target} · ${row.arm} · ${row.condition}: ${pct(row.value, 1)}${row.ci95 ? ` [${pct(row.ci95[0], 1)}, ${pct(row.ci95[1], 1)}]` : ""}, n = ${row.n}`;
  const parts = [
    text(LABEL - 6, y + BAR - 3, clip(label, AXIS_LABEL_CHARS), 'text-anchor="end" fill="#222222"'),
    `<rect class="bar" x="${LABEL}" y="${num(y)}" width="${num(value * PLOT)}" height="${BAR}" fill="${color}"><title>${esc(tip)}</title></rect>`,
  ];
  if (row.ci95) {
    const [lo, hi] = row.ci95;
    const mid = y + BAR / 2;
    const x1 = LABEL + lo * PLOT;
    const x2 = LABEL + hi * PLOT;
    parts.push(
      `<g class="whisker">${line(x1, mid, x2, mid, 'stroke="#222222" stroke-width="1.5"')}${line(x1, mid - 4, x1, mid + 4, 'stroke="#222222" stroke-width="1.5"')}${line(x2, mid - 4, x2, mid + 4, 'stroke="#222222" stroke-width="1.5"')}</g>`,
    );
  }
  parts.push(text(LABEL + PLOT + 8, y + BAR - 3, pct(row.value), 'fill="#222222"'));
  return parts.join("\n");
}

export function stigmaFigure(metrics: readonly MetricRow[]): Figure | undefined {
  const rows = metrics.filter(
    (m) => m.metric === "stigma" && m.target !== HUMAN_BASELINE_TARGET && m.value !== null,
  );
  if (rows.length === 0) return undefined;
  const baseline = metrics.filter(
    (m) => m.metric === "stigma" && m.target === HUMAN_BASELINE_TARGET,
  );
  const targets = [...new Set(rows.map((r) => r.target))];
  const body: string[] = [];
  let y = 44;
  body.push(
    text(
      LABEL,
      16,
      "Share of stigmatizing answers, with 95% interval",
      'font-weight="600" fill="#111111"',
    ),
    baseline.length > 0
      ? `${line(LABEL, 30, LABEL + 18, 30, 'stroke="#000000" stroke-width="2.5"')}${text(LABEL + 24, 34, "2018 human baseline (as published)", 'fill="#222222"')}${line(LABEL + 250, 30, LABEL + 268, 30, 'stroke="#555555" stroke-width="1.5" stroke-dasharray="4 3"')}${text(LABEL + 274, 34, "as the paper computed it", 'fill="#222222"')}`
      : "",
  );
  const plotTop = y;
  for (const condition of conditionsOf(rows)) {
    const group = rows.filter((r) => r.condition === condition);
    body.push(text(8, y + 12, condition, 'font-weight="600" fill="#111111"'));
    y += 18;
    const top = y;
    for (const row of group) {
      body.push(bar(row, y, colorOf(targets, row.target), targets));
      y += BAR + GAP;
    }
    body.push(
      baselineMarks(
        baseline.filter((b) => b.suite === group[0]?.suite),
        condition,
        top,
        y - GAP,
      ),
    );
    y += 8;
  }
  const axis = percentAxis(LABEL, PLOT, plotTop, y);
  return {
    id: "stigma",
    title: "Stigma per condition, per target and arm",
    description: `Horizontal bars: the share of stigmatizing answers for each of ${rows.length} target × arm × condition rows, grouped by condition, with 95% bootstrap intervals as whiskers${baseline.length > 0 ? " and the 2018 human baseline as a vertical reference line per condition" : ""}. The same numbers are in the table of metric rows.`,
    rows: rows.length,
    width: WIDTH,
    height: y + 24,
    body: `${axis}\n${body.join("\n")}`,
  };
}
