/** Comparisons between targets as a forest plot: each difference with its 95% interval. */
import { type Comparison, isPaired, type ReportComparison } from "../comparisons.js";
import { clip, esc, type Figure, line, num, shortTarget, text } from "./svg.js";

const LABEL = 480;
const PLOT = 360;
const ROW = 18;

/**
 * The pooled (`overall`) z-test comparisons only: per-condition pairs run into the hundreds
 * for many runs, and comparisons paired by persona (conversations) have intervals of
 * another kind and turn units; they are all in the table of comparisons.
 */
export function forestFigure(all: readonly ReportComparison[]): Figure | undefined {
  const comparisons = all.filter((c): c is Comparison => !isPaired(c) && c.condition === "overall");
  if (comparisons.length === 0) return undefined;
  const targets = [...new Set(comparisons.flatMap((c) => [c.a, c.b]))];
  const label = (c: Comparison) =>
    `${c.metric} · ${c.arm}: ${shortTarget(c.a, targets)} − ${shortTarget(c.b, targets)}`;
  const reach = Math.max(
    0.1,
    ...comparisons.flatMap((c) => [Math.abs(c.ci95[0]), Math.abs(c.ci95[1])]),
  );
  const half = [0.1, 0.2, 0.25, 0.5, 1].find((h) => h >= reach) ?? 1;
  const xOf = (d: number) =>
    LABEL + ((Math.max(-half, Math.min(half, d)) + half) / (2 * half)) * PLOT;
  const top = 48;
  const bottom = top + comparisons.length * ROW;
  const body: string[] = [
    text(
      8,
      16,
      "Differences between targets (percentage points, unadjusted 95% score interval)",
      'font-weight="600" fill="#111111"',
    ),
    text(
      8,
      32,
      "Filled: significant after Holm's adjustment (p < 0.05). Hollow: not. An interval excludes 0 when the unadjusted p < 0.05.",
      'fill="#333333"',
    ),
  ];
  for (let i = 0; i <= 4; i++) {
    const d = -half + (half * i) / 2;
    const x = xOf(d);
    body.push(
      line(
        x,
        top - 4,
        x,
        bottom,
        d === 0 ? 'stroke="#000000" stroke-width="1.5"' : 'stroke="#d0d0d0" stroke-width="1"',
      ),
    );
    body.push(
      text(
        x,
        bottom + 14,
        `${d > 0 ? "+" : ""}${Math.round(d * 100)}`,
        'text-anchor="middle" fill="#333333"',
      ),
    );
  }
  comparisons.forEach((c, i) => {
    const y = top + i * ROW + ROW / 2;
    const significant = c.p_holm < 0.05;
    const tip = `${c.suite} · ${c.metric} · ${c.arm}: ${c.a} − ${c.b} = ${(c.diff * 100).toFixed(1)} points, 95% CI [${(c.ci95[0] * 100).toFixed(1)}, ${(c.ci95[1] * 100).toFixed(1)}] and p = ${c.p.toPrecision(3)} unadjusted; Holm p = ${c.p_holm.toPrecision(3)} over ${c.family_size} comparison(s)`;
    body.push(
      text(8, y + 4, clip(label(c), 70), 'fill="#222222"'),
      line(xOf(c.ci95[0]), y, xOf(c.ci95[1]), y, 'stroke="#0072B2" stroke-width="2"'),
      `<circle class="point" cx="${num(xOf(c.diff))}" cy="${num(y)}" r="5" fill="${significant ? "#0072B2" : "#ffffff"}" stroke="#0072B2" stroke-width="2"><title>${esc(tip)}</title></circle>`,
    );
  });
  return {
    id: "comparisons-forest",
    title: "Comparisons between targets",
    description: `A forest plot of the ${comparisons.length} pairwise differences on pooled (overall) rows (first target minus second, in percentage points) with unadjusted 95% score intervals (an interval excludes 0 exactly when the unadjusted p is below 0.05; filled points are significant after Holm's adjustment); the vertical line marks no difference. The same numbers are in the table of comparisons.`,
    rows: comparisons.length,
    width: LABEL + PLOT + 24,
    height: bottom + 28,
    body: body.join("\n"),
  };
}
