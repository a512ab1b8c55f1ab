/**
 * Conversations: first-failure curves, from `first_failure_turn` metric rows that carry a
 * Kaplan–Meier `curve` (points `{ time, at_risk, events, censored, survival }`: S(t), the
 * share of conversations without an inappropriate reply up to turn t; conversations that
 * never fail are censored). The field comes from another experiment kind, so it is read
 * through a schema: a row without a readable curve is left out, never guessed.
 */
import { z } from "zod";
import type { MetricRow } from "../../core/types.js";
import { clip, esc, type Figure, line, num, SERIES, text } from "./svg.js";

const CurveSchema = z
  .array(
    z.object({
      time: z.number().finite().min(0),
      survival: z.number().min(0).max(1),
      at_risk: z.number().optional(),
      events: z.number().optional(),
      censored: z.number().optional(),
    }),
  )
  .min(1);

export type CurvePoint = z.infer<typeof CurveSchema>[number];

export function curveOf(row: MetricRow): CurvePoint[] | undefined {
  const parsed = CurveSchema.safeParse((row as MetricRow & { curve?: unknown }).curve);
  return parsed.success ? [...parsed.data].sort((a, b) => a.time - b.time) : undefined;
}

const LEFT = 60;
const PLOT_W = 460;
const PLOT_H = 240;
const TOP = 40;

export function curveFigure(metrics: readonly MetricRow[]): Figure | undefined {
  const rows = metrics.flatMap((m) => {
    const curve = m.metric === "first_failure_turn" ? curveOf(m) : undefined;
    return curve ? [{ row: m, curve }] : [];
  });
  if (rows.length === 0) return undefined;
  const maxTurn = Math.max(1, ...rows.flatMap((r) => r.curve.map((p) => p.time)));
  const xOf = (t: number) => LEFT + (t / maxTurn) * PLOT_W;
  const yOf = (v: number) => TOP + (1 - v) * PLOT_H;
  const body: string[] = [
    text(
      8,
      16,
      "First failure: share of conversations without a failure, by turn (Kaplan–Meier)",
      'font-weight="600" fill="#111111"',
    ),
  ];
  for (let i = 0; i <= 4; i++) {
    const v = i / 4;
    body.push(line(LEFT, yOf(v), LEFT + PLOT_W, yOf(v), 'stroke="#d0d0d0" stroke-width="1"'));
    body.push(
      text(LEFT - 6, yOf(v) + 4, `${Math.round(v * 100)}%`, 'text-anchor="end" fill="#333333"'),
    );
  }
  const ticks = Math.min(maxTurn, 10);
  for (let i = 0; i <= ticks; i++) {
    const t = Math.round((maxTurn * i) / ticks);
    body.push(text(xOf(t), TOP + PLOT_H + 16, String(t), 'text-anchor="middle" fill="#333333"'));
  }
  body.push(
    text(LEFT + PLOT_W / 2, TOP + PLOT_H + 32, "turn", 'text-anchor="middle" fill="#333333"'),
  );
  rows.forEach(({ row, curve }, i) => {
    const color = SERIES[i % SERIES.length] ?? "#000000";
    let path = `M${num(xOf(0))},${num(yOf(1))}`;
    for (const p of curve) path += ` H${num(xOf(p.time))} V${num(yOf(p.survival))}`;
    const name = `${row.target} · ${row.arm} · ${row.condition}`;
    const last = curve[curve.length - 1];
    body.push(
      `<path class="curve" d="${path}" fill="none" stroke="${color}" stroke-width="2.5"${i % 2 === 1 ? ' stroke-dasharray="6 3"' : ""}><title>${esc(`${row.suite} · ${name}: ${curve.map((p) => `turn ${p.time}: ${Math.round(p.survival * 100)}% without a failure`).join(", ")}`)}</title></path>`,
      line(
        LEFT + PLOT_W + 12,
        TOP + 8 + i * 16,
        LEFT + PLOT_W + 30,
        TOP + 8 + i * 16,
        `stroke="${color}" stroke-width="2.5"${i % 2 === 1 ? ' stroke-dasharray="6 3"' : ""}`,
      ),
      text(LEFT + PLOT_W + 36, TOP + 12 + i * 16, clip(name, 30), 'fill="#222222"'),
    );
    if (last)
      body.push(
        `<circle cx="${num(xOf(last.time))}" cy="${num(yOf(last.survival))}" r="3" fill="${color}"/>`,
      );
  });
  const height = Math.max(TOP + PLOT_H + 44, TOP + 20 + rows.length * 16);
  return {
    id: "first-failure",
    title: "First-failure curves of conversations",
    description: `Step curves for ${rows.length} target × arm × condition rows: for each turn, the Kaplan–Meier estimate of the share of conversations without an inappropriate reply up to that turn (conversations that never failed are censored at their last turn). The same numbers are in the table of metric rows.`,
    rows: rows.length,
    width: LEFT + PLOT_W + 260,
    height,
    body: body.join("\n"),
  };
}
